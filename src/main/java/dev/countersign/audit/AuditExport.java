package dev.countersign.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the audit trail for people and other tools, oldest row first, exactly as stored (so an
 * export can be checked against the hashes).
 *
 * <ul>
 *   <li>{@link Format#CSV}: RFC 4180 for spreadsheets, a header line
 *       {@code time,event,reference,kind,amount,currency,payee_or_document,actor,status,details,
 *       id,request_id,team_id,prev_hash,hash}: first flat columns to filter on, taken from the
 *       row's details ({@code payee_or_document} is the payee, the document or the action's
 *       text; {@code status} is the status the event put its request in, empty for events that
 *       move none), then the stored JSON details and the fields that verify the row. CRLF line
 *       ends, fields with commas, quotes or line breaks in double quotes (quotes doubled), an
 *       absent value is an empty field.</li>
 *   <li>{@link Format#JSON}: one JSON array of objects with the same keys; {@code details} is a
 *       JSON object (its stored text parsed; kept as a string if that text is not an object),
 *       absent values are {@code null}. One array rather than JSON Lines: it is what spreadsheet
 *       and SIEM importers and {@code jq} take without options.</li>
 * </ul>
 * {@code at} (CSV: {@code time}) is ISO-8601 in UTC, like {@code 2026-11-01T10:00:00.123Z}.
 * Either format takes a {@link Filter}: a time window and event types.
 */
public final class AuditExport {

    private static final ObjectMapper JSON = Json.newMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final List<String> COLUMNS = List.of("time", "event", "reference", "kind",
            "amount", "currency", "payee_or_document", "actor", "status", "details", "id",
            "request_id", "team_id", "prev_hash", "hash");
    private static final String CRLF = "\r\n";

    public enum Format { CSV, JSON }

    /**
     * Which rows to write: made at or after {@code since} and before {@code until}, of one of
     * {@code types} (each an event type like {@code request.approved}, or a prefix like
     * {@code request.*}); no types means every type.
     */
    public record Filter(Instant since, Instant until, Set<String> types) {

        public static final Filter ALL = new Filter(Instant.EPOCH, Instant.MAX, Set.of());

        public Filter {
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(until, "until");
            types = Set.copyOf(types);
        }

        boolean includes(AuditRecord row) {
            return !row.at().isBefore(since) && row.at().isBefore(until)
                    && (types.isEmpty() || types.stream().anyMatch(type -> type.endsWith("*")
                            ? row.type().startsWith(type.substring(0, type.length() - 1))
                            : row.type().equals(type)));
        }
    }

    private final AuditReader trail;

    public AuditExport(AuditReader trail) {
        this.trail = Objects.requireNonNull(trail, "trail");
    }

    /** Writes every row; returns how many. */
    public long write(Writer out, Format format) {
        return write(out, format, Instant.EPOCH);
    }

    /** Writes the rows made at or after {@code since}; returns how many. */
    public long write(Writer out, Format format, Instant since) {
        return write(out, format, new Filter(since, Instant.MAX, Set.of()));
    }

    /** Writes the rows {@code filter} includes; returns how many. */
    public long write(Writer out, Format format, Filter filter) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(filter, "filter");
        try {
            return format == Format.CSV ? csv(out, filter) : json(out, filter);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the audit export", e);
        }
    }

    private long csv(Writer out, Filter filter) throws IOException {
        out.write(String.join(",", COLUMNS) + CRLF);
        long written = forEachRow(filter, row -> {
            Map<String, String> details = row.detailValues();
            String what = details.getOrDefault("payee", details.getOrDefault("document",
                    details.get("description")));
            out.write(String.join(",", row.at().toString(), quoted(row.type()),
                    quoted(details.get("reference")), quoted(details.get("kind")),
                    quoted(details.get("amount")), quoted(details.get("currency")),
                    quoted(what), quoted(row.actor()), quoted(statusAfter(row)),
                    quoted(row.details()), Long.toString(row.id()), quoted(row.requestId()),
                    quoted(row.teamId()), quoted(row.previousHash()), quoted(row.hash())) + CRLF);
        });
        out.flush();
        return written;
    }

    /**
     * The status a request is in after this event, as {@code requests list} shows it; empty for
     * events that move no request (codes sent, resets).
     */
    static String statusAfter(AuditRecord row) {
        if (row.requestId() == null) {
            return null;
        }
        return switch (row.type()) {
            case "request.created", "enrollment.requested" -> "AWAITING_CODE";
            case "enrollment.changed" -> "APPROVED";
            default -> row.type().startsWith("request.")
                    ? row.type().substring("request.".length()).toUpperCase(Locale.ROOT) : null;
        };
    }

    private long json(Writer out, Filter filter) throws IOException {
        long written;
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartArray();
            written = forEachRow(filter, row -> {
                json.writeStartObject();
                json.writeNumberField("id", row.id());
                json.writeStringField("at", row.at().toString());
                json.writeStringField("type", row.type());
                json.writeStringField("request_id", row.requestId());
                json.writeStringField("team_id", row.teamId());
                json.writeStringField("actor", row.actor());
                json.writeFieldName("details");
                writeDetails(json, row.details());
                json.writeStringField("prev_hash", row.previousHash());
                json.writeStringField("hash", row.hash());
                json.writeEndObject();
            });
            json.writeEndArray();
            json.writeRaw('\n');
        }
        out.flush();
        return written;
    }

    @FunctionalInterface
    private interface RowWriter {
        void write(AuditRecord row) throws IOException;
    }

    /** Hands {@code writer} the rows {@code filter} includes, in id order, a page at a time. */
    private long forEachRow(Filter filter, RowWriter writer) throws IOException {
        long written = 0;
        long lastId = 0;
        while (true) {
            long after = lastId;
            List<AuditRecord> page = trail.after(after, AuditVerification.PAGE);
            for (AuditRecord row : page) {
                lastId = row.id();
                // Ids follow the order of writing; "at" normally does too, but a clock set back
                // may not, so every row is looked at rather than stopping at an early one.
                if (filter.includes(row)) {
                    writer.write(row);
                    written++;
                }
            }
            if (page.size() < AuditVerification.PAGE) {
                return written;
            }
        }
    }

    private static void writeDetails(JsonGenerator json, String details) throws IOException {
        JsonNode parsed = null;
        if (details != null) {
            try {
                parsed = JSON.readTree(details);
            } catch (JsonProcessingException notJson) {
                // A row changed by hand may hold anything: export it as it is, as text.
            }
        }
        if (parsed != null && parsed.isObject()) {
            json.writeTree(parsed);
        } else {
            json.writeString(details);
        }
    }

    /** RFC 4180: quote a field holding a comma, quote, CR or LF, and double its quotes. */
    static String quoted(String value) {
        if (value == null) {
            return "";
        }
        boolean needsQuotes = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
        return needsQuotes ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}

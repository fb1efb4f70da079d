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
import java.util.Objects;

/**
 * Writes the audit trail for people and other tools, oldest row first, exactly as stored (so an
 * export can be checked against the hashes).
 *
 * <ul>
 *   <li>{@link Format#CSV}: RFC 4180, a header line
 *       {@code id,at,type,request_id,team_id,actor,details,prev_hash,hash}, CRLF line ends, fields
 *       with commas, quotes or line breaks in double quotes (quotes doubled); {@code details} is
 *       the stored JSON text, an absent value is an empty field.</li>
 *   <li>{@link Format#JSON}: one JSON array of objects with the same keys; {@code details} is a
 *       JSON object (its stored text parsed; kept as a string if that text is not an object),
 *       absent values are {@code null}. One array rather than JSON Lines: it is what spreadsheet
 *       and SIEM importers and {@code jq} take without options.</li>
 * </ul>
 * {@code at} is ISO-8601 in UTC, like {@code 2026-11-01T10:00:00.123Z}.
 */
public final class AuditExport {

    private static final ObjectMapper JSON = Json.newMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final List<String> COLUMNS = List.of("id", "at", "type", "request_id",
            "team_id", "actor", "details", "prev_hash", "hash");
    private static final String CRLF = "\r\n";

    public enum Format { CSV, JSON }

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
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(since, "since");
        try {
            return format == Format.CSV ? csv(out, since) : json(out, since);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the audit export", e);
        }
    }

    private long csv(Writer out, Instant since) throws IOException {
        out.write(String.join(",", COLUMNS) + CRLF);
        long written = forEachRow(since, row -> out.write(String.join(",",
                Long.toString(row.id()), row.at().toString(), quoted(row.type()),
                quoted(row.requestId()), quoted(row.teamId()), quoted(row.actor()),
                quoted(row.details()), quoted(row.previousHash()), quoted(row.hash())) + CRLF));
        out.flush();
        return written;
    }

    private long json(Writer out, Instant since) throws IOException {
        long written;
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartArray();
            written = forEachRow(since, row -> {
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

    /** Hands {@code writer} the rows at or after {@code since}, in id order, a page at a time. */
    private long forEachRow(Instant since, RowWriter writer) throws IOException {
        long written = 0;
        long lastId = 0;
        while (true) {
            long after = lastId;
            List<AuditRecord> page = trail.after(after, AuditVerification.PAGE);
            for (AuditRecord row : page) {
                lastId = row.id();
                // Ids follow the order of writing; "at" normally does too, but a clock set back
                // may not, so every row is looked at rather than stopping at an early one.
                if (!row.at().isBefore(since)) {
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

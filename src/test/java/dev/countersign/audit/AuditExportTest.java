package dev.countersign.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.MutableClock;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditExportTest {

    private static final Instant DAY_ONE = Instant.parse("2026-11-01T10:00:00Z");
    private static final String HEADER =
            "id,at,type,request_id,team_id,actor,details,prev_hash,hash";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private ApprovalFixture fixture;
    private List<AuditRecord> stored;

    @BeforeEach
    void setUp() {
        fixture = new ApprovalFixture(directory, new MutableClock(DAY_ONE), ApprovalOutbox.NONE);
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("payee", "Acme, Inc. \"East\"");
        awkward.put("memo", "line one\nline two");
        stored = fixture.store().write(tx -> List.of(
                tx.audit().append(AuditEvent.of("request.created", "req-1", "T0ACME", "U0ALICE",
                        awkward), DAY_ONE.plusMillis(123)),
                tx.audit().append(AuditEvent.of("enrollment.reset", null, "T0ACME", "operator",
                        Map.of("user", "U0BOB")), DAY_ONE.plus(Duration.ofDays(1))),
                tx.audit().append(AuditEvent.of("request.approved", "req-1", "T0ACME", "U0ALICE",
                        Map.of("amount", "2500.00")), DAY_ONE.plus(Duration.ofDays(2)))));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void csvHasAHeaderAndEveryRowExactlyAsStored() {
        StringWriter out = new StringWriter();

        long rows = new AuditExport(fixture.store()).write(out, AuditExport.Format.CSV);

        assertThat(rows).isEqualTo(3);
        assertThat(out.toString()).startsWith(HEADER + "\r\n").endsWith("\r\n");
        List<List<String>> records = parseCsv(out.toString());
        assertThat(records).hasSize(4);
        assertThat(records.get(0)).containsExactly(HEADER.split(","));
        List<String> first = records.get(1);
        AuditRecord row = stored.get(0);
        assertThat(first).containsExactly("1", "2026-11-01T10:00:00.123Z", "request.created",
                "req-1", "T0ACME", "U0ALICE", row.details(), row.previousHash(), row.hash());
        assertThat(records.get(2).get(3)).as("absent request id").isEmpty();
        assertThat(records.get(2).get(1)).isEqualTo("2026-11-02T10:00:00Z");
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaks() {
        assertThat(AuditExport.quoted("plain")).isEqualTo("plain");
        assertThat(AuditExport.quoted("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditExport.quoted("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(AuditExport.quoted("one\ntwo")).isEqualTo("\"one\ntwo\"");
        assertThat(AuditExport.quoted("one\r\ntwo")).isEqualTo("\"one\r\ntwo\"");
        assertThat(AuditExport.quoted("")).isEmpty();
        assertThat(AuditExport.quoted(null)).isEmpty();
    }

    @Test
    void jsonIsOneArrayWithDetailsAsObjects() throws Exception {
        StringWriter out = new StringWriter();

        new AuditExport(fixture.store()).write(out, AuditExport.Format.JSON);

        JsonNode rows = JSON.readTree(out.toString());
        assertThat(rows.isArray()).isTrue();
        assertThat(rows).hasSize(3);
        JsonNode first = rows.get(0);
        assertThat(first.path("id").asLong()).isEqualTo(1);
        assertThat(first.path("at").asText()).isEqualTo("2026-11-01T10:00:00.123Z");
        assertThat(first.path("details").path("payee").asText()).isEqualTo("Acme, Inc. \"East\"");
        assertThat(first.path("details").path("memo").asText()).isEqualTo("line one\nline two");
        assertThat(first.path("hash").asText()).isEqualTo(stored.get(0).hash());
        assertThat(rows.get(1).path("request_id").isNull()).isTrue();
        // The stored text can be rebuilt from the object, so the export can be re-verified.
        assertThat(JSON.writeValueAsString(first.path("details")))
                .isEqualTo(stored.get(0).details());
    }

    @Test
    void sinceKeepsRowsAtOrAfterIt() throws Exception {
        StringWriter csv = new StringWriter();
        StringWriter json = new StringWriter();
        AuditExport export = new AuditExport(fixture.store());

        long csvRows = export.write(csv, AuditExport.Format.CSV, DAY_ONE.plus(Duration.ofDays(1)));
        export.write(json, AuditExport.Format.JSON, DAY_ONE.plus(Duration.ofDays(3)));

        assertThat(csvRows).isEqualTo(2);
        assertThat(parseCsv(csv.toString())).extracting(record -> record.get(0))
                .containsExactly("id", "2", "3");
        assertThat(JSON.readTree(json.toString())).isEmpty();
    }

    /** A strict RFC 4180 reader: enough to prove the export reads back as written. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertThat(field).as("nothing after the last CRLF").isEmpty();
        return records;
    }
}

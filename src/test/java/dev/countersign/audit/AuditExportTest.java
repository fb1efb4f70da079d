package dev.countersign.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.Rfc4180;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditExportTest {

    private static final Instant DAY_ONE = Instant.parse("2026-11-01T10:00:00Z");
    private static final String HEADER = "time,event,reference,kind,amount,currency,"
            + "payee_or_document,actor,status,details,id,request_id,team_id,prev_hash,hash";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private ApprovalFixture fixture;
    private List<AuditRecord> stored;

    @BeforeEach
    void setUp() {
        fixture = new ApprovalFixture(directory, new MutableClock(DAY_ONE), ApprovalOutbox.NONE);
        Map<String, String> awkward = new LinkedHashMap<>();
        awkward.put("reference", "CS-7K3P9Q");
        awkward.put("kind", "payment");
        awkward.put("amount", "2500.00");
        awkward.put("currency", "USD");
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
        assertThat(first).containsExactly("2026-11-01T10:00:00.123Z", "request.created",
                "CS-7K3P9Q", "payment", "2500.00", "USD", "Acme, Inc. \"East\"", "U0ALICE",
                "AWAITING_CODE", row.details(), "1", "req-1", "T0ACME", row.previousHash(),
                row.hash());
        assertThat(records.get(2).get(11)).as("absent request id").isEmpty();
        assertThat(records.get(2).get(8)).as("a reset moves no request").isEmpty();
        assertThat(records.get(2).get(0)).isEqualTo("2026-11-02T10:00:00Z");
        assertThat(records.get(3).get(8)).isEqualTo("APPROVED");
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
        assertThat(parseCsv(csv.toString())).extracting(record -> record.get(10))
                .containsExactly("id", "2", "3");
        assertThat(JSON.readTree(json.toString())).isEmpty();
    }

    @Test
    void untilAndTypeNarrowBothFormats() throws Exception {
        StringWriter csv = new StringWriter();
        StringWriter json = new StringWriter();
        AuditExport export = new AuditExport(fixture.store());

        long csvRows = export.write(csv, AuditExport.Format.CSV, new AuditExport.Filter(
                Instant.EPOCH, DAY_ONE.plus(Duration.ofDays(2)), Set.of("request.*")));
        long jsonRows = export.write(json, AuditExport.Format.JSON, new AuditExport.Filter(
                Instant.EPOCH, Instant.MAX, Set.of("enrollment.reset", "request.approved")));

        assertThat(csvRows).isEqualTo(1);
        assertThat(parseCsv(csv.toString())).extracting(record -> record.get(1))
                .containsExactly("event", "request.created");
        assertThat(jsonRows).isEqualTo(2);
        assertThat(JSON.readTree(json.toString())).extracting(row -> row.path("type").asText())
                .containsExactly("enrollment.reset", "request.approved");
    }

    private static List<List<String>> parseCsv(String text) {
        return Rfc4180.parse(text);
    }
}

package dev.countersign.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerificationTest {

    private static final Instant START = Instant.parse("2026-11-01T10:00:00Z");

    @TempDir
    Path directory;

    private ApprovalFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new ApprovalFixture(directory, new MutableClock(START), ApprovalOutbox.NONE);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void emptyTrailIsIntact() {
        assertThat(verify()).isEqualTo(new AuditVerification.Result.Intact(0));
    }

    @Test
    void cleanChainOfSeveralPagesIsIntact() {
        int rows = AuditVerification.PAGE * 2 + 17;
        append(rows);

        AuditVerification.Result result = verify();

        assertThat(result.ok()).isTrue();
        assertThat(result.rowsChecked()).isEqualTo(rows);
    }

    @Test
    void rowChangedAfterItWasWrittenIsNamed() {
        append(5);
        fixture.sql("DROP TRIGGER audit_events_no_update",
                "UPDATE audit_events SET details = '{\"payee\":\"Mallory Ltd\"}' WHERE id = 3");

        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Result.Broken.class,
                broken -> {
                    assertThat(broken.rowId()).isEqualTo(3);
                    assertThat(broken.reason()).contains("do not match its hash");
                    assertThat(broken.ok()).isFalse();
                });
    }

    @Test
    void rowRemovedFromTheMiddleIsNamed() {
        append(5);
        fixture.sql("DROP TRIGGER audit_events_no_delete", "DELETE FROM audit_events WHERE id = 3");

        assertThat(verify()).isEqualTo(new AuditVerification.Result.Broken(3,
                "row 3 is missing before row 4", 3));
    }

    @Test
    void firstRowRemovedIsNamed() {
        append(3);
        fixture.sql("DROP TRIGGER audit_events_no_delete",
                "DELETE FROM audit_events WHERE id <= 2");

        assertThat(verify()).isEqualTo(new AuditVerification.Result.Broken(1,
                "rows 1 to 2 are missing before row 3", 1));
    }

    @Test
    void rowRewrittenWithAFreshHashBreaksTheLinkToTheNextRow() {
        append(5);
        AuditRecord third = fixture.store().read(tx -> tx.audit().after(2, 1)).get(0);
        String forged = "{\"payee\":\"Mallory Ltd\"}";
        String hash = new AuditChain(fixture.store().keys()).hash(3, third.at(), third.type(),
                third.requestId(),
                third.teamId(), third.actor(), forged, third.previousHash());
        fixture.sql("DROP TRIGGER audit_events_no_update", "UPDATE audit_events SET details = '"
                + forged + "', hash = '" + hash + "' WHERE id = 3");

        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Result.Broken.class,
                broken -> {
                    assertThat(broken.rowId()).isEqualTo(4);
                    assertThat(broken.reason()).contains("previous-hash");
                });
    }

    private void append(int rows) {
        fixture.store().write(tx -> {
            for (int i = 1; i <= rows; i++) {
                tx.audit().append(AuditEvent.of("request.created", "req-" + i, "T0ACME", "U0ALICE",
                        Map.of("n", Integer.toString(i))), START.plusSeconds(i));
            }
            return null;
        });
    }

    private AuditVerification.Result verify() {
        return new AuditVerification(fixture.store(), new AuditChain(fixture.store().keys()))
                .verify();
    }
}

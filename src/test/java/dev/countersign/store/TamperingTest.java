package dev.countersign.store;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestStatus;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditRecord;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import dev.countersign.testing.StorageEngine;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone with write access to the SQLite file edits it behind Countersign's back: what was
 * approved can't be changed, and the audit trail shows where it was touched.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class TamperingTest {

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;

    private ApprovalsHarness harness;
    private final AtomicInteger executed = new AtomicInteger();

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory, engine)
                .approvedActions((tx, request, verified, at) -> executed.incrementAndGet());
        harness.enroll(ALICE, ALICE_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void payeeChangedInTheDatabaseAfterTheRequestWasMadeIsNeverApproved() throws SQLException {
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        sql("UPDATE requests SET action_json = replace(action_json, 'Acme Corp', 'Mallory Ltd') "
                + "WHERE id = ?", id);

        Check check = harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        assertThat(check).isNotInstanceOf(Check.Approved.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.FAILED);
        assertThat(harness.auditTypes(id)).doesNotContain("request.approved")
                .contains("request.failed");
        assertThat(executed).hasValue(0);
    }

    @Test
    void amountChangedInTheDatabaseIsNeverApproved() throws SQLException {
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        sql("UPDATE requests SET action_json = replace(action_json, '2500.00', '250000.00') "
                + "WHERE id = ?", id);

        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        assertThat(harness.status(id)).isEqualTo(RequestStatus.FAILED);
        assertThat(executed).hasValue(0);
    }

    @Test
    void actionRewrittenWithItsSha256DigestRecomputedIsNeverApproved() throws SQLException {
        String id = harness.openAndSend(ALICE, payment("100", "Acme")).request().id();
        sql("UPDATE requests SET action_json = replace(replace(action_json, 'Acme', 'Mallory'), "
                + "'100.00', '99000.00') WHERE id = ?", id);
        ApprovalRequest rewritten = harness.request(id);
        sql("UPDATE requests SET digest = ? WHERE id = ?", ActionDigest.of(id,
                rewritten.requester(), rewritten.action(), rewritten.createdAt()), id);

        Check check = harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        assertThat(check).isNotInstanceOf(Check.Approved.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.FAILED);
        assertThat(harness.request(id).statusDetail()).contains("can't be approved")
                .contains("make the request again");
        assertThat(harness.auditTypes(id)).doesNotContain("request.approved");
        assertThat(executed).hasValue(0);
    }

    @Test
    void auditTrailReChainedWithPlainSha256FailsTheChainCheck() throws SQLException {
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);
        List<AuditRecord> rows = harness.wholeAudit();

        // Someone without the key rewrites a row and re-chains everything with SHA-256.
        sql(engine.dropAuditTrigger("audit_events_no_update"));
        String previous = AuditChain.GENESIS;
        for (AuditRecord row : rows) {
            String actor = row.type().equals("request.approved") ? "UMALLORY" : row.actor();
            AuditRecord forged = new AuditRecord(row.id(), row.at(), row.type(), row.requestId(),
                    row.teamId(), actor, row.details(), previous, null);
            String hash = AuditChain.legacyHashOf(forged);
            sql("UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? "
                    + "WHERE id = CAST(? AS BIGINT)", actor, previous, hash,
                    Long.toString(row.id()));
            previous = hash;
        }

        assertThat(harness.auditChainProblems()).isNotEmpty().first().asString()
                .contains("plain SHA-256");
    }

    @Test
    void auditRowEditedWithTheGuardsRemovedIsReportedByTheChainCheck() throws SQLException {
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);
        assertThat(harness.auditChainProblems()).isEmpty();

        sql(engine.dropAuditTrigger("audit_events_no_update"));
        sql("UPDATE audit_events SET actor = 'UMALLORY' WHERE type = 'request.approved'");

        assertThat(harness.auditChainProblems()).singleElement().asString()
                .contains("do not match its hash");
    }

    @Test
    void auditRowDeletedWithTheGuardsRemovedIsReportedByTheChainCheck() throws SQLException {
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        sql(engine.dropAuditTrigger("audit_events_no_delete"));
        sql("DELETE FROM audit_events WHERE type = 'code.sent'");

        assertThat(harness.auditChainProblems()).first().asString().contains("missing");
    }

    /** Writes to the database from outside the app, as a person with a SQL shell would. */
    private void sql(String statement, String... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(harness.url())) {
            if (parameters.length == 0) {
                try (Statement plain = connection.createStatement()) {
                    plain.executeUpdate(statement);
                }
                return;
            }
            try (PreparedStatement prepared = connection.prepareStatement(statement)) {
                for (int i = 0; i < parameters.length; i++) {
                    prepared.setString(i + 1, parameters[i]);
                }
                assertThat(prepared.executeUpdate()).isEqualTo(1);
            }
        }
    }
}

package dev.countersign.store;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.api.ApiClient;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.FollowUp;
import dev.countersign.approval.Origins;
import dev.countersign.approval.RequestOrigin;
import dev.countersign.approval.RequestStatus;
import dev.countersign.slack.StepCompletions.Completion;
import dev.countersign.testing.ApprovalsHarness;
import dev.countersign.testing.StorageEngine;
import dev.countersign.webhook.WebhookEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tables V10 and V12 added (follow-ups, API clients and idempotency keys, request origins,
 * workflow completions) and the outbox's backlog, through their repositories, on both engines.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class ApiAndFollowUpTablesTest {

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;

    private ApprovalsHarness harness;
    private SqliteStore store;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory, engine).approvedActions(new WebhookEvents());
        harness.enroll(ALICE, ALICE_PHONE);
        store = new SqliteStore(harness.database());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anApiKeyIsCreatedOnceFoundByItsHashMarkedUsedAndRevokedOnce() {
        JdbcApiClients clients = store.apiClients();
        Instant at = ApprovalsHarness.START;

        assertThat(clients.create("billing", "hash-1", at)).isTrue();
        assertThat(clients.create("billing", "hash-2", at)).as("the name is taken").isFalse();
        clients.used("billing", at.plusSeconds(60));

        assertThat(clients.byKeyHash("hash-1")).hasValueSatisfying(client ->
                assertThat(client.lastUsedAt()).isEqualTo(at.plusSeconds(60)));
        assertThat(clients.revoke("billing", at.plusSeconds(120))).isTrue();
        assertThat(clients.revoke("billing", at.plusSeconds(180))).as("already revoked").isFalse();
        assertThat(clients.list()).singleElement().extracting(ApiClient::revokedAt)
                .isEqualTo(at.plusSeconds(120));
    }

    @Test
    void aRequestKeepsWhoAskedForItAndItsIdempotencyKey() {
        String id = harness.openAndSend(ALICE, payment("100", "Acme")).request().id();
        RequestOrigin origin = new RequestOrigin(RequestOrigin.Source.API, "billing", "inv-7",
                null);

        store.write(tx -> {
            tx.origins().record(id, origin);
            tx.origins().rememberIdempotencyKey("billing", "key-1", "body-hash", id,
                    ApprovalsHarness.START);
            return null;
        });

        RequestOrigin stored = store.read(tx -> tx.origins().of(id));
        assertThat(stored).isEqualTo(origin);
        Optional<Origins.Remembered> remembered = store.read(tx -> tx.origins()
                .byIdempotencyKey("billing", "key-1"));
        assertThat(remembered).hasValue(new Origins.Remembered(id, "body-hash"));
        Optional<Origins.Remembered> other = store.read(tx -> tx.origins()
                .byIdempotencyKey("other-client", "key-1"));
        assertThat(other).isEmpty();
    }

    @Test
    void aWorkflowOutcomeIsRecordedOnceOwedUntilDoneAndAnEndingWithoutOneIsFound() {
        String id = harness.openAndSend(ALICE, payment("100", "Acme")).request().id();
        store.write(tx -> {
            tx.origins().record(id, new RequestOrigin(RequestOrigin.Source.WORKFLOW, null, null,
                    "Fx0001"));
            return null;
        });
        JdbcStepCompletions completions = new JdbcStepCompletions(harness.database());
        assertThat(completions.endedWithoutOutcome()).as("still open").isEmpty();

        Check check = harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);
        assertThat(check).isInstanceOf(Check.Approved.class);
        assertThat(completions.endedWithoutOutcome()).containsExactly(id);

        Completion outcome = new Completion("Fx0001", id, "{\"approved\":true}", null);
        assertThat(completions.record(outcome, ApprovalsHarness.START)).isTrue();
        assertThat(completions.record(outcome, ApprovalsHarness.START)).isFalse();
        assertThat(completions.endedWithoutOutcome()).isEmpty();
        assertThat(completions.pending()).containsExactly(outcome);
        assertThat(completions.stillPending("Fx0001")).isTrue();

        completions.done("Fx0001", ApprovalsHarness.START.plusSeconds(1));
        assertThat(completions.stillPending("Fx0001")).isFalse();
        assertThat(completions.pending()).isEmpty();
    }

    @Test
    void anApprovalsNoticesAreDueAfterTheMoversTurnAndItsWebhookWaitsInTheBacklog() {
        String id = harness.openAndSend(ALICE, payment("100", "Acme")).request().id();
        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);

        Instant later = harness.clock.instant().plus(Duration.ofMinutes(1));
        List<String> due = store.read(tx -> tx.followUps().requestsDue(later, 10));
        assertThat(due).containsExactly(id);
        List<FollowUp> pending = store.read(tx -> tx.followUps().pendingOf(id));
        assertThat(pending).isNotEmpty();

        OutboxBacklog backlog = store.outboxBacklog();
        assertThat(backlog.pending()).isEqualTo(1);
        assertThat(backlog.oldest()).isPresent();
    }
}

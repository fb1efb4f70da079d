package dev.countersign.approval;

import dev.countersign.people.Actor;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.SecondApproval.Start;
import dev.countersign.people.PhoneNumber;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook that records an approval for the webhook runs in the approving transaction, once. */
class ApprovedActionsTest {

    @TempDir
    Path directory;

    private ApprovalsHarness harness;
    private final List<String> toldAbout = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory).approvedActions((tx, request, verified, at) -> {
            // Inside the transaction, the approval is already visible...
            assertThat(tx.requests().find(request.id())).hasValueSatisfying(
                    stored -> assertThat(stored.status()).isEqualTo(RequestStatus.APPROVED));
            toldAbout.add(request.id());
            tx.outbox()
                    .enqueue(request.id(), "{\"reference\":\"" + request.reference() + "\"}", at);
        });
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private List<OutboxMessage> outbox() {
        Instant nextYear = ApprovalsHarness.START.plus(Duration.ofDays(365));
        return harness.store().read(tx -> tx.outbox().due(nextYear, 100));
    }

    @Test
    void approvalIsHandedToTheHookExactlyOnceAndItsRecordCommitsWithIt() {
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();

        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);
        harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE);

        assertThat(toldAbout).containsExactly(id);
        assertThat(outbox()).singleElement()
                .satisfies(message -> assertThat(message.requestId()).isEqualTo(id));
    }

    @Test
    void hookIsNotToldAboutRequestsThatWereNotApproved() {
        String locked = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        for (String wrong : new String[] {"000000", "000001", "000002"}) {
            harness.approvals().verification().verify(locked, ALICE, wrong);
        }
        String cancelled = harness.openAndSend(BOB, payment("10", "Globex")).request().id();
        harness.approvals().cancellation().cancel(cancelled, BOB, "changed my mind");

        assertThat(toldAbout).isEmpty();
        assertThat(outbox()).isEmpty();
    }

    @Test
    void approvalWhoseRecordCannotBeWrittenIsNotApproved() {
        harness.approvedActions((tx, request, verified, at) -> {
            throw new IllegalStateException("webhook record could not be written");
        });
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();

        assertThatThrownBy(() -> harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE))
                .hasMessageContaining("webhook record");

        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(harness.auditTypes(id)).doesNotContain("request.approved", "code.attempt");
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void secondApprovalIsHandedToTheHookOnceWithBothCodes() {
        List<List<ChallengePurpose>> purposes = new CopyOnWriteArrayList<>();
        harness.policy(policy -> policy.dualControlFrom("10000")).approvers(BOB.userId())
                .approvedActions((tx, request, verified, at) ->
                        purposes.add(verified.stream().map(CodeChallenge::purpose).toList()));
        String id = harness.openAndSend(ALICE, payment("25000", "Acme Corp")).request().id();

        assertThat(harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.SecondApproverNeeded.class);
        assertThat(purposes).isEmpty();
        Start.Ready ready = (Start.Ready) harness.approvals().secondApproval().begin(id, BOB);
        harness.send(ready.challenge());
        harness.approvals().verification().verify(id, BOB, DEFAULT_CODE);

        assertThat(purposes).containsExactly(
                List.of(ChallengePurpose.REQUESTER, ChallengePurpose.SECOND_APPROVER));
    }

    @Test
    void enrollingAPhoneIsNotAnApprovedAction() {
        Actor newcomer = new Actor(ApprovalsHarness.TEAM, "UNEW");
        Opening.Ready ready = (Opening.Ready) harness.approvals().opening()
                .requestEnrollment(newcomer, new PhoneNumber("+12015550166"),
                        ApprovalsHarness.REPLY);
        harness.send(ready.challenge());

        assertThat(harness.approvals().verification().verify(ready.request().id(), newcomer,
                DEFAULT_CODE)).isInstanceOf(Check.Enrolled.class);

        assertThat(toldAbout).isEmpty();
    }
}

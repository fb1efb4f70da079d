package dev.countersign.store;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.SecondApproval;
import dev.countersign.audit.AuditRecord;
import dev.countersign.testing.ApprovalsHarness;
import dev.countersign.testing.FakeSignalWire;
import java.nio.file.Path;
import java.time.Duration;
import dev.countersign.testing.StorageEngine;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A modal opened before a restart can still be completed after it. */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class RestartTest {

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;

    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory, engine);
        harness.enroll(ALICE, ALICE_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aCodeSentBeforeARestartApprovesTheRequestAfterIt() {
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();

        harness.restart();
        harness.clock.advance(Duration.ofSeconds(40));
        Check check = harness.approvals().verification()
                .verify(id, ALICE, FakeSignalWire.DEFAULT_CODE);

        assertThat(check).isInstanceOf(Check.Approved.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.binding().verifies(harness.request(id))).isTrue();
        assertThat(harness.auditTypes(id))
                .containsExactly("request.created", "code.sent", "code.attempt",
                        "request.approved");
        assertThat(harness.audit(id)).extracting(AuditRecord::details)
                .last().asString()
                        .contains("\"payee\":\"Acme Corp\"", "\"verified_by\":\"UALICE\"");
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void aCodeNotYetSentWhenTheProcessStoppedCanBeSentAfterTheRestart() {
        Opening.Ready opened = (Opening.Ready) harness.open(ALICE, payment("2500", "Acme Corp"));

        harness.restart();

        assertThat(harness.send(opened.challenge())).isInstanceOf(Delivery.Sent.class);
        assertThat(harness.approvals().verification().verify(opened.request().id(), ALICE,
                FakeSignalWire.DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void aRequestWaitingForASecondApproverIsApprovedAfterARestart() {
        harness.policy(policy -> policy.dualControlFrom("10000")).approvers(BOB.userId());
        harness.enroll(BOB, BOB_PHONE);
        String id = harness.openAndSend(ALICE, payment("25000", "Acme Corp")).request().id();
        Check requester = harness.approvals().verification().verify(id, ALICE,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(requester).isInstanceOf(Check.SecondApproverNeeded.class);

        harness.restart();
        SecondApproval.Start.Ready ready =
                (SecondApproval.Start.Ready) harness.approvals().secondApproval().begin(id, BOB);
        harness.send(ready.challenge());
        harness.restart();
        Check check = harness.approvals().verification()
                .verify(id, BOB, FakeSignalWire.DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Approved.class,
                approved -> assertThat(approved.verified()).hasSize(2));
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void attemptsUsedBeforeARestartStillCountAfterIt() {
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();
        harness.approvals().verification().verify(id, ALICE, "000000");
        harness.approvals().verification().verify(id, ALICE, "000001");

        harness.restart();
        Check third = harness.approvals().verification().verify(id, ALICE, "000002");

        assertThat(third).isInstanceOf(Check.Locked.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.LOCKED);
    }

    @Test
    void aRequestDecidedBeforeARestartStaysDecidedAfterIt() {
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();
        harness.approvals().verification().verify(id, ALICE, FakeSignalWire.DEFAULT_CODE);

        harness.restart();
        Check again = harness.approvals().verification()
                .verify(id, ALICE, FakeSignalWire.DEFAULT_CODE);

        assertThat(again).isInstanceOf(Check.AlreadyDecided.class);
        assertThat(harness.auditTypes(id)).containsOnlyOnce("request.approved");
        assertThat(harness.signalWire.verifies()).hasSize(1);
    }
}

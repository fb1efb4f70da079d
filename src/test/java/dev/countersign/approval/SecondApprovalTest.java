package dev.countersign.approval;

import dev.countersign.people.Actor;
import static dev.countersign.testing.ApprovalsHarness.ADMIN;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.CAROL;
import static dev.countersign.testing.ApprovalsHarness.CAROL_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.SecondApproval.Rejection;
import dev.countersign.approval.SecondApproval.Start;
import dev.countersign.audit.AuditRecord;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dual control: payments at or above USD 10,000 need Bob or Alice (approvers) as well. */
class SecondApprovalTest {

    @TempDir
    Path directory;

    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory)
                .policy(policy -> policy.dualControlFrom("10000"))
                .approvers(ALICE.userId(), BOB.userId(), ADMIN.userId());
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
        harness.enroll(CAROL, CAROL_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private SecondApproval second() {
        return harness.approvals().secondApproval();
    }

    private Check type(String requestId, Actor who, String code) {
        return harness.approvals().verification().verify(requestId, who, code);
    }

    /** Alice asks for a payment and confirms it with her own code. */
    private String confirmedByRequester(String amount) {
        Opening.Ready opened = harness.openAndSend(ALICE, payment(amount, "Acme Corp"));
        assertThat(type(opened.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.SecondApproverNeeded.class);
        return opened.request().id();
    }

    @Test
    void paymentAtTheThresholdWaitsForASecondApproverAfterTheRequestersCode() {
        Opening.Ready opened = harness.openAndSend(ALICE, payment("10000", "Acme Corp"));

        Check check = type(opened.request().id(), ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.SecondApproverNeeded.class, needed ->
                assertThat(needed.request().status())
                        .isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER));
        assertThat(harness.status(opened.request().id()))
                .isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
        assertThat(harness.auditTypes(opened.request().id())).doesNotContain("request.approved");
    }

    @Test
    void paymentBelowTheThresholdIsApprovedByTheRequestersCodeAlone() {
        Opening.Ready opened = harness.openAndSend(ALICE, payment("9999.99", "Acme Corp"));

        assertThat(type(opened.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.Approved.class);
    }

    @Test
    void requesterCannotBeTheirOwnSecondApproverAndNoCodeIsSent() {
        String id = confirmedByRequester("25000");

        Start start = second().begin(id, ALICE);

        assertThat(start).isInstanceOfSatisfying(Start.Refused.class,
                refused -> assertThat(refused.message()).contains("Someone else"));
        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void someoneWhoIsNotAnApproverIsRefusedAndNoCodeIsSent() {
        String id = confirmedByRequester("25000");

        Start start = second().begin(id, CAROL);

        assertThat(start).isInstanceOfSatisfying(Start.Refused.class,
                refused -> assertThat(refused.message()).contains("designated approvers"));
        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(second().reject(id, CAROL, "looks wrong")).isInstanceOf(Rejection.Refused.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void approversOwnCodeApprovesTheRequestWithBothCodesOnRecord() {
        String id = confirmedByRequester("25000");

        Start start = second().begin(id, BOB);
        assertThat(start).isInstanceOf(Start.Ready.class);
        Delivery delivery = harness.send(((Start.Ready) start).challenge());
        assertThat(delivery).isInstanceOf(Delivery.Sent.class);
        assertThat(harness.signalWire.starts()).last().satisfies(sent -> {
            assertThat(sent.text("to")).isEqualTo(BOB_PHONE);
            assertThat(sent.text("message"))
                    .contains("second approval", "USD 25,000.00", "Acme Corp");
        });

        Check check = type(id, BOB, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Approved.class, approved -> {
            assertThat(approved.request().decidedBy()).isEqualTo(BOB.userId());
            assertThat(approved.verified()).extracting(CodeChallenge::verifier)
                    .containsExactly(ALICE, BOB);
            assertThat(approved.verified()).extracting(CodeChallenge::purpose)
                    .containsExactly(ChallengePurpose.REQUESTER, ChallengePurpose.SECOND_APPROVER);
        });
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.audit(id)).filteredOn(row -> row.type().equals("request.approved"))
                .singleElement().extracting(AuditRecord::details).asString()
                .contains("\"verified_1_by\":\"UALICE\"", "\"verified_2_by\":\"UBOB\"");
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void requesterTypingACodeWhileWaitingForTheApproverApprovesNothing() {
        String id = confirmedByRequester("25000");
        Start.Ready ready = (Start.Ready) second().begin(id, BOB);
        harness.send(ready.challenge());

        Check check = type(id, ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOf(Check.NotYours.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void approversWrongCodeLeavesTheRequestWaiting() {
        String id = confirmedByRequester("25000");
        Start.Ready ready = (Start.Ready) second().begin(id, BOB);
        harness.send(ready.challenge());

        assertThat(type(id, BOB, "000000")).isInstanceOf(Check.WrongCode.class);

        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void approverWhoseCodeCouldNotBeSentLeavesTheRequestWaitingForAnotherTry() {
        String id = confirmedByRequester("25000");
        harness.signalWire.failNextStart(500);

        Delivery delivery = harness.send(((Start.Ready) second().begin(id, BOB)).challenge());

        assertThat(delivery).isInstanceOfSatisfying(Delivery.NotSent.class,
                notSent -> assertThat(notSent.requestEnded()).isFalse());
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
        harness.clock.advance(Duration.ofSeconds(31));
        Start.Ready again = (Start.Ready) second().begin(id, BOB);
        harness.send(again.challenge());
        assertThat(type(id, BOB, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void approverPressingApproveTwiceWithin30SecondsIsTextedOnce() {
        String id = confirmedByRequester("25000");
        Start.Ready first = (Start.Ready) second().begin(id, BOB);
        harness.send(first.challenge());
        harness.clock.advance(Duration.ofSeconds(5));

        Start again = second().begin(id, BOB);

        assertThat(again).isInstanceOfSatisfying(Start.Refused.class,
                refused -> assertThat(refused.message()).contains("Wait 25 seconds"));
        assertThat(harness.signalWire.starts()).hasSize(2);
        assertThat(harness.challenge(first.challenge().id()).state())
                .isEqualTo(ChallengeState.SENT);
        assertThat(type(id, BOB, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void approversCodeTypedTooLateLeavesTheRequestWaitingForAnotherTry() {
        String id = confirmedByRequester("25000");
        harness.send(((Start.Ready) second().begin(id, BOB)).challenge());
        harness.clock.advance(Duration.ofSeconds(301));

        Check check = type(id, BOB, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Expired.class,
                expired -> assertThat(expired.requestEnded()).isFalse());
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
        Start.Ready again = (Start.Ready) second().begin(id, BOB);
        harness.send(again.challenge());
        assertThat(type(id, BOB, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void anotherApproverMustWaitWhileTheFirstOneIsTypingTheirCode() {
        harness.approvers(ALICE.userId(), BOB.userId(), CAROL.userId());
        String id = confirmedByRequester("25000");
        harness.send(((Start.Ready) second().begin(id, BOB)).challenge());

        Start carol = second().begin(id, CAROL);

        assertThat(carol).isInstanceOfSatisfying(Start.Refused.class,
                refused -> assertThat(refused.message()).contains("<@UBOB>"));
        assertThat(type(id, CAROL, DEFAULT_CODE)).isInstanceOf(Check.NotYours.class);
        assertThat(type(id, BOB, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void approverClosingTheirModalOnlyDropsTheirCode() {
        String id = confirmedByRequester("25000");
        Start.Ready ready = (Start.Ready) second().begin(id, BOB);
        harness.send(ready.challenge());

        assertThat(harness.approvals().cancellation().modalClosed(id, BOB)).isEmpty();

        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
        assertThat(harness.challenge(ready.challenge().id()).state())
                .isEqualTo(ChallengeState.DEAD);
        assertThat(type(id, BOB, DEFAULT_CODE)).isInstanceOf(Check.NotReady.class);
        assertThat(harness.auditTypes(id)).contains("second_approval.abandoned");
    }

    @Test
    void rejectingNeedsAReason() {
        String id = confirmedByRequester("25000");

        assertThat(second().reject(id, BOB, "  ")).isInstanceOfSatisfying(Rejection.Refused.class,
                refused -> assertThat(refused.message()).contains("reason"));
        assertThat(second().reject(id, BOB, null)).isInstanceOf(Rejection.Refused.class);

        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void rejectionWithAReasonEndsTheRequestRejected() {
        String id = confirmedByRequester("25000");

        Rejection rejection = second().reject(id, BOB, "Invoice INV-1042 was already paid");

        assertThat(rejection).isInstanceOfSatisfying(Rejection.Rejected.class, rejected -> {
            assertThat(rejected.request().status()).isEqualTo(RequestStatus.REJECTED);
            assertThat(rejected.request().decidedBy()).isEqualTo(BOB.userId());
            assertThat(rejected.request().statusDetail())
                    .isEqualTo("Invoice INV-1042 was already paid");
        });
        assertThat(harness.audit(id)).last().satisfies(row -> {
            assertThat(row.type()).isEqualTo("request.rejected");
            assertThat(row.details()).contains("Invoice INV-1042 was already paid");
        });
        assertThat(second().begin(id, BOB)).isInstanceOf(Start.Refused.class);
    }

    @Test
    void requesterCannotRejectTheirOwnRequest() {
        String id = confirmedByRequester("25000");

        assertThat(second().reject(id, ALICE, "never mind")).isInstanceOf(Rejection.Refused.class);

        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void approverWithoutAnEnrolledPhoneIsToldToEnroll() {
        String id = confirmedByRequester("25000");

        Start start = second().begin(id, ADMIN);

        assertThat(start).isInstanceOfSatisfying(Start.Refused.class,
                refused -> assertThat(refused.message()).contains("enroll"));
        assertThat(harness.signalWire.starts()).hasSize(1);
    }

    @Test
    void aRequestStillWaitingForTheRequestersCodeCannotBeSecondApproved() {
        Opening.Ready opened = harness.openAndSend(ALICE, payment("25000", "Acme Corp"));

        assertThat(second().begin(opened.request().id(), BOB)).isInstanceOf(Start.Refused.class);
        assertThat(second().reject(opened.request().id(), BOB, "no"))
                .isInstanceOf(Rejection.Refused.class);
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void secondApproverRequestsExpireWhenNobodyActs() {
        String id = confirmedByRequester("25000");

        harness.clock.advance(Duration.ofHours(24));

        assertThat(harness.approvals().expiry().expireDue())
                .extracting(ApprovalRequest::id).containsExactly(id);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.EXPIRED);
    }

    @Test
    void approverListSeesRequestsWaitingForThemButNotTheirOwn() {
        String id = confirmedByRequester("25000");

        assertThat(harness.approvals().statusReports().status(BOB).toSecondApprove())
                .extracting(ApprovalRequest::id).containsExactly(id);
        assertThat(harness.approvals().statusReports().status(ALICE).toSecondApprove()).isEmpty();
        assertThat(harness.approvals().statusReports().status(CAROL).toSecondApprove()).isEmpty();
    }
}

package dev.countersign.approval;

import dev.countersign.people.Actor;
import static dev.countersign.testing.ApprovalsHarness.ADMIN;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestCancellation.Cancellation;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.RequestOpening.Reason;
import dev.countersign.approval.PhoneAdministration.Reset;
import dev.countersign.audit.AuditRecord;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestDeskTest {

    private static final String NEW_PHONE = "+12015550999";

    @TempDir
    Path directory;

    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private Check type(String requestId, Actor who, String code) {
        return harness.approvals().verification().verify(requestId, who, code);
    }

    private Optional<Enrollment> enrollmentOf(Actor user) {
        return harness.store().read(tx -> tx.enrollments().find(user));
    }

    // --- enrollment -----------------------------------------------------------------------------

    @Test
    void personWithoutAPhoneIsToldHowToEnrollAndNothingIsStoredOrSent() {
        Opening opening = harness.open(ALICE, payment("2500", "Acme Corp"));

        assertThat(opening).isInstanceOfSatisfying(Opening.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Reason.NOT_ENROLLED);
            assertThat(refused.message()).contains("/approve enroll");
        });
        assertThat(harness.approvals().statusReports().status(ALICE).open()).isEmpty();
        assertThat(harness.approvals().statusReports().status(ALICE).decided()).isEmpty();
        assertThat(harness.wholeAudit()).isEmpty();
        assertThat(harness.signalWire.calls()).isEmpty();
    }

    @Test
    void enrollingStoresThePhoneOnlyOnceTheRightCodeIsTyped() {
        Opening.Ready opened = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(ALICE_PHONE), ApprovalsHarness.REPLY);
        String id = opened.request().id();
        harness.send(opened.challenge());

        assertThat(harness.signalWire.starts()).singleElement()
                .satisfies(start -> assertThat(start.text("to")).isEqualTo(ALICE_PHONE));
        assertThat(enrollmentOf(ALICE)).isEmpty();
        assertThat(type(id, ALICE, "000000")).isInstanceOf(Check.WrongCode.class);
        assertThat(enrollmentOf(ALICE)).isEmpty();
        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOf(Opening.Refused.class);

        Check check = type(id, ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Enrolled.class, enrolled -> {
            assertThat(enrolled.enrollment().phone().e164()).isEqualTo(ALICE_PHONE);
            assertThat(enrolled.enrollment().changedAt()).isNull();
        });
        assertThat(enrollmentOf(ALICE)).hasValueSatisfying(
                enrollment -> assertThat(enrollment.phone().e164()).isEqualTo(ALICE_PHONE));
        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOf(Opening.Ready.class);
    }

    @Test
    void enrollmentThatRunsOutOfTriesStoresNoPhone() {
        Opening.Ready opened = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(ALICE_PHONE), ApprovalsHarness.REPLY);
        harness.send(opened.challenge());
        for (String wrong : new String[] {"000000", "000001", "000002"}) {
            type(opened.request().id(), ALICE, wrong);
        }

        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.LOCKED);
        assertThat(enrollmentOf(ALICE)).isEmpty();
        assertThat(type(opened.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.AlreadyDecided.class);
        assertThat(enrollmentOf(ALICE)).isEmpty();
    }

    @Test
    void aNewerEnrollmentReplacesAnOpenOneWhoseCodeThenEnrollsNothing() {
        Opening.Ready first = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(ALICE_PHONE), ApprovalsHarness.REPLY);
        harness.send(first.challenge());
        Opening.Ready second = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(NEW_PHONE), ApprovalsHarness.REPLY);
        harness.send(second.challenge());

        assertThat(type(first.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.AlreadyDecided.class);
        assertThat(harness.status(first.request().id())).isEqualTo(RequestStatus.CANCELLED);
        assertThat(enrollmentOf(ALICE)).isEmpty();
        assertThat(type(second.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.Enrolled.class);
        assertThat(enrollmentOf(ALICE)).hasValueSatisfying(
                enrollment -> assertThat(enrollment.phone().e164()).isEqualTo(NEW_PHONE));
    }

    @Test
    void changingPhoneNeedsACodeFromTheCurrentPhoneAndThenFromTheNewOne() {
        harness.enroll(ALICE, ALICE_PHONE);
        harness.clock.advance(Duration.ofDays(3));
        Opening.Ready opened = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(NEW_PHONE), ApprovalsHarness.REPLY);
        String id = opened.request().id();

        harness.send(opened.challenge());
        Check first = type(id, ALICE, DEFAULT_CODE);

        assertThat(harness.signalWire.starts()).singleElement()
                .satisfies(start -> assertThat(start.text("to")).isEqualTo(ALICE_PHONE));
        assertThat(first).isInstanceOf(Check.NextCode.class);
        assertThat(enrollmentOf(ALICE)).hasValueSatisfying(
                enrollment -> assertThat(enrollment.phone().e164()).isEqualTo(ALICE_PHONE));

        CodeChallenge next = ((Check.NextCode) first).next();
        assertThat(harness.send(next)).isInstanceOf(Delivery.Sent.class);
        assertThat(harness.signalWire.starts()).last()
                .satisfies(start -> assertThat(start.text("to")).isEqualTo(NEW_PHONE));
        assertThat(enrollmentOf(ALICE)).hasValueSatisfying(
                enrollment -> assertThat(enrollment.phone().e164()).isEqualTo(ALICE_PHONE));

        Check second = type(id, ALICE, DEFAULT_CODE);

        assertThat(second).isInstanceOf(Check.Enrolled.class);
        assertThat(enrollmentOf(ALICE)).hasValueSatisfying(enrollment -> {
            assertThat(enrollment.phone().e164()).isEqualTo(NEW_PHONE);
            assertThat(enrollment.changedAt()).isEqualTo(harness.clock.instant());
        });
        assertThat(harness.auditTypes(id)).contains("enrollment.changed");
    }

    @Test
    void wrongCodeFromTheCurrentPhoneLeavesThePhoneAsItWas() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(NEW_PHONE), ApprovalsHarness.REPLY);
        harness.send(opened.challenge());

        for (String wrong : new String[] {"000000", "000001", "000002"}) {
            type(opened.request().id(), ALICE, wrong);
        }

        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.LOCKED);
        assertThat(enrollmentOf(ALICE)).hasValueSatisfying(
                enrollment -> assertThat(enrollment.phone().e164()).isEqualTo(ALICE_PHONE));
        assertThat(harness.signalWire.starts()).extracting(start -> start.text("to"))
                .containsOnly(ALICE_PHONE);
    }

    @Test
    void enrollingTheSamePhoneAgainIsRefusedAndSendsNothing() {
        harness.enroll(ALICE, ALICE_PHONE);

        Opening opening = harness.approvals().opening().requestEnrollment(ALICE, new PhoneNumber(ALICE_PHONE),
                ApprovalsHarness.REPLY);

        assertThat(opening).isInstanceOfSatisfying(Opening.Refused.class,
                refused -> assertThat(refused.reason()).isEqualTo(Reason.SAME_PHONE));
        assertThat(harness.signalWire.calls()).isEmpty();
    }

    @Test
    void largePaymentsAreHeldFor24HoursAfterAPhoneChangeWhileSmallOnesGoThrough() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready change = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(NEW_PHONE), ApprovalsHarness.REPLY);
        harness.send(change.challenge());
        Check.NextCode next = (Check.NextCode) type(change.request().id(), ALICE, DEFAULT_CODE);
        harness.send(next.next());
        assertThat(type(change.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.Enrolled.class);
        Instant changedAt = harness.clock.instant();

        harness.clock.advance(Duration.ofHours(23));
        Opening large = harness.open(ALICE, payment("1000.01", "Acme Corp"));
        Opening atTheLimit = harness.open(ALICE, payment("1000", "Acme Corp"));
        Opening small = harness.open(ALICE, payment("250", "Acme Corp"));

        assertThat(large).isInstanceOfSatisfying(Opening.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Reason.HELD);
            assertThat(refused.message()).contains("on hold until", "1000");
        });
        assertThat(atTheLimit).isInstanceOf(Opening.Ready.class);
        assertThat(small).isInstanceOf(Opening.Ready.class);

        harness.clock.set(changedAt.plus(Duration.ofHours(24)));
        assertThat(harness.open(ALICE, payment("1000.01", "Acme Corp")))
                .isInstanceOf(Opening.Ready.class);
    }

    @Test
    void aFirstEnrollmentIsNotHeld() {
        harness.enroll(ALICE, ALICE_PHONE);

        assertThat(harness.open(ALICE, payment("50000", "Acme Corp")))
                .isInstanceOf(Opening.Ready.class);
    }

    // --- cancelling -----------------------------------------------------------------------------

    @Test
    void requesterCanCancelAnOpenRequest() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));

        Cancellation cancellation = harness.approvals().cancellation().cancelByReference(opened.request().reference(), ALICE);

        assertThat(cancellation).isInstanceOf(Cancellation.Cancelled.class);
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.CANCELLED);
        assertThat(harness.challenge(opened.challenge().id()).state())
                .isEqualTo(ChallengeState.DEAD);
        assertThat(harness.auditTypes(opened.request().id())).last().isEqualTo("request.cancelled");
    }

    @Test
    void nobodyButTheRequesterCanCancel() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));

        assertThat(harness.approvals().cancellation().cancelByReference(opened.request().reference(), BOB))
                .isInstanceOf(Cancellation.Refused.class);
        assertThat(harness.approvals().cancellation().cancel(opened.request().id(), BOB, "not mine"))
                .isInstanceOf(Cancellation.Refused.class);
        assertThat(harness.approvals().cancellation().cancel(opened.request().id(), ADMIN, "admin"))
                .isInstanceOf(Cancellation.Refused.class);

        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(type(opened.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.Approved.class);
    }

    @Test
    void aDecidedRequestCannotBeCancelled() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        type(opened.request().id(), ALICE, DEFAULT_CODE);

        Cancellation cancellation = harness.approvals().cancellation().cancel(opened.request().id(), ALICE, "too late");

        assertThat(cancellation).isInstanceOfSatisfying(Cancellation.Refused.class,
                refused -> assertThat(refused.message()).contains("approved"));
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.APPROVED);
    }

    @Test
    void requesterClosingTheCodeModalCancelsTheRequest() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));

        Optional<ApprovalRequest> closed = harness.approvals().cancellation().modalClosed(opened.request().id(), ALICE);

        assertThat(closed).hasValueSatisfying(
                request -> assertThat(request.status()).isEqualTo(RequestStatus.CANCELLED));
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.CANCELLED);
        assertThat(type(opened.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.AlreadyDecided.class);
    }

    @Test
    void someoneElseClosingAModalChangesNothing() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));

        assertThat(harness.approvals().cancellation().modalClosed(opened.request().id(), BOB)).isEmpty();

        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void closingTheModalWhileWaitingForASecondApproverChangesNothing() {
        harness.policy(policy -> policy.dualControlFrom("10000"));
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("25000", "Acme Corp"));
        assertThat(type(opened.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.SecondApproverNeeded.class);

        assertThat(harness.approvals().cancellation().modalClosed(opened.request().id(), ALICE)).isEmpty();

        assertThat(harness.status(opened.request().id()))
                .isEqualTo(RequestStatus.AWAITING_SECOND_APPROVER);
    }

    // --- expiry ---------------------------------------------------------------------------------

    @Test
    void sweeperExpiresRequestsWhoseCodeWasNotTypedInTime() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();

        harness.clock.advance(Duration.ofSeconds(299));
        assertThat(harness.approvals().expiry().expireDue()).isEmpty();
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);

        harness.clock.advance(Duration.ofSeconds(1));
        assertThat(harness.approvals().expiry().expireDue()).singleElement()
                .satisfies(expired -> assertThat(expired.id()).isEqualTo(id));
        assertThat(harness.status(id)).isEqualTo(RequestStatus.EXPIRED);
        assertThat(harness.auditTypes(id)).last().isEqualTo("request.expired");
        assertThat(harness.approvals().expiry().expireDue()).isEmpty();
        assertThat(type(id, ALICE, DEFAULT_CODE)).isInstanceOf(Check.AlreadyDecided.class);
    }

    @Test
    void aResponseUrlIsForgottenOnceSlackWouldNoLongerAcceptIt() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();
        RequestExpiry expiry = harness.approvals().expiry();

        harness.clock.advance(Duration.ofMinutes(29));
        assertThat(expiry.forgetStaleResponseUrls()).isZero();
        assertThat(responseUrl(id)).isEqualTo(ApprovalsHarness.REPLY.responseUrl());

        harness.clock.advance(Duration.ofMinutes(2));
        assertThat(expiry.forgetStaleResponseUrls()).isEqualTo(1);
        assertThat(responseUrl(id)).isNull();
        assertThat(harness.approvals().store().read(tx -> tx.requests().find(id)).orElseThrow()
                .replyTo().channelId()).as("the channel is kept").isEqualTo("C0001");
    }

    private String responseUrl(String id) {
        return harness.approvals().store().read(tx -> tx.requests().find(id)).orElseThrow()
                .replyTo().responseUrl();
    }

    @Test
    void resendPushesTheExpiryOut() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();
        harness.clock.advance(Duration.ofSeconds(200));

        assertThat(harness.approvals().delivery().resend(id, ALICE, DeliveryChannel.SMS))
                .isInstanceOf(Delivery.Sent.class);
        harness.clock.advance(Duration.ofSeconds(150));

        assertThat(harness.approvals().expiry().expireDue()).isEmpty();
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(type(id, ALICE, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void resentCodeExpiresItsLifetimeAfterTheResend() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        String id = opened.request().id();
        harness.clock.advance(Duration.ofSeconds(200));
        harness.approvals().delivery().resend(id, ALICE, DeliveryChannel.SMS);

        harness.clock.advance(Duration.ofSeconds(300));

        assertThat(harness.approvals().expiry().expireDue()).extracting(ApprovalRequest::id)
                .containsExactly(id);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.EXPIRED);
    }

    // --- admin reset ----------------------------------------------------------------------------

    @Test
    void onlyAdminsCanResetSomeonesPhone() {
        harness.enroll(ALICE, ALICE_PHONE);

        Reset reset = harness.approvals().phones().adminReset(BOB, ALICE);

        assertThat(reset).isInstanceOfSatisfying(Reset.Refused.class,
                refused -> assertThat(refused.message()).contains("ADMIN_USER_IDS"));
        assertThat(enrollmentOf(ALICE)).isPresent();
        assertThat(harness.wholeAudit()).extracting(AuditRecord::type)
                .doesNotContain("enrollment.reset");
    }

    @Test
    void adminResetRemovesThePhoneCancelsOpenRequestsAndIsAudited() {
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
        Opening.Ready open = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        Opening.Ready bobs = harness.openAndSend(BOB, payment("10", "Globex"));

        Reset reset = harness.approvals().phones().adminReset(ADMIN, ALICE);

        assertThat(reset).isInstanceOfSatisfying(Reset.Done.class, done -> {
            assertThat(done.hadPhone()).isTrue();
            assertThat(done.cancelled()).extracting(ApprovalRequest::id)
                    .containsExactly(open.request().id());
        });
        assertThat(enrollmentOf(ALICE)).isEmpty();
        assertThat(harness.status(open.request().id())).isEqualTo(RequestStatus.CANCELLED);
        assertThat(harness.status(bobs.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(type(open.request().id(), ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.AlreadyDecided.class);
        assertThat(harness.wholeAudit()).filteredOn(row -> row.type().equals("enrollment.reset"))
                .singleElement().satisfies(row -> {
                    assertThat(row.actor()).isEqualTo(ADMIN.userId());
                    assertThat(row.details()).contains("\"user\":\"UALICE\"");
                });
        assertThat(harness.open(ALICE, payment("10", "Acme Corp")))
                .isInstanceOfSatisfying(Opening.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.NOT_ENROLLED));
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void adminResetEndsEveryOpenRequestHoweverManyThereAre() {
        harness.policy(policy -> policy.maxCodesPerUserPerHour(100));
        harness.enroll(ALICE, ALICE_PHONE);
        for (int i = 0; i < 60; i++) {
            harness.open(ALICE, payment("10", "Acme Corp"));
        }

        Reset reset = harness.approvals().phones().adminReset(ADMIN, ALICE);

        assertThat(reset).isInstanceOfSatisfying(Reset.Done.class,
                done -> assertThat(done.cancelled()).hasSize(60));
        assertThat(harness.approvals().statusReports().status(ALICE).open()).isEmpty();
    }

    @Test
    void phoneEnrolledAfterAnAdminResetCountsAsAChange() {
        harness.enroll(ALICE, ALICE_PHONE);
        harness.approvals().phones().adminReset(ADMIN, ALICE);
        Opening.Ready opened = (Opening.Ready) harness.approvals().opening().requestEnrollment(ALICE,
                new PhoneNumber(NEW_PHONE), ApprovalsHarness.REPLY);
        harness.send(opened.challenge());

        Check check = type(opened.request().id(), ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Enrolled.class,
                enrolled -> assertThat(enrolled.enrollment().changedAt()).isNotNull());
        assertThat(harness.open(ALICE, payment("5000", "Acme Corp")))
                .isInstanceOfSatisfying(Opening.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.HELD));
    }

    // --- status ---------------------------------------------------------------------------------

    @Test
    void statusListsOpenAndDecidedRequestsOfThePerson() {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready approved = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        type(approved.request().id(), ALICE, DEFAULT_CODE);
        harness.clock.advance(Duration.ofMinutes(1));
        Opening.Ready pending = harness.openAndSend(ALICE, payment("10", "Globex"));

        StatusReports.StatusReport report = harness.approvals().statusReports().status(ALICE);

        assertThat(report.enrollment()).isPresent();
        assertThat(report.open()).extracting(ApprovalRequest::id)
                .containsExactly(pending.request().id());
        assertThat(report.decided()).extracting(ApprovalRequest::id)
                .containsExactly(approved.request().id());
        assertThat(harness.approvals().statusReports().status(BOB).open()).isEmpty();
    }
}

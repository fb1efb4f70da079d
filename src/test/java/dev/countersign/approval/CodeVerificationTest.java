package dev.countersign.approval;

import dev.countersign.people.Actor;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeVerificationTest {

    @TempDir
    Path directory;

    private ApprovalsHarness harness;
    private String id;
    private CodeChallenge challenge;

    @BeforeEach
    void openAPaymentWithItsCodeSent() {
        harness = new ApprovalsHarness(directory);
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
        Opening.Ready opened = harness.openAndSend(ALICE, payment("2500", "Acme Corp"));
        id = opened.request().id();
        challenge = opened.challenge();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private Check type(Actor who, String code) {
        return harness.approvals().verification().verify(id, who, code);
    }

    @Test
    void wrongCodeKeepsTheRequestWaitingAndSaysHowManyTriesAreLeft() {
        Check check = type(ALICE, "000000");

        assertThat(check).isInstanceOfSatisfying(Check.WrongCode.class,
                wrong -> assertThat(wrong.attemptsLeft()).isEqualTo(2));
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(type(ALICE, "000001")).isInstanceOfSatisfying(Check.WrongCode.class,
                wrong -> assertThat(wrong.attemptsLeft()).isEqualTo(1));
    }

    @Test
    void usingUpTheAttemptsWithWrongCodesLocksTheRequest() {
        type(ALICE, "000000");
        type(ALICE, "000001");

        Check last = type(ALICE, "000002");

        assertThat(last).isInstanceOf(Check.Locked.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.LOCKED);
        assertThat(type(ALICE, DEFAULT_CODE)).isInstanceOf(Check.AlreadyDecided.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.LOCKED);
        assertThat(harness.auditTypes(id)).containsOnlyOnce("request.locked")
                .doesNotContain("request.approved");
    }

    @Test
    void rightCodeApprovesTheRequestOnce() {
        Check check = type(ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Approved.class, approved -> {
            assertThat(approved.request().status()).isEqualTo(RequestStatus.APPROVED);
            assertThat(approved.request().decidedBy()).isEqualTo(ALICE.userId());
            assertThat(approved.verified()).singleElement()
                    .satisfies(code -> assertThat(code.id()).isEqualTo(challenge.id()));
        });
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.auditTypes(id)).containsOnlyOnce("request.approved");
    }

    @Test
    void rightCodeAfterAWrongOneStillApproves() {
        type(ALICE, "000000");

        assertThat(type(ALICE, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void secondSubmissionOfTheRightCodeApprovesNothing() {
        type(ALICE, DEFAULT_CODE);

        Check again = type(ALICE, DEFAULT_CODE);

        assertThat(again).isInstanceOfSatisfying(Check.AlreadyDecided.class,
                decided -> assertThat(decided.request().status())
                        .isEqualTo(RequestStatus.APPROVED));
        assertThat(harness.auditTypes(id)).containsOnlyOnce("request.approved");
        assertThat(harness.signalWire.verifies()).hasSize(1);
    }

    @Test
    void someoneElseTypingTheCodeIsToldItIsNotTheirsAndNothingChanges() {
        Check check = type(BOB, DEFAULT_CODE);

        assertThat(check).isInstanceOf(Check.NotYours.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(harness.challenge(challenge.id()).attempts()).isZero();
        assertThat(harness.signalWire.verifies()).isEmpty();
        assertThat(type(ALICE, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void malformedCodeUsesNoAttemptAndIsNeverSentToTheProvider() {
        for (String typed : new String[] {"12345", "1234567", "12a456", "", "   ", "１２３４５６"}) {
            assertThat(type(ALICE, typed)).as(typed).isInstanceOf(Check.Malformed.class);
        }
        assertThat(type(ALICE, null)).isInstanceOf(Check.Malformed.class);

        assertThat(harness.signalWire.verifies()).isEmpty();
        assertThat(harness.challenge(challenge.id()).attempts()).isZero();
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void codeTypedWithSpacesOrADashIsAccepted() {
        assertThat(type(ALICE, " 123-456 ")).isInstanceOf(Check.Approved.class);
    }

    @Test
    void providerNoLongerKnowingTheCodeLocksTheRequest() {
        harness.signalWire.forgetAll();

        Check check = type(ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOf(Check.Locked.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.LOCKED);
    }

    @Test
    void codeTypedAfterItsLifetimeEndsTheRequestExpired() {
        harness.clock.advance(Duration.ofSeconds(301));

        Check check = type(ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.Expired.class,
                expired -> assertThat(expired.requestEnded()).isTrue());
        assertThat(harness.status(id)).isEqualTo(RequestStatus.EXPIRED);
        // Known to be too late here: no attempt is spent at the provider.
        assertThat(harness.signalWire.verifies()).isEmpty();
    }

    @Test
    void codeThatRunsOutOfTimeOnItsWayToTheProviderEndsTheRequestExpiredNotLocked() {
        harness.clock.advance(Duration.ofSeconds(299));
        harness.signalWire.onVerify(() -> harness.clock.advance(Duration.ofSeconds(2)));

        Check check = type(ALICE, DEFAULT_CODE);

        assertThat(harness.signalWire.verifies()).hasSize(1);
        assertThat(check).isInstanceOf(Check.Expired.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.EXPIRED);
    }

    @Test
    void providerSaying404NeverUndoesAnApprovedRequest() {
        type(ALICE, DEFAULT_CODE);
        harness.signalWire.forgetAll();

        Check late = type(ALICE, DEFAULT_CODE);

        assertThat(late).isInstanceOf(Check.AlreadyDecided.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.auditTypes(id)).doesNotContain("request.locked");
    }

    @Test
    void providerErrorOnVerifyGivesTheAttemptBack() {
        harness.signalWire.failNextVerify(500);

        Check check = type(ALICE, DEFAULT_CODE);

        assertThat(check).isInstanceOfSatisfying(Check.CouldNotCheck.class, couldNot ->
                assertThat(couldNot.failure().kind()).isEqualTo(ProviderFailure.Kind.UNAVAILABLE));
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(harness.challenge(challenge.id()).attempts()).isZero();
        assertThat(type(ALICE, "000000")).isInstanceOfSatisfying(Check.WrongCode.class,
                wrong -> assertThat(wrong.attemptsLeft()).isEqualTo(2));
        assertThat(type(ALICE, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void verifyThatTimesOutGivesTheAttemptBack() {
        harness.codes(harness.signalWire.codes(Duration.ofMillis(200)));
        harness.signalWire.delayVerify(Duration.ofMillis(800));

        Check check = type(ALICE, "000000");

        assertThat(check).isInstanceOfSatisfying(Check.CouldNotCheck.class, couldNot ->
                assertThat(couldNot.failure().kind()).isEqualTo(ProviderFailure.Kind.TIMEOUT));
        assertThat(harness.status(id)).isEqualTo(RequestStatus.AWAITING_CODE);
        assertThat(harness.challenge(challenge.id()).attempts()).isZero();
        harness.signalWire.delayVerify(Duration.ZERO);
        harness.codes(harness.signalWire.codes());
        assertThat(type(ALICE, DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
    }

    @Test
    void codeStillBeingSentCannotBeCheckedYetAndUsesNoAttempt() {
        Opening.Ready second = (Opening.Ready) harness.open(BOB, payment("10", "Globex"));

        Check check = harness.approvals().verification().verify(second.request().id(), BOB,
                DEFAULT_CODE);

        assertThat(check).isInstanceOf(Check.NotReady.class);
        assertThat(harness.challenge(second.challenge().id()).attempts()).isZero();
        assertThat(harness.signalWire.verifies()).isEmpty();
    }

    @Test
    void unknownRequestIsNotFound() {
        Check check = harness.approvals().verification().verify("no-such-request", ALICE,
                DEFAULT_CODE);

        assertThat(check).isInstanceOf(Check.NotFound.class);
    }

    @Test
    void cancelledRequestApprovesNothingEvenWithTheRightCode() {
        harness.approvals().cancellation().cancel(id, ALICE, "changed my mind");

        assertThat(type(ALICE, DEFAULT_CODE)).isInstanceOf(Check.AlreadyDecided.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.CANCELLED);
        assertThat(harness.signalWire.verifies()).isEmpty();
    }
}

package dev.countersign.approval;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.audit.AuditRecord;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.otp.ProviderFailure.Kind;
import dev.countersign.otp.console.ConsoleCodes;
import dev.countersign.testing.ApprovalsHarness;
import dev.countersign.testing.FakeSignalWire;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodeDeliveryTest {

    @TempDir
    Path directory;

    private ApprovalsHarness harness;

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory);
        harness.enroll(ALICE, ALICE_PHONE);
        harness.enroll(BOB, BOB_PHONE);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private Opening.Ready open() {
        return (Opening.Ready) harness.open(ALICE, payment("2500", "Acme Corp"));
    }

    @Test
    void codeGoesToTheEnrolledPhoneNamingTheAmountAndPayee() {
        Opening.Ready opened = open();

        Delivery delivery = harness.send(opened.challenge());

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Sent.class, sent -> {
            assertThat(sent.challenge().state()).isEqualTo(ChallengeState.SENT);
            assertThat(sent.challenge().maskedPhone()).isEqualTo("•••• 0123");
        });
        assertThat(harness.signalWire.starts()).singleElement().satisfies(start -> {
            assertThat(start.path()).isEqualTo("/api/relay/rest/mfa/sms");
            assertThat(start.text("to")).isEqualTo(ALICE_PHONE);
            assertThat(start.text("from")).isEqualTo(FakeSignalWire.FROM);
            assertThat(start.text("message")).contains("approve", "USD 2,500.00", "Acme Corp");
            assertThat(start.body().path("valid_for").asInt()).isEqualTo(300);
            assertThat(start.body().path("max_attempts").asInt()).isEqualTo(3);
            assertThat(start.body().path("token_length").asInt()).isEqualTo(6);
        });
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void sendingTheSameCodeAgainTextsNobody() {
        Opening.Ready opened = open();
        harness.send(opened.challenge());

        Delivery again = harness.send(opened.challenge());

        assertThat(again).isNotInstanceOf(Delivery.Sent.class);
        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void withoutCustomTextTheProvidersOwnTextIsUsed() {
        harness.policy(policy -> policy.customCodeText(false));

        harness.send(open().challenge());

        assertThat(harness.signalWire.starts()).singleElement()
                .satisfies(start -> assertThat(start.body().has("message")).isFalse());
    }

    @Test
    void theAuditTrailNamesOnlyTheLastFourDigitsOfThePhone() {
        Opening.Ready opened = open();
        harness.send(opened.challenge());
        harness.approvals().verification().verify(opened.request().id(), ALICE, DEFAULT_CODE);

        assertThat(harness.wholeAudit()).extracting(AuditRecord::details)
                .noneMatch(details -> details.contains("2015550123"))
                .noneMatch(details -> details.contains(DEFAULT_CODE))
                .anyMatch(details -> details.contains("\"phone_last4\":\"0123\""));
    }

    @Test
    void theAuditTrailNamesTheServiceThatMadeTheCodeConsoleForALocalTrial() {
        harness.send(open().challenge());
        harness.codes(new ConsoleCodes(harness.clock, (phone, channel, message, code) -> { }));
        harness.send(((Opening.Ready) harness.open(BOB, payment("10", "Initech"))).challenge());

        assertThat(harness.wholeAudit()).extracting(AuditRecord::details)
                .filteredOn(details -> details.contains("\"provider\""))
                .hasSize(2)
                .anyMatch(details -> details.contains("\"provider\":\"signalwire\""))
                .anyMatch(details -> details.contains("\"provider\":\"console\""));
    }

    @ParameterizedTest(name = "HTTP {0} → {1}")
    @CsvSource({"401, UNAUTHORIZED", "422, REJECTED", "429, RATE_LIMITED", "500, UNAVAILABLE",
            "503, UNAVAILABLE"})
    void providerRefusingTheStartFailsTheRequestWithoutSendingAgain(int status, Kind kind) {
        harness.signalWire.failNextStart(status);
        Opening.Ready opened = open();

        Delivery delivery = harness.send(opened.challenge());

        assertThat(delivery).isInstanceOfSatisfying(Delivery.NotSent.class, notSent -> {
            assertThat(notSent.requestEnded()).isTrue();
            assertThat(notSent.failure().kind()).isEqualTo(kind);
            assertThat(notSent.failure().userMessage()).isNotBlank();
            assertThat(notSent.request().status()).isEqualTo(RequestStatus.FAILED);
        });
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(harness.challenge(opened.challenge().id()).state())
                .isEqualTo(ChallengeState.FAILED);
        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(harness.signalWire.requestCount()).isEqualTo(1);
        assertThat(harness.auditTypes(opened.request().id()))
                .containsExactly("request.created", "code.send_failed", "request.failed");
    }

    @Test
    void connectionDroppedDuringTheStartFailsTheRequestWithoutSendingAgain() {
        harness.signalWire.disconnectNextStart();
        Opening.Ready opened = open();

        Delivery delivery = harness.send(opened.challenge());

        assertThat(delivery).isInstanceOfSatisfying(Delivery.NotSent.class, notSent ->
                assertThat(notSent.failure().kind()).isIn(Kind.NETWORK, Kind.TIMEOUT));
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(harness.signalWire.requestCount()).isEqualTo(1);
    }

    @Test
    void startThatTimesOutFailsTheRequestWithoutSendingAgain() {
        harness.codes(harness.signalWire.codes(Duration.ofMillis(200)));
        harness.signalWire.delayNextStart(Duration.ofMillis(800));
        Opening.Ready opened = open();

        Delivery delivery = harness.send(opened.challenge());

        assertThat(delivery).isInstanceOfSatisfying(Delivery.NotSent.class, notSent -> {
            assertThat(notSent.failure().kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(notSent.failure().userMessage()).contains("ignore it");
        });
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(harness.signalWire.requestCount()).isEqualTo(1);
    }

    @Test
    void aFailedRequestCanBeStartedAgainAsANewOne() {
        harness.signalWire.failNextStart(500);
        harness.send(open().challenge());

        Opening.Ready again = open();

        assertThat(harness.send(again.challenge())).isInstanceOf(Delivery.Sent.class);
    }

    @Test
    void codeForARequestCancelledBeforeSendingIsNeverSent() {
        Opening.Ready opened = open();
        harness.approvals().cancellation().cancel(opened.request().id(), ALICE, "changed my mind");

        Delivery delivery = harness.send(opened.challenge());

        assertThat(delivery).isInstanceOfSatisfying(Delivery.Ended.class,
                ended -> assertThat(ended.request().status()).isEqualTo(RequestStatus.CANCELLED));
        assertThat(harness.signalWire.starts()).isEmpty();
    }

    @Test
    void resendWithin30SecondsIsRefusedAndNothingIsSent() {
        Opening.Ready opened = open();
        harness.send(opened.challenge());
        harness.clock.advance(Duration.ofSeconds(10));

        Delivery resend = harness.approvals().delivery().resend(opened.request().id(), ALICE,
                DeliveryChannel.SMS);

        assertThat(resend).isInstanceOfSatisfying(Delivery.Refused.class,
                refused -> assertThat(refused.message()).contains("Wait 20 seconds"));
        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(harness.challenge(opened.challenge().id()).state())
                .isEqualTo(ChallengeState.SENT);
    }

    @Test
    void resendAfter30SecondsSendsANewCodeAndTheOldOneNoLongerWorks() {
        Opening.Ready opened = open();
        String id = opened.request().id();
        harness.send(opened.challenge());
        harness.clock.advance(Duration.ofSeconds(30));
        harness.signalWire.code("654321");

        Delivery resend = harness.approvals().delivery().resend(id, ALICE, DeliveryChannel.SMS);

        assertThat(resend).isInstanceOfSatisfying(Delivery.Sent.class,
                sent -> assertThat(sent.challenge().id()).isNotEqualTo(opened.challenge().id()));
        assertThat(harness.challenge(opened.challenge().id()).state())
                .isEqualTo(ChallengeState.DEAD);
        assertThat(harness.signalWire.starts()).hasSize(2);
        assertThat(harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE))
                .isInstanceOf(Check.WrongCode.class);
        assertThat(harness.approvals().verification().verify(id, ALICE, "654321"))
                .isInstanceOf(Check.Approved.class);
        assertThat(harness.auditTypes(id))
                .containsSubsequence("code.sent", "code.resend", "code.sent",
                "request.approved");
    }

    @Test
    void callMeInsteadSendsTheNewCodeByVoice() {
        Opening.Ready opened = open();
        harness.send(opened.challenge());
        harness.clock.advance(Duration.ofSeconds(31));

        Delivery call = harness.approvals().delivery().resend(opened.request().id(), ALICE,
                DeliveryChannel.CALL);

        assertThat(call).isInstanceOfSatisfying(Delivery.Sent.class,
                sent -> assertThat(sent.challenge().channel()).isEqualTo(DeliveryChannel.CALL));
        assertThat(harness.signalWire.starts()).last()
                .satisfies(start -> assertThat(start.path()).isEqualTo("/api/relay/rest/mfa/call"));
    }

    @Test
    void onlyThePersonTheCodeIsForCanAskForAnother() {
        Opening.Ready opened = open();
        harness.send(opened.challenge());
        harness.clock.advance(Duration.ofSeconds(31));

        Delivery resend = harness.approvals().delivery().resend(opened.request().id(), BOB,
                DeliveryChannel.SMS);

        assertThat(resend).isInstanceOf(Delivery.Refused.class);
        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(harness.challenge(opened.challenge().id()).state())
                .isEqualTo(ChallengeState.SENT);
    }

    @Test
    void resendForADecidedRequestSendsNothing() {
        Opening.Ready opened = open();
        harness.send(opened.challenge());
        harness.approvals().verification().verify(opened.request().id(), ALICE, DEFAULT_CODE);
        harness.clock.advance(Duration.ofSeconds(31));

        Delivery resend = harness.approvals().delivery().resend(opened.request().id(), ALICE,
                DeliveryChannel.SMS);

        assertThat(resend).isInstanceOf(Delivery.Ended.class);
        assertThat(harness.signalWire.starts()).hasSize(1);
    }

    @Test
    void modalThatCouldNotOpenEndsTheRequestAndSendsNothing() {
        Opening.Ready opened = open();

        harness.approvals().delivery().abandon(opened.challenge().id(), "expired_trigger_id");

        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.FAILED);
        assertThat(harness.challenge(opened.challenge().id()).state())
                .isEqualTo(ChallengeState.ABANDONED);
        assertThat(harness.send(opened.challenge())).isInstanceOf(Delivery.Ended.class);
        assertThat(harness.signalWire.starts()).isEmpty();
    }
}

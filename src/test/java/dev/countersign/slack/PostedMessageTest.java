package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.ALICE;
import static dev.countersign.slack.ViewSamples.CREATED;
import static dev.countersign.slack.ViewSamples.FULL_PHONE;
import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.assertHostileTextInert;
import static dev.countersign.slack.ViewSamples.challenge;
import static dev.countersign.slack.ViewSamples.decided;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.mrkdwn;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.request;
import static dev.countersign.slack.ViewSamples.shown;
import static dev.countersign.slack.ViewSamples.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.StatusReports.StatusReport;
import dev.countersign.approval.RequestStatus;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PostedMessageTest {

    private static final Action PAYMENT = payment("2500", "USD", "Acme Corp", "INV-1042");
    private static final CodeChallenge ALICE_BY_SMS = challenge(ChallengePurpose.REQUESTER,
            DeliveryChannel.SMS);
    private static final CodeChallenge BOB_BY_CALL = challenge(ChallengePurpose.SECOND_APPROVER,
            DeliveryChannel.CALL);

    @Test
    void approvedResultSaysApprovedWhoWhatHowAndTheReference() {
        ApprovalRequest approved = decided(PAYMENT, RequestStatus.APPROVED, null);
        Messages.Message message = Messages.approved(approved, List.of(ALICE_BY_SMS));

        assertThat(message.text()).isEqualTo(":white_check_mark: Approved: pay USD 2,500.00 to "
                + "Acme Corp (for INV-1042). Approved by <@U0ALICE> (code by SMS to •••• 0123). "
                + "Ref " + REFERENCE + ".");
        JsonObject json = json(message);
        assertThat(mrkdwn(json)).contains(":white_check_mark: *Approved* by <@U0ALICE> (code by "
                + "SMS to •••• 0123) — payment", "Requested by <@U0ALICE> · ref " + REFERENCE
                + " · " + Mrkdwn.time(approved.decidedAt()));
        assertThat(texts(json, "plain_text")).contains("Amount: USD 2,500.00", "Payee: Acme Corp",
                "For: INV-1042", "Reference: " + REFERENCE);
        assertThat(json.toString()).doesNotContain(FULL_PHONE);
    }

    @Test
    void dualControlResultNamesBothApproversAndHowEachWasVerified() {
        String by = Messages.verifiedBy(List.of(ALICE_BY_SMS, BOB_BY_CALL));

        assertThat(by).isEqualTo("<@U0ALICE> (code by SMS to •••• 0123) and <@U0BOB> (code by "
                + "voice call to •••• 0123)");
        assertThat(Messages.verifiedBy(List.of())).isEqualTo("code");
    }

    @Test
    void undecidedRequestIsDatedWhenItWasMade() {
        Messages.Message message = Messages.approved(request(PAYMENT, RequestStatus.APPROVED),
                List.of(ALICE_BY_SMS));

        assertThat(mrkdwn(json(message))).anySatisfy(text -> assertThat(text)
                .endsWith(Mrkdwn.time(CREATED)));
    }

    @Test
    void requesterIsToldTheirCodeIsConfirmedAndASecondApproverIsAwaited() {
        Messages.Message message = Messages.awaitingSecondApprover(request(PAYMENT,
                RequestStatus.AWAITING_SECOND_APPROVER));

        assertThat(message.text()).contains("Your code is confirmed for pay USD 2,500.00 to Acme "
                + "Corp (for INV-1042) (ref " + REFERENCE + ")").contains("second approver")
                .doesNotContain("Approved");
        assertThat(texts(json(message), "plain_text")).contains("Payee: Acme Corp");
    }

    @ParameterizedTest
    @EnumSource(value = RequestStatus.class, names = {"EXPIRED", "LOCKED", "CANCELLED",
            "FAILED", "REJECTED"})
    void endedRequestSaysHowItEndedAndThatNothingWasApproved(RequestStatus status) {
        Messages.Message message = Messages.ended(decided(PAYMENT, status, null), "you closed "
                + "the window");

        String emoji = status == RequestStatus.CANCELLED ? ":no_entry_sign:" : ":x:";
        assertThat(message.text()).isEqualTo(emoji + " Request " + REFERENCE + " (pay USD "
                + "2,500.00 to Acme Corp (for INV-1042)) is " + status.word() + ": you closed the "
                + "window Nothing was approved.");
        assertThat(mrkdwn(json(message))).contains(message.text());
    }

    @Test
    void endedWithoutAReasonEndsTheSentence() {
        Messages.Message message = Messages.ended(decided(PAYMENT, RequestStatus.EXPIRED, null),
                " ");

        assertThat(message.text()).endsWith("is expired. Nothing was approved.");
    }

    @Test
    void statusShowsThePhoneMaskedAndEachRequestWithHowToCancelIt() {
        ApprovalRequest open = request(PAYMENT, RequestStatus.AWAITING_CODE);
        ApprovalRequest done = decided(new Action.Signature("MSA", "Globex"),
                RequestStatus.APPROVED, null);
        String status = Messages.status(new StatusReport(Optional.of(new Enrollment(ALICE,
                new PhoneNumber(FULL_PHONE), CREATED, null)), List.of(open), List.of(done),
                List.of()));

        assertThat(status).startsWith("*Your phone:* •••• 0123\n")
                .contains("• `" + REFERENCE + "` pay USD 2,500.00 to Acme Corp (for INV-1042) — "
                        + "waiting for a code (cancel: `/approve cancel " + REFERENCE + "`)")
                .contains("• `" + REFERENCE + "` sign MSA with Globex — *approved* "
                        + Mrkdwn.time(done.decidedAt()))
                .doesNotContain(FULL_PHONE);
    }

    @Test
    void statusWithNothingSaysHowToEnrollAndNone() {
        String status = Messages.status(new StatusReport(Optional.empty(), List.of(), List.of(),
                List.of()));

        assertThat(status).contains("none enrolled — run `/approve enroll +12015550123`")
                .contains("*Open requests*\n_none_").contains("*Last decisions*\n_none_");
    }

    @Test
    void cannotOpenSaysWhySlackRefusedAndThatNothingWasSent() {
        assertThat(Messages.cannotOpen("expired_trigger_id")).contains("(expired_trigger_id)")
                .contains("Nothing was sent to your phone and nothing was approved");
        assertThat(Messages.cannotOpen("ratelimited")).contains("rate-limiting");
        assertThat(Messages.cannotOpen("timeout")).contains("did not answer in time");
        assertThat(Messages.cannotOpen("invalid_blocks")).contains("refused to open it "
                + "(invalid_blocks)");
    }

    @Test
    void plainMessageShowsTheTextItWasGiven() {
        Messages.Message message = Messages.plain(":iphone: Your phone is now •••• 0123.");

        assertThat(mrkdwn(json(message))).containsOnly(":iphone: Your phone is now •••• 0123.");
    }

    @Test
    void hostilePayeeAndMemoReadAsTypedInEveryResult() {
        ApprovalRequest hostile = decided(payment("1", "USD", HOSTILE, HOSTILE),
                RequestStatus.APPROVED, null);

        assertHostileTextInert(json(Messages.approved(hostile, List.of(ALICE_BY_SMS))));
        assertHostileTextInert(json(Messages.awaitingSecondApprover(hostile)));
        assertHostileTextInert(json(Messages.ended(hostile.withStatus(RequestStatus.EXPIRED,
                CREATED, null, null), null)));
        assertThat(shown(Messages.approved(hostile, List.of(ALICE_BY_SMS)).text()))
                .contains("Approved: pay USD 1.00 to " + HOSTILE + " (for " + HOSTILE + ")");
    }

    @Test
    void hostileDocumentCounterpartyAndActionReadAsTyped() {
        for (Action action : List.of(new Action.Signature(HOSTILE, HOSTILE),
                new Action.Generic(HOSTILE))) {
            ApprovalRequest hostile = decided(action, RequestStatus.APPROVED, null);

            assertHostileTextInert(json(Messages.approved(hostile, List.of(ALICE_BY_SMS))));
            assertHostileTextInert(json(Messages.ended(hostile.withStatus(RequestStatus.LOCKED,
                    CREATED, null, null), "too many wrong codes")));
        }
    }

    @Test
    void hostileRejectReasonEscapedByTheCallerStaysInert() {
        ApprovalRequest rejected = decided(PAYMENT, RequestStatus.REJECTED, HOSTILE);

        Messages.Message message = Messages.ended(rejected, "rejected by <@U0BOB>: "
                + Mrkdwn.escape(rejected.statusDetail()));

        assertHostileTextInert(json(message));
        assertThat(message.text()).contains("rejected by <@U0BOB>: ");
    }

    @Test
    void hostileTextInStatusReadsAsTypedAndPingsNobody() {
        ApprovalRequest open = request(payment("1", "USD", HOSTILE, HOSTILE),
                RequestStatus.AWAITING_CODE);
        ApprovalRequest done = decided(new Action.Generic(HOSTILE), RequestStatus.APPROVED, null);
        String status = Messages.status(new StatusReport(Optional.empty(), List.of(open),
                List.of(done), List.of()));

        assertHostileTextInert(json(Messages.plain(status)));
    }
}

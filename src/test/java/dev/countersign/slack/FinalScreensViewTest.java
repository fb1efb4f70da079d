package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.BOB;
import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.MAX_MODAL_LABEL;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.REQUEST_ID;
import static dev.countersign.slack.ViewSamples.assertHostileTextInert;
import static dev.countersign.slack.ViewSamples.decided;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.mrkdwn;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.shown;
import static dev.countersign.slack.ViewSamples.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FinalScreensViewTest {

    private static final Action PAYMENT = payment("2500", "USD", "Acme Corp", "INV-1042");

    @ParameterizedTest
    @EnumSource(RequestStatus.class)
    void everyStatusHasAFinalScreenThatSaysHowTheRequestStands(RequestStatus status) {
        JsonObject view = json(FinalScreens.ended(decided(PAYMENT, status, null)));

        assertThat(mrkdwn(view).getFirst()).contains(expectedHeadline(status));
        assertThat(view.get("private_metadata").getAsString()).isEqualTo(REQUEST_ID);
        assertThat(view.has("submit")).isFalse();
        assertThat(view.getAsJsonObject("close").get("text").getAsString()).isEqualTo("Done");
        assertThat(view.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Approve payment").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
        assertThat(texts(view, "plain_text")).contains("Amount: USD 2,500.00",
                "Payee: Acme Corp", "For: INV-1042", "Reference: " + REFERENCE);
        assertThat(mrkdwn(view)).contains("Reference " + REFERENCE);
        assertThat(view.toString()).doesNotContain("\"input\"");
    }

    @ParameterizedTest
    @EnumSource(RequestStatus.class)
    void onlyAnApprovedRequestReadsAsApproved(RequestStatus status) {
        String headline = FinalScreens.headline(decided(PAYMENT, status, null));

        assertThat(headline.contains("*Approved.*")).isEqualTo(status == RequestStatus.APPROVED);
        boolean ended = !status.isOpen() && status != RequestStatus.APPROVED;
        assertThat(headline.contains("Nothing was approved")).isEqualTo(ended);
    }

    @Test
    void rejectionShowsWhoRejectedAndTheirReason() {
        JsonObject view = json(FinalScreens.ended(decided(PAYMENT, RequestStatus.REJECTED,
                "Vendor not on the approved list")));

        assertThat(mrkdwn(view)).contains(":x: *Rejected* by <@" + BOB
                + ">. Nothing was approved.", "Reason: Vendor not on the approved list");
    }

    @Test
    void failureSaysWhatWentWrong() {
        String headline = FinalScreens.headline(decided(PAYMENT, RequestStatus.FAILED,
                "the code could not be sent"));

        assertThat(headline).isEqualTo(":x: *This request has ended* (the code could not be "
                + "sent). Nothing was approved.");
    }

    @Test
    void enrolledPhoneIsConfirmedByItsLastFourDigitsOnly() {
        JsonObject first = json(FinalScreens.ended(decided(new Action.PhoneEnrollment("0123",
                false), RequestStatus.APPROVED, null)));
        JsonObject change = json(FinalScreens.ended(decided(new Action.PhoneEnrollment("9876",
                true), RequestStatus.APPROVED, null)));

        assertThat(mrkdwn(first).getFirst()).isEqualTo(":white_check_mark: *Phone •••• 0123 "
                + "enrolled.* Codes for your approvals will go to this phone.");
        assertThat(first.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Verify your phone");
        assertThat(mrkdwn(change).getFirst()).isEqualTo(":white_check_mark: *Phone •••• 9876 is "
                + "now your Countersign phone.*");
        assertThat(change.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Change your phone");
    }

    @ParameterizedTest
    @EnumSource(value = RequestStatus.class, names = "APPROVED", mode = EnumSource.Mode.EXCLUDE)
    void enrollmentThatDidNotGoThroughSaysThePhoneWasNotEnrolled(RequestStatus status) {
        String first = FinalScreens.headline(decided(new Action.PhoneEnrollment("0123", false),
                status, null));
        String change = FinalScreens.headline(decided(new Action.PhoneEnrollment("0123", true),
                status, null));

        assertThat(first).isEqualTo(":no_entry_sign: *Phone not enrolled* — this verification is "
                + status.word() + ".");
        assertThat(change).startsWith(":no_entry_sign: *Phone not changed*");
    }

    @Test
    void hostileRejectReasonReadsAsTypedAndPingsNobody() {
        JsonObject view = json(FinalScreens.ended(decided(PAYMENT, RequestStatus.REJECTED,
                HOSTILE)));

        assertHostileTextInert(view);
        assertThat(mrkdwn(view)).anySatisfy(text -> assertThat(shown(text))
                .isEqualTo("Reason: " + HOSTILE));
    }

    @Test
    void multiLineRejectReasonCannotStartAQuote() {
        String reason = "Not this vendor.\n> approved by the CFO";
        JsonObject view = json(FinalScreens.ended(decided(PAYMENT, RequestStatus.REJECTED,
                reason)));

        assertThat(mrkdwn(view)).anySatisfy(text -> assertThat(shown(text))
                .isEqualTo("Reason: " + reason));
        assertThat(mrkdwn(view)).noneMatch(text -> text.contains("\n&gt;")
                || text.contains("\n>"));
    }

    @Test
    void hostileFailureDetailReadsAsTyped() {
        assertHostileTextInert(json(FinalScreens.ended(decided(PAYMENT, RequestStatus.FAILED,
                HOSTILE))));
    }

    @ParameterizedTest
    @EnumSource(RequestStatus.class)
    void hostilePayeeReadsAsTypedOnEveryFinalScreen(RequestStatus status) {
        JsonObject view = json(FinalScreens.ended(decided(payment("1", "USD", HOSTILE, HOSTILE),
                status, null)));

        assertHostileTextInert(view);
        assertThat(texts(view, "plain_text")).contains("Payee: " + HOSTILE);
    }

    private static String expectedHeadline(RequestStatus status) {
        return switch (status) {
            case APPROVED -> ":white_check_mark: *Approved.*";
            case AWAITING_SECOND_APPROVER -> "*Your code is confirmed.* This request now waits "
                    + "for a second approver";
            case AWAITING_CODE -> "*Waiting for a code.*";
            case LOCKED -> ":lock: *Locked: too many wrong codes.* Nothing was approved.";
            case EXPIRED -> ":alarm_clock: *Expired:* the code wasn't entered in time. Nothing "
                    + "was approved.";
            case CANCELLED -> ":no_entry_sign: *Cancelled.* Nothing was approved.";
            case REJECTED -> ":x: *Rejected* by <@" + BOB + ">. Nothing was approved.";
            case FAILED -> ":x: *This request has ended* (failed). Nothing was approved.";
        };
    }
}

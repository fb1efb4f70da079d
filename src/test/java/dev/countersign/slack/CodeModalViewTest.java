package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.EXPIRES;
import static dev.countersign.slack.ViewSamples.FULL_PHONE;
import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.MAX_MODAL_LABEL;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.REQUEST_ID;
import static dev.countersign.slack.ViewSamples.assertHostileTextInert;
import static dev.countersign.slack.ViewSamples.block;
import static dev.countersign.slack.ViewSamples.challenge;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.mrkdwn;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.request;
import static dev.countersign.slack.ViewSamples.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.model.view.View;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.RequestStatus;
import dev.countersign.otp.DeliveryChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodeModalViewTest {

    private static final ApprovalRequest PAYMENT = request(payment("2500", "USD", "Acme Corp",
            "INV-1042"), RequestStatus.AWAITING_CODE);
    private static final CodeChallenge SMS = challenge(ChallengePurpose.REQUESTER,
            DeliveryChannel.SMS);

    @Test
    void sendingScreenShowsExactlyWhatIsApprovedAndWhereTheCodeGoes() {
        JsonObject view = json(CodeModal.sending(PAYMENT, SMS, false));

        assertThat(texts(view, "plain_text")).contains("Amount: USD 2,500.00", "Payee: Acme Corp",
                "For: INV-1042", "Reference: " + REFERENCE);
        assertThat(String.join("\n", mrkdwn(view)))
                .contains("*You are approving exactly this:*")
                .contains("Sending a code by SMS to •••• 0123");
        assertThat(view.toString()).doesNotContain(FULL_PHONE).doesNotContain("2015550123");
    }

    @Test
    void codeModalAsksToBeToldWhenClosedAndCarriesOnlyTheRequestId() {
        for (View screen : awaitingCodeScreens(PAYMENT, SMS)) {
            JsonObject view = json(screen);

            assertThat(view.get("type").getAsString()).isEqualTo("modal");
            assertThat(view.get("callback_id").getAsString()).isEqualTo(CodeModal.CALLBACK_ID);
            assertThat(view.get("notify_on_close").getAsBoolean()).isTrue();
            assertThat(view.get("private_metadata").getAsString()).isEqualTo(REQUEST_ID);
        }
    }

    @Test
    void codeInputSitsInTheBlockTheSubmissionHandlerReads() {
        for (View screen : awaitingCodeScreens(PAYMENT, SMS)) {
            JsonObject input = block(json(screen), CodeModal.CODE_BLOCK);

            assertThat(input.get("type").getAsString()).isEqualTo("input");
            assertThat(input.getAsJsonObject("element").get("action_id").getAsString())
                    .isEqualTo(CodeModal.CODE_ACTION);
            assertThat(input.getAsJsonObject("element").get("type").getAsString())
                    .isEqualTo("plain_text_input");
            assertThat(input.getAsJsonObject("label").get("text").getAsString())
                    .isEqualTo("6-digit code");
        }
    }

    @Test
    void readyScreenSaysWhenTheCodeExpiresAndOffersResendAndCall() {
        JsonObject view = json(CodeModal.ready(PAYMENT, SMS, null, false,
                EXPIRES.minus(Duration.ofMinutes(5))));

        assertThat(block(view, "status").getAsJsonObject("text").get("text").getAsString())
                .isEqualTo(":iphone: We sent a 6-digit code by SMS to •••• 0123. It expires "
                        + Mrkdwn.time(EXPIRES) + " (in 5 minutes).");
        JsonArray buttons = block(view, "countersign_resend").getAsJsonArray("elements");
        assertThat(buttons).hasSize(2);
        assertThat(buttons.get(0).getAsJsonObject().get("action_id").getAsString())
                .isEqualTo(CodeModal.RESEND_SMS);
        assertThat(buttonLabel(buttons.get(0))).isEqualTo("Resend code");
        assertThat(buttons.get(1).getAsJsonObject().get("action_id").getAsString())
                .isEqualTo(CodeModal.RESEND_CALL);
        assertThat(buttonLabel(buttons.get(1))).isEqualTo("Call me instead");
        assertThat(view.toString()).doesNotContain(FULL_PHONE);
    }

    @Test
    void lastSecondsStillReadAsOneMinuteNotZero() {
        JsonObject view = json(CodeModal.ready(PAYMENT, SMS, null, false,
                EXPIRES.minusSeconds(20)));

        assertThat(block(view, "status").toString()).contains("(in 1 minute).")
                .doesNotContain("0 minutes");
    }

    @Test
    void voiceCallScreenSaysWeAreCallingAndOffersToCallAgain() {
        CodeChallenge call = challenge(ChallengePurpose.REQUESTER, DeliveryChannel.CALL);
        JsonObject view = json(CodeModal.ready(PAYMENT, call, null, false,
                EXPIRES.minus(Duration.ofMinutes(3))));

        assertThat(block(view, "status").toString())
                .contains("We're calling •••• 0123 to read you a 6-digit code")
                .contains("(in 3 minutes)");
        assertThat(buttonLabel(block(view, "countersign_resend").getAsJsonArray("elements")
                .get(1))).isEqualTo("Call me again");
    }

    @Test
    void noticeIsShownAboveTheCodeWhenThereIsOne() {
        JsonObject view = json(CodeModal.ready(PAYMENT, SMS, "That code was wrong. 2 tries left.",
                false, EXPIRES.minusSeconds(60)));

        assertThat(mrkdwn(view)).contains(":warning: That code was wrong. 2 tries left.");
    }

    @Test
    void trialModeWarnsThatNoSmsIsSentOnEveryCodeScreen() {
        assertThat(json(CodeModal.sending(PAYMENT, SMS, true)).toString())
                .contains("Local trial mode").contains("no SMS is sent");
        assertThat(json(CodeModal.ready(PAYMENT, SMS, null, true, EXPIRES.minusSeconds(60)))
                .toString()).contains("Local trial mode");
        assertThat(json(CodeModal.ready(PAYMENT, SMS, null, false, EXPIRES.minusSeconds(60)))
                .toString()).doesNotContain("trial");
    }

    @Test
    void requesterApprovesAndPhoneOwnerVerifies() {
        assertThat(submit(CodeModal.sending(PAYMENT, SMS, false))).isEqualTo("Approve");
        ApprovalRequest enrollment = request(new Action.PhoneEnrollment("0123", false),
                RequestStatus.AWAITING_CODE);
        JsonObject view = json(CodeModal.sending(enrollment, challenge(ChallengePurpose.NEW_PHONE,
                DeliveryChannel.SMS), false));

        assertThat(view.getAsJsonObject("submit").get("text").getAsString()).isEqualTo("Verify");
        assertThat(view.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Verify your phone");
        assertThat(texts(view, "plain_text")).contains("Phone: •••• 0123");
        assertThat(mrkdwn(view)).contains("*Confirm the phone that will receive your approval "
                + "codes:*");
    }

    @Test
    void phoneChangeFirstCodeSaysItGoesToTheCurrentPhone() {
        ApprovalRequest change = request(new Action.PhoneEnrollment("9876", true),
                RequestStatus.AWAITING_CODE);
        JsonObject view = json(CodeModal.ready(change, challenge(ChallengePurpose.CURRENT_PHONE,
                DeliveryChannel.SMS), null, false, EXPIRES.minusSeconds(60)));

        assertThat(view.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Change your phone");
        assertThat(view.getAsJsonObject("submit").get("text").getAsString()).isEqualTo("Verify");
        assertThat(texts(view, "plain_text")).contains("New phone: •••• 9876");
        assertThat(block(view, "status").toString())
                .contains("your current phone — a second code will go to the new one");
    }

    @Test
    void secondApproverSeesWhoAskedAndASecondApprovalTitle() {
        ApprovalRequest waiting = request(payment("25000", "EUR", "Globex", null),
                RequestStatus.AWAITING_SECOND_APPROVER);
        JsonObject view = json(CodeModal.sending(waiting, challenge(
                ChallengePurpose.SECOND_APPROVER, DeliveryChannel.SMS), false));

        assertThat(view.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Second approval");
        assertThat(mrkdwn(view)).contains("*<@U0ALICE> asks you to give the second approval "
                + "for:*");
        assertThat(texts(view, "plain_text")).contains("Amount: EUR 25,000.00", "Payee: Globex")
                .noneMatch(text -> text.startsWith("For:"));
    }

    @ParameterizedTest
    @EnumSource(ChallengePurpose.class)
    void everyModalLabelFitsSlacksLimit(ChallengePurpose purpose) {
        List<Action> actions = List.of(payment("1", "USD", "A", null),
                new Action.Signature("Master Services Agreement", "Globex"),
                new Action.Generic("deploy billing-service v2.3 to production"),
                new Action.PhoneEnrollment("0123", true));
        for (Action action : actions) {
            ApprovalRequest request = request(action, RequestStatus.AWAITING_CODE);
            CodeChallenge code = challenge(purpose, DeliveryChannel.CALL);
            List<View> screens = new ArrayList<>(awaitingCodeScreens(request, code));
            screens.add(CodeModal.checking(request));
            screens.add(CodeModal.done(request, "*Approved.*", "Reference " + REFERENCE));
            for (View screen : screens) {
                JsonObject view = json(screen);
                for (String label : List.of("title", "submit", "close")) {
                    if (view.has(label)) {
                        assertThat(view.getAsJsonObject(label).get("text").getAsString())
                                .hasSizeBetween(1, MAX_MODAL_LABEL);
                        assertThat(view.getAsJsonObject(label).get("type").getAsString())
                                .isEqualTo("plain_text");
                    }
                }
            }
        }
    }

    @Test
    void checkingScreenHasNothingToSubmitAndKeepsTheDetails() {
        JsonObject view = json(CodeModal.checking(PAYMENT));

        assertThat(view.has("submit")).isFalse();
        assertThat(view.getAsJsonObject("close").get("text").getAsString()).isEqualTo("Close");
        assertThat(view.get("private_metadata").getAsString()).isEqualTo(REQUEST_ID);
        assertThat(block(view, "status").toString()).contains("Checking your code");
        assertThat(texts(block(view, "details"), "plain_text")).contains("Payee: Acme Corp");
        assertThat(view.toString()).doesNotContain(CodeModal.CODE_ACTION);
    }

    @Test
    void doneScreenHasNoInputNoSubmitAndADoneButton() {
        JsonObject view = json(CodeModal.done(PAYMENT, ":white_check_mark: *Approved.*",
                "Reference " + REFERENCE));

        assertThat(view.has("submit")).isFalse();
        assertThat(view.has("notify_on_close")
                && view.get("notify_on_close").getAsBoolean()).isFalse();
        assertThat(view.getAsJsonObject("close").get("text").getAsString()).isEqualTo("Done");
        assertThat(mrkdwn(view)).contains(":white_check_mark: *Approved.*",
                "Reference " + REFERENCE);
        assertThat(view.toString()).doesNotContain("\"input\"");
    }

    @Test
    void hostilePayeeAndMemoReadAsTypedOnEveryCodeScreen() {
        ApprovalRequest hostile = request(payment("10", "USD", HOSTILE, HOSTILE),
                RequestStatus.AWAITING_CODE);
        List<View> screens = new ArrayList<>(awaitingCodeScreens(hostile, SMS));
        screens.add(CodeModal.checking(hostile));
        for (View screen : screens) {
            JsonObject view = json(screen);

            assertHostileTextInert(view);
            assertThat(texts(view, "plain_text")).contains("Payee: " + HOSTILE, "For: " + HOSTILE);
        }
    }

    @Test
    void hostileDocumentCounterpartyAndActionReadAsTyped() {
        for (Action action : List.of(new Action.Signature(HOSTILE, HOSTILE),
                new Action.Generic(HOSTILE))) {
            JsonObject view = json(CodeModal.sending(request(action, RequestStatus.AWAITING_CODE),
                    SMS, false));

            assertHostileTextInert(view);
        }
    }

    private static List<View> awaitingCodeScreens(ApprovalRequest request, CodeChallenge code) {
        return List.of(CodeModal.sending(request, code, false),
                CodeModal.ready(request, code, null, false, EXPIRES.minusSeconds(120)),
                CodeModal.ready(request, code, "A new code is on its way.", true,
                        EXPIRES.minusSeconds(30)));
    }

    private static String submit(View view) {
        return json(view).getAsJsonObject("submit").get("text").getAsString();
    }

    private static String buttonLabel(JsonElement button) {
        return button.getAsJsonObject().getAsJsonObject("text").get("text").getAsString();
    }
}

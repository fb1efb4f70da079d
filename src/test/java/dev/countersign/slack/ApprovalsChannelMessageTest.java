package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.BOB;
import static dev.countersign.slack.ViewSamples.EXPIRES;
import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.REQUEST_ID;
import static dev.countersign.slack.ViewSamples.assertHostileTextInert;
import static dev.countersign.slack.ViewSamples.block;
import static dev.countersign.slack.ViewSamples.decided;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.mrkdwn;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.request;
import static dev.countersign.slack.ViewSamples.shown;
import static dev.countersign.slack.ViewSamples.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApprovalsChannelMessageTest {

    private static final Action PAYMENT = payment("25000", "USD", "Acme Holdings", "Q3 retainer");
    private static final ApprovalRequest WAITING = request(PAYMENT,
            RequestStatus.AWAITING_SECOND_APPROVER);

    @Test
    void pendingMessageNamesTheRequesterTheAmountAndThePayee() {
        Messages.Message message = ApprovalsChannelMessage.pending(WAITING);

        assertThat(message.text()).isEqualTo(":raised_hand: <@U0ALICE> asks for a second "
                + "approval: pay USD 25,000.00 to Acme Holdings (for Q3 retainer) (ref "
                + REFERENCE + ")");
        JsonObject json = json(message);
        assertThat(texts(json, "plain_text")).contains("Amount: USD 25,000.00",
                "Payee: Acme Holdings", "For: Q3 retainer", "Reference: " + REFERENCE);
        assertThat(String.join("\n", mrkdwn(json))).contains("*Second approval needed.*")
                .contains("Waiting until " + Mrkdwn.time(EXPIRES))
                .contains("the requester can't approve their own request");
    }

    @Test
    void pendingMessageHasApproveAndRejectButtonsCarryingTheRequestId() {
        JsonArray buttons = block(json(ApprovalsChannelMessage.pending(WAITING)),
                "countersign_second").getAsJsonArray("elements");

        assertThat(buttons).hasSize(2);
        JsonObject approve = buttons.get(0).getAsJsonObject();
        JsonObject reject = buttons.get(1).getAsJsonObject();
        assertThat(approve.get("action_id").getAsString())
                .isEqualTo(ApprovalsChannelMessage.APPROVE);
        assertThat(approve.get("value").getAsString()).isEqualTo(REQUEST_ID);
        assertThat(approve.get("style").getAsString()).isEqualTo("primary");
        assertThat(approve.getAsJsonObject("text").get("text").getAsString()).isEqualTo("Approve");
        assertThat(reject.get("action_id").getAsString())
                .isEqualTo(ApprovalsChannelMessage.REJECT);
        assertThat(reject.get("value").getAsString()).isEqualTo(REQUEST_ID);
        assertThat(reject.get("style").getAsString()).isEqualTo("danger");
        assertThat(reject.getAsJsonObject("text").get("text").getAsString()).isEqualTo("Reject");
    }

    @Test
    void decidedMessageHasNoButtonsLeftToPress() {
        JsonObject json = json(ApprovalsChannelMessage.decided(decided(PAYMENT,
                RequestStatus.APPROVED, null)));

        assertThat(json.toString()).doesNotContain(ApprovalsChannelMessage.APPROVE)
                .doesNotContain(ApprovalsChannelMessage.REJECT).doesNotContain("\"button\"");
        assertThat(texts(json, "plain_text")).contains("Payee: Acme Holdings");
    }

    @Test
    void approvedMessageSaysWhoGaveTheSecondApproval() {
        Messages.Message message = ApprovalsChannelMessage.decided(decided(PAYMENT,
                RequestStatus.APPROVED, null));

        assertThat(message.text()).isEqualTo(":white_check_mark: *Approved* by <@" + BOB
                + "> — pay USD 25,000.00 to Acme Holdings (for Q3 retainer) (ref " + REFERENCE
                + "), requested by <@U0ALICE>");
        assertThat(mrkdwn(json(message))).contains(":white_check_mark: *Approved* by <@" + BOB
                + "> — requested by <@U0ALICE>");
    }

    @Test
    void rejectedMessageShowsTheReason() {
        Messages.Message message = ApprovalsChannelMessage.decided(decided(PAYMENT,
                RequestStatus.REJECTED, "Vendor not on the approved list"));

        assertThat(message.text()).startsWith(":x: *Rejected* by <@" + BOB
                + ">: Vendor not on the approved list — ");
    }

    @ParameterizedTest
    @EnumSource(RequestStatus.class)
    void everyOutcomeNamesItsStatus(RequestStatus status) {
        ApprovalRequest request = decided(PAYMENT, status, "because");
        String text = ApprovalsChannelMessage.decided(request).text();

        String expected = switch (status) {
            case APPROVED -> "*Approved*";
            case REJECTED -> "*Rejected*";
            case EXPIRED -> "*Expired* without a second approval";
            case CANCELLED -> "*Cancelled*";
            case AWAITING_CODE, AWAITING_SECOND_APPROVER, LOCKED, FAILED ->
                    "*" + status.word() + "*";
        };
        assertThat(text).contains(expected).contains("ref " + REFERENCE);
        assertThat(ApprovalsChannelMessage.isDecided(request))
                .isEqualTo(status != RequestStatus.AWAITING_SECOND_APPROVER);
    }

    @Test
    void hostilePayeeAndMemoReadAsTypedAndPingNobody() {
        ApprovalRequest hostile = request(payment("25000", "USD", HOSTILE, HOSTILE),
                RequestStatus.AWAITING_SECOND_APPROVER);

        JsonObject pending = json(ApprovalsChannelMessage.pending(hostile));
        JsonObject approved = json(ApprovalsChannelMessage.decided(hostile.withStatus(
                RequestStatus.APPROVED, EXPIRES, BOB, null)));

        assertHostileTextInert(pending);
        assertHostileTextInert(approved);
        assertThat(shown(pending.get("text").getAsString())).contains("pay USD 25,000.00 to "
                + HOSTILE + " (for " + HOSTILE + ")");
    }

    @Test
    void hostileDocumentAndCounterpartyReadAsTyped() {
        ApprovalRequest hostile = request(new Action.Signature(HOSTILE, HOSTILE),
                RequestStatus.AWAITING_SECOND_APPROVER);

        assertHostileTextInert(json(ApprovalsChannelMessage.pending(hostile)));
    }

    @Test
    void hostileRejectReasonReadsAsTypedAndPingsNobody() {
        JsonObject rejected = json(ApprovalsChannelMessage.decided(decided(PAYMENT,
                RequestStatus.REJECTED, HOSTILE)));

        assertHostileTextInert(rejected);
        assertThat(mrkdwn(rejected)).anySatisfy(text -> assertThat(shown(text))
                .contains("by <@" + BOB + ">: " + HOSTILE));
    }
}

package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.MAX_MODAL_LABEL;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.REQUEST_ID;
import static dev.countersign.slack.ViewSamples.assertHostileTextInert;
import static dev.countersign.slack.ViewSamples.block;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.request;
import static dev.countersign.slack.ViewSamples.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.slack.api.model.view.ViewState;
import com.slack.api.util.json.GsonFactory;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import org.junit.jupiter.api.Test;

class RejectModalViewTest {

    private static final ApprovalRequest WAITING = request(payment("25000", "USD",
            "Acme Holdings", null), RequestStatus.AWAITING_SECOND_APPROVER);

    @Test
    void rejectModalShowsTheRequestAndAsksWhyForThatRequest() {
        JsonObject view = json(RejectModal.ask(WAITING));

        assertThat(view.get("callback_id").getAsString()).isEqualTo(RejectModal.CALLBACK_ID);
        assertThat(view.get("private_metadata").getAsString()).isEqualTo(REQUEST_ID);
        assertThat(texts(view, "plain_text")).contains("Amount: USD 25,000.00",
                "Payee: Acme Holdings", "Reference: " + REFERENCE,
                "Why are you rejecting it?", "The requester will see this.");
        JsonObject reason = block(view, RejectModal.REASON_BLOCK);
        assertThat(reason.get("type").getAsString()).isEqualTo("input");
        assertThat(reason.getAsJsonObject("element").get("action_id").getAsString())
                .isEqualTo("value");
        assertThat(reason.getAsJsonObject("element").get("multiline").getAsBoolean()).isTrue();
        assertThat(reason.getAsJsonObject("element").get("max_length").getAsInt()).isEqualTo(500);
    }

    @Test
    void labelsSayRejectAndBackWithinSlacksLimit() {
        JsonObject view = json(RejectModal.ask(WAITING));

        assertThat(view.getAsJsonObject("title").get("text").getAsString())
                .isEqualTo("Reject request").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
        assertThat(view.getAsJsonObject("submit").get("text").getAsString())
                .isEqualTo("Reject").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
        assertThat(view.getAsJsonObject("close").get("text").getAsString())
                .isEqualTo("Back").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
    }

    @Test
    void reasonIsReadFromTheBlockTheModalHas() {
        ViewState state = state("{\"values\":{\"" + RejectModal.REASON_BLOCK + "\":{\"value\":"
                + "{\"type\":\"plain_text_input\",\"value\":\"Vendor not on the list\"}}}}");

        assertThat(RejectModal.reason(state)).isEqualTo("Vendor not on the list");
    }

    @Test
    void noReasonReadsAsEmptyNotAsAnError() {
        assertThat(RejectModal.reason(null)).isEmpty();
        assertThat(RejectModal.reason(state("{}"))).isEmpty();
        assertThat(RejectModal.reason(state("{\"values\":{\"other\":{}}}"))).isEmpty();
        assertThat(RejectModal.reason(state("{\"values\":{\"" + RejectModal.REASON_BLOCK
                + "\":{\"value\":{\"type\":\"plain_text_input\"}}}}"))).isEmpty();
    }

    @Test
    void hostileReasonIsReadExactlyAsTyped() {
        ViewState state = state("{\"values\":{\"reason\":{\"value\":{\"type\":"
                + "\"plain_text_input\",\"value\":\"" + HOSTILE.replace("\"", "\\\"") + "\"}}}}");

        assertThat(RejectModal.reason(state)).isEqualTo(HOSTILE);
    }

    @Test
    void hostilePayeeAndDocumentReadAsTypedInTheRejectModal() {
        assertHostileTextInert(json(RejectModal.ask(request(payment("1", "USD", HOSTILE,
                HOSTILE), RequestStatus.AWAITING_SECOND_APPROVER))));
        assertHostileTextInert(json(RejectModal.ask(request(new Action.Signature(HOSTILE,
                HOSTILE), RequestStatus.AWAITING_SECOND_APPROVER))));
    }

    private static ViewState state(String json) {
        return GsonFactory.createSnakeCase().fromJson(json, ViewState.class);
    }
}

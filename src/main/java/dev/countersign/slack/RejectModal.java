package dev.countersign.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import dev.countersign.approval.ApprovalRequest;
import java.util.List;
import java.util.Map;

/** Asks a second approver why they reject a request. */
final class RejectModal {

    static final String CALLBACK_ID = "countersign_reject";
    static final String REASON_BLOCK = "reason";

    private RejectModal() {
    }

    static View ask(ApprovalRequest request) {
        return view(v -> v.type("modal")
                .callbackId(CALLBACK_ID)
                .privateMetadata(request.id())
                .title(viewTitle(t -> t.type("plain_text").text("Reject request")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Reject")))
                .close(viewClose(c -> c.type("plain_text").text("Back")))
                .blocks(List.of(
                        section(s -> s.fields(ActionDetails.fields(request))),
                        input(i -> i.blockId(REASON_BLOCK).label(plainText(
                                "Why are you rejecting it?"))
                                .hint(plainText("The requester will see this."))
                                .element(plainTextInput(e -> e.actionId("value").multiline(true)
                                        .maxLength(500)))))));
    }

    static String reason(ViewState state) {
        if (state == null || state.getValues() == null) {
            return "";
        }
        Map<String, ViewState.Value> block = state.getValues().get(REASON_BLOCK);
        ViewState.Value value = block == null ? null : block.get("value");
        return value == null || value.getValue() == null ? "" : value.getValue();
    }
}

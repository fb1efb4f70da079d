package dev.countersign.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The direct message that asks a person to review a request another system made: what is asked
 * (amount, payee, memo or document), which system asked, the reference, and a *Review and
 * approve* button that opens the code modal; once the request ends, the same message with its
 * outcome and no button. Pure functions.
 */
final class ReviewMessage {

    /** The button's {@code action_id}; its value is the request id. */
    static final String REVIEW = "review_request";

    private ReviewMessage() {
    }

    static Messages.Message asking(ApprovalRequest request, String asker) {
        String who = Mrkdwn.escape(asker);
        String text = ":lock: " + who + " asks you to approve: " + ActionDetails.summary(request)
                + " (ref " + request.reference() + ").";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(":lock: *" + who + "* asks you to approve:"))));
        blocks.add(section(s -> s.fields(ActionDetails.fields(request))));
        blocks.add(actions(a -> a.blockId("review").elements(List.of(button(b -> b
                .actionId(REVIEW).value(request.id()).style("primary")
                .text(plainText("Review and approve")))))));
        blocks.add(context(c -> c.elements(List.of(markdownText("Asked by " + who + " · ref "
                + request.reference() + " · open until " + Mrkdwn.time(request.expiresAt()))))));
        return new Messages.Message(text, blocks);
    }

    static Messages.Message ended(ApprovalRequest request, String asker) {
        String who = Mrkdwn.escape(asker);
        String headline = request.status() == RequestStatus.CANCELLED
                && request.statusDetail() != null
                ? ":no_entry_sign: *Cancelled* (" + Mrkdwn.escape(request.statusDetail())
                        + "). Nothing was approved."
                : FinalScreens.headline(request);
        String text = headline + " " + ActionDetails.summary(request) + " (ref "
                + request.reference() + ", asked by " + who + ").";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(headline))));
        blocks.add(section(s -> s.fields(ActionDetails.fields(request))));
        blocks.add(context(c -> c.elements(List.of(markdownText("Asked by " + who + " · ref "
                + request.reference())))));
        return new Messages.Message(text, blocks);
    }
}

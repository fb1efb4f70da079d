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

/** The dual-control message in the approvals channel: pending with buttons, then its outcome. */
final class ApprovalsChannelMessage {

    static final String APPROVE = "countersign_second_approve";
    static final String REJECT = "countersign_second_reject";

    private ApprovalsChannelMessage() {
    }

    static Messages.Message pending(ApprovalRequest request) {
        String text = ":raised_hand: " + request.requester().mention()
                + " asks for a second approval: "
                + ActionDetails.summary(request) + " (ref " + request.reference() + ")";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(":raised_hand: *Second approval needed.* "
                + request.requester().mention() + " asked for this and confirmed it with their "
                + "own code:"))));
        blocks.add(section(s -> s.fields(ActionDetails.fields(request))));
        blocks.add(context(c -> c.elements(List.of(markdownText("Waiting until "
                + Mrkdwn.time(request.expiresAt()) + ". Approving sends a code to your own phone; "
                + "the requester can't approve their own request.")))));
        blocks.add(actions(a -> a.blockId("countersign_second").elements(List.of(
                button(b -> b.actionId(APPROVE).text(plainText("Approve")).style("primary")
                        .value(request.id())),
                button(b -> b.actionId(REJECT).text(plainText("Reject")).style("danger")
                        .value(request.id()))))));
        return new Messages.Message(text, blocks);
    }

    static Messages.Message decided(ApprovalRequest request) {
        String outcome = switch (request.status()) {
            case APPROVED -> ":white_check_mark: *Approved* by <@" + request.decidedBy() + ">";
            case REJECTED -> ":x: *Rejected* by <@" + request.decidedBy() + ">: "
                    + Mrkdwn.escape(request.statusDetail());
            case EXPIRED -> ":alarm_clock: *Expired* without a second approval";
            case CANCELLED -> ":no_entry_sign: *Cancelled*";
            default -> "*" + request.status().word() + "*";
        };
        String text = outcome + " — " + ActionDetails.summary(request) + " (ref "
                + request.reference()
                + "), requested by " + request.requester().mention();
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(outcome + " — requested by "
                + request.requester().mention()))));
        blocks.add(section(s -> s.fields(ActionDetails.fields(request))));
        return new Messages.Message(text, blocks);
    }

    static boolean isDecided(ApprovalRequest request) {
        return request.status() != RequestStatus.AWAITING_SECOND_APPROVER;
    }
}

package dev.countersign.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.people.Actor;
import dev.countersign.approval.Approvals;
import dev.countersign.approval.SecondApproval;
import java.util.Map;
import java.util.Optional;

/**
 * Approve and Reject pressed by someone in the approvals channel (or on their Home tab). Approve
 * opens the approver's own code modal with the click's trigger and sends the code to their phone
 * at once; Reject asks for a reason. Refusals (the requester, a non-approver) send no code.
 */
final class SecondApprovalActions {

    private final Approvals approvals;
    private final CodeFlow codeFlow;
    private final Background background;
    private final SlackGateway slack;
    private final Notifier notifier;
    private final ApprovalsChannel dualControl;
    private final HomeTab home;

    SecondApprovalActions(Approvals approvals, CodeFlow codeFlow, Background background,
                          SlackGateway slack, Notifier notifier, ApprovalsChannel dualControl,
                          HomeTab home) {
        this.approvals = approvals;
        this.codeFlow = codeFlow;
        this.background = background;
        this.slack = slack;
        this.notifier = notifier;
        this.dualControl = dualControl;
        this.home = home;
    }

    Response approve(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Actor approver = new Actor(payload.getTeam().getId(), payload.getUser().getId());
        String requestId = payload.getActions().get(0).getValue();
        SecondApproval.Start start = approvals.secondApproval().begin(requestId, approver);
        if (start instanceof SecondApproval.Start.Ready ready) {
            codeFlow.open(payload.getTriggerId(), ready.request(), ready.challenge());
        } else {
            refuse(payload, ((SecondApproval.Start.Refused) start).message());
        }
        return ctx.ack();
    }

    Response reject(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Actor approver = new Actor(payload.getTeam().getId(), payload.getUser().getId());
        String requestId = payload.getActions().get(0).getValue();
        Optional<String> refusal = approvals.secondApproval().mayDecide(requestId, approver);
        if (refusal.isPresent()) {
            refuse(payload, refusal.get());
            return ctx.ack();
        }
        String trigger = payload.getTriggerId();
        background.modal(() -> FinalScreens.current(approvals, requestId).ifPresent(current -> {
            SlackGateway.Reply<SlackGateway.ViewRef> opened =
                    slack.openModal(trigger, RejectModal.ask(current.request()));
            if (!opened.ok()) {
                refuse(payload, Messages.cannotOpen(opened.error()));
            }
        }));
        return ctx.ack();
    }

    Response rejectReason(ViewSubmissionRequest request, ViewSubmissionContext ctx) {
        ViewSubmissionPayload payload = request.getPayload();
        Actor approver = new Actor(payload.getTeam().getId(), payload.getUser().getId());
        String requestId = payload.getView().getPrivateMetadata();
        SecondApproval.Rejection rejection = approvals.secondApproval().reject(requestId, approver,
                RejectModal.reason(payload.getView().getState()));
        if (rejection instanceof SecondApproval.Rejection.Refused refused) {
            return ctx.ackWithErrors(Map.of(RejectModal.REASON_BLOCK, refused.message()));
        }
        var rejected = ((SecondApproval.Rejection.Rejected) rejection).request();
        background.slack(() -> {
            dualControl.decided(rejected);
            notifier.toRequester(rejected, Messages.ended(rejected, "rejected by <@"
                    + approver.userId() + ">: " + Mrkdwn.escape(rejected.statusDetail())));
            home.publish(approver);
        });
        return ctx.ack();
    }

    /** Tells only the person who clicked: ephemeral in the channel, or a modal from Home. */
    private void refuse(BlockActionPayload payload, String message) {
        String text = ":x: " + message;
        background.slack(() -> {
            if (payload.getResponseUrl() != null
                    && slack.respond(payload.getResponseUrl(), false, text, null).ok()) {
                return;
            }
            if (payload.getChannel() != null
                    && slack.postEphemeral(payload.getChannel().getId(), payload.getUser().getId(),
                    text).ok()) {
                return;
            }
            notifier.dm(payload.getUser().getId(), Messages.plain(text));
        });
    }
}

package dev.countersign.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.approval.SecondApproval;
import dev.countersign.approval.SecondApproval.Rejection;
import dev.countersign.approval.SecondApproval.Start;
import dev.countersign.approval.StatusReports;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;
import java.util.Map;
import java.util.Optional;

/**
 * Approve and Reject pressed by someone in the approvals channel (or on their Home tab). Approve
 * opens the approver's own code modal with the click's trigger and sends the code to their phone
 * at once; Reject asks for a reason. Refusals (the requester, a non-approver) send no code.
 */
final class SecondApprovalActions {

    private final Installation installation;
    private final SecondApproval secondApproval;
    private final StatusReports requests;
    private final CodeFlow codeFlow;
    private final SlackGateway slack;
    private final Notifier notifier;
    private final Announcements announcements;
    private final HomeTab home;
    private final AfterAck afterAck;

    SecondApprovalActions(Installation installation, SecondApproval secondApproval,
                          StatusReports requests, CodeFlow codeFlow, SlackGateway slack,
                          Notifier notifier, Announcements announcements, HomeTab home,
                          AfterAck afterAck) {
        this.installation = installation;
        this.secondApproval = secondApproval;
        this.requests = requests;
        this.codeFlow = codeFlow;
        this.slack = slack;
        this.notifier = notifier;
        this.announcements = announcements;
        this.home = home;
        this.afterAck = afterAck;
    }

    Response approve(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Trigger trigger = Trigger.receivedNow(payload.getTriggerId());
        Actor approver = installation.person(payload.getUser().getId());
        String requestId = payload.getActions().get(0).getValue();
        switch (secondApproval.begin(requestId, approver)) {
            case Start.Ready ready -> codeFlow.open(trigger, ready.request(), ready.challenge());
            case Start.Refused(String message) -> refuse(payload, message);
        }
        return ctx.ack();
    }

    Response reject(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Trigger trigger = Trigger.receivedNow(payload.getTriggerId());
        Actor approver = installation.person(payload.getUser().getId());
        String requestId = payload.getActions().get(0).getValue();
        Optional<String> refusal = secondApproval.mayDecide(requestId, approver);
        if (refusal.isPresent()) {
            refuse(payload, refusal.get());
            return ctx.ack();
        }
        afterAck.openModal(() -> requests.find(requestId).ifPresent(found -> {
            String error = slack.stillUsable(trigger)
                    ? slack.openModal(trigger.id(), RejectModal.ask(found)).error() : "busy";
            if (error != null) {
                refuse(payload, Messages.cannotOpen(error));
            }
        }));
        return ctx.ack();
    }

    Response rejectReason(ViewSubmissionRequest request, ViewSubmissionContext ctx) {
        ViewSubmissionPayload payload = request.getPayload();
        Actor approver = installation.person(payload.getUser().getId());
        String requestId = payload.getView().getPrivateMetadata();
        return switch (secondApproval.reject(requestId, approver,
                RejectModal.reason(payload.getView().getState()))) {
            case Rejection.Refused(String message) ->
                    ctx.ackWithErrors(Map.of(RejectModal.REASON_BLOCK, message));
            case Rejection.Rejected(var rejected) -> {
                afterAck.run(() -> {
                    announcements.deliverNow(rejected.id(), Announcements.Seen.NOTHING);
                    home.publish(approver);
                });
                yield ctx.ack();
            }
        };
    }

    /** Tells only the person who clicked: ephemeral in the channel, or a direct message. */
    private void refuse(BlockActionPayload payload, String message) {
        String text = message.startsWith(":") ? message : ":x: " + message;
        afterAck.run(() -> {
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

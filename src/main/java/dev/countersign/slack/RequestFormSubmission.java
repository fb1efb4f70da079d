package dev.countersign.slack;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.people.Actor;
import dev.countersign.approval.Approvals;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestDesk;
import java.util.Map;

/**
 * The request form submitted: the form becomes the code modal in place ({@code response_action:
 * update}), so no new trigger is needed; the code goes out right after.
 */
final class RequestFormSubmission {

    private final Approvals approvals;
    private final CodeFlow codeFlow;
    private final Background background;
    private final boolean trial;

    RequestFormSubmission(Approvals approvals, CodeFlow codeFlow, Background background,
                          boolean trial) {
        this.approvals = approvals;
        this.codeFlow = codeFlow;
        this.background = background;
        this.trial = trial;
    }

    Response handle(ViewSubmissionRequest request, ViewSubmissionContext ctx) {
        ViewSubmissionPayload payload = request.getPayload();
        RequestForm.Parsed parsed = RequestForm.parse(payload.getView().getState());
        if (parsed.action() == null) {
            return ctx.ackWithErrors(parsed.errors());
        }
        Actor requester = new Actor(payload.getTeam().getId(), payload.getUser().getId());
        ReplyTo replyTo = RequestForm.replyTo(payload.getView().getPrivateMetadata());
        RequestDesk.Opening opening = approvals.desk().requestApproval(requester, parsed.action(),
                replyTo);
        if (opening instanceof RequestDesk.Opening.Refused refused) {
            return ctx.ackWithErrors(Map.of("subject", refused.message()));
        }
        RequestDesk.Opening.Ready ready = (RequestDesk.Opening.Ready) opening;
        String viewId = payload.getView().getId();
        approvals.delivery().attachView(ready.challenge().id(), viewId, null);
        background.slack(() -> codeFlow.send(viewId, ready.challenge().id()));
        return ctx.ackWithUpdate(CodeModal.sending(ready.request(), ready.challenge(), trial));
    }
}

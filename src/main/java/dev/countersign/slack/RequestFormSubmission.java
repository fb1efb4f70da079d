package dev.countersign.slack;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestOpening;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;
import java.util.Map;

/**
 * The request form submitted: the form becomes the code modal in place ({@code response_action:
 * update}), so no new trigger is needed; the code goes out right after.
 */
final class RequestFormSubmission {

    private final Installation installation;
    private final RequestOpening opening;
    private final CodeFlow codeFlow;
    private final Modals modals;
    private final AfterAck afterAck;
    private final boolean trial;

    RequestFormSubmission(Installation installation, RequestOpening opening, CodeFlow codeFlow,
                          Modals modals, AfterAck afterAck, boolean trial) {
        this.installation = installation;
        this.opening = opening;
        this.codeFlow = codeFlow;
        this.modals = modals;
        this.afterAck = afterAck;
        this.trial = trial;
    }

    Response handle(ViewSubmissionRequest request, ViewSubmissionContext ctx) {
        ViewSubmissionPayload payload = request.getPayload();
        RequestForm.Parsed parsed = RequestForm.parse(payload.getView().getState());
        if (parsed.action() == null) {
            return ctx.ackWithErrors(parsed.errors());
        }
        Actor requester = installation.person(payload.getUser().getId());
        ReplyTo replyTo = RequestForm.replyTo(payload.getView().getPrivateMetadata());
        return switch (opening.requestApproval(requester, parsed.action(), replyTo)) {
            case Opening.Refused refused ->
                    ctx.ackWithErrors(Map.of("subject", refused.message()));
            case Opening.Ready ready -> {
                String viewId = payload.getView().getId();
                afterAck.run(() -> {
                    modals.shows(viewId, null, ready.request().id(), requester);
                    codeFlow.send(viewId, ready.challenge().id());
                });
                yield ctx.ackWithUpdate(CodeModal.sending(ready.request(), ready.challenge(),
                        trial));
            }
        };
    }
}

package dev.countersign.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewClosedPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.DefaultContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewClosedRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.approval.RequestCancellation;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;

/** The code modal's buttons ("Resend code", "Call me instead") and its Cancel. */
final class CodeModalActions {

    private final Installation installation;
    private final RequestCancellation cancellation;
    private final CodeFlow codeFlow;
    private final Modals modals;
    private final AfterAck afterAck;
    private final Announcements announcements;

    CodeModalActions(Installation installation, RequestCancellation cancellation,
                     CodeFlow codeFlow, Modals modals, AfterAck afterAck,
                     Announcements announcements) {
        this.installation = installation;
        this.cancellation = cancellation;
        this.codeFlow = codeFlow;
        this.modals = modals;
        this.afterAck = afterAck;
        this.announcements = announcements;
    }

    Response resendBySms(BlockActionRequest request, ActionContext ctx) {
        return resend(request.getPayload(), ctx, DeliveryChannel.SMS);
    }

    Response resendByCall(BlockActionRequest request, ActionContext ctx) {
        return resend(request.getPayload(), ctx, DeliveryChannel.CALL);
    }

    private Response resend(BlockActionPayload payload, ActionContext ctx,
                            DeliveryChannel channel) {
        if (payload.getView() != null && payload.getView().getPrivateMetadata() != null) {
            Actor by = installation.person(payload.getUser().getId());
            codeFlow.resend(payload.getView().getId(), payload.getView().getPrivateMetadata(), by,
                    channel);
        }
        return ctx.ack();
    }

    /** Cancel (or ×) on the code modal: Slack tells us because the view asks notify_on_close. */
    Response closed(ViewClosedRequest request, DefaultContext ctx) {
        ViewClosedPayload payload = request.getPayload();
        String requestId = payload.getView() == null ? null
                : payload.getView().getPrivateMetadata();
        if (requestId != null && !requestId.isBlank()) {
            Actor by = installation.person(payload.getUser().getId());
            String viewId = payload.getView().getId();
            var cancelled = cancellation.modalClosed(requestId, by);
            afterAck.run(() -> {
                if (viewId != null) {
                    modals.closed(viewId);
                }
                cancelled.ifPresent(ended -> announcements.deliverNow(ended.id(),
                        new Announcements.Seen(viewId, false)));
            });
        }
        return ctx.ack();
    }
}

package dev.countersign.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewClosedPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.DefaultContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewClosedRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.people.Actor;
import dev.countersign.approval.Approvals;
import dev.countersign.otp.DeliveryChannel;

/** The code modal's buttons ("Resend code", "Call me instead") and its Cancel. */
final class CodeModalActions {

    private final Approvals approvals;
    private final CodeFlow codeFlow;
    private final Background background;
    private final Notifier notifier;
    private final ApprovalsChannel dualControl;

    CodeModalActions(Approvals approvals, CodeFlow codeFlow, Background background,
            Notifier notifier,
                     ApprovalsChannel dualControl) {
        this.approvals = approvals;
        this.codeFlow = codeFlow;
        this.background = background;
        this.notifier = notifier;
        this.dualControl = dualControl;
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
            Actor by = new Actor(payload.getTeam().getId(), payload.getUser().getId());
            codeFlow.resend(payload.getView().getId(), payload.getView().getPrivateMetadata(), by,
                    channel);
        }
        return ctx.ack();
    }

    /** Cancel (
            or ×) on the code modal: Slack tells us because the view asks {@code notify_on_close}. */
    Response closed(ViewClosedRequest request, DefaultContext ctx) {
        ViewClosedPayload payload = request.getPayload();
        String requestId = payload.getView() == null ? null
                : payload.getView().getPrivateMetadata();
        if (requestId != null && !requestId.isBlank()) {
            Actor by = new Actor(payload.getTeam().getId(), payload.getUser().getId());
            approvals.desk().modalClosed(requestId,
                    by).ifPresent(cancelled -> background.slack(() -> {
                notifier.toRequester(cancelled, Messages.ended(cancelled, "you closed the window"));
                dualControl.decided(cancelled);
            }));
        }
        return ctx.ack();
    }
}

package dev.countersign.slack;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.AppHomeOpenedEvent;
import dev.countersign.people.Actor;
import dev.countersign.approval.Approvals;
import dev.countersign.approval.RequestDesk;

/** Opening the Home tab, and its Cancel buttons. */
final class HomeActions {

    private final Approvals approvals;
    private final HomeTab home;
    private final CodeFlow codeFlow;
    private final ApprovalsChannel dualControl;
    private final Background background;

    HomeActions(Approvals approvals, HomeTab home, CodeFlow codeFlow, ApprovalsChannel dualControl,
                Background background) {
        this.approvals = approvals;
        this.home = home;
        this.codeFlow = codeFlow;
        this.dualControl = dualControl;
        this.background = background;
    }

    Response opened(EventsApiPayload<AppHomeOpenedEvent> event, EventContext ctx) {
        if ("home".equals(event.getEvent().getTab())) {
            Actor user = new Actor(event.getTeamId(), event.getEvent().getUser());
            background.slack(() -> home.publish(user));
        }
        return ctx.ack();
    }

    Response cancel(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Actor user = new Actor(payload.getTeam().getId(), payload.getUser().getId());
        RequestDesk.Cancellation result = approvals.desk().cancel(
                payload.getActions().get(0).getValue(), user, "cancelled from the Home tab");
        background.slack(() -> {
            if (result instanceof RequestDesk.Cancellation.Cancelled done) {
                done.shownIn().stream().findFirst().ifPresent(challenge -> codeFlow.update(
                        challenge.viewId(), challenge.id(), FinalScreens.ended(done.request())));
                dualControl.decided(done.request());
            }
            home.publish(user);
        });
        return ctx.ack();
    }
}

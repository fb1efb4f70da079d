package dev.countersign.slack;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.AppHomeOpenedEvent;
import dev.countersign.approval.RequestCancellation;
import dev.countersign.approval.RequestCancellation.Cancellation;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;

/** Opening the Home tab, and its Cancel buttons. */
final class HomeActions {

    private final Installation installation;
    private final RequestCancellation cancellation;
    private final HomeTab home;
    private final Announcements announcements;
    private final AfterAck afterAck;

    HomeActions(Installation installation, RequestCancellation cancellation, HomeTab home,
                Announcements announcements, AfterAck afterAck) {
        this.installation = installation;
        this.cancellation = cancellation;
        this.home = home;
        this.announcements = announcements;
        this.afterAck = afterAck;
    }

    Response opened(EventsApiPayload<AppHomeOpenedEvent> event, EventContext ctx) {
        if ("home".equals(event.getEvent().getTab())) {
            Actor user = installation.person(event.getEvent().getUser());
            afterAck.run(() -> home.publish(user));
        }
        return ctx.ack();
    }

    Response cancel(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Actor user = installation.person(payload.getUser().getId());
        Cancellation result = cancellation.cancel(payload.getActions().get(0).getValue(), user,
                "cancelled from the Home tab");
        afterAck.run(() -> {
            if (result instanceof Cancellation.Cancelled(var cancelled)) {
                announcements.deliverNow(cancelled.id(), Announcements.Seen.BY_REQUESTER);
            }
            home.publish(user);
        });
        return ctx.ack();
    }
}

package dev.countersign.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.StatusReports;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;
import java.util.Optional;

/**
 * *Review and approve* in a review message: opens the same code modal a slash command opens, for
 * the person the request names and nobody else.
 */
final class ReviewButton {

    private final StatusReports requests;
    private final Installation installation;
    private final CodeFlow codeFlow;
    private final ReviewMessages reviews;
    private final SlackGateway slack;
    private final AfterAck afterAck;

    ReviewButton(Installation installation, StatusReports requests, CodeFlow codeFlow,
                 ReviewMessages reviews, SlackGateway slack, AfterAck afterAck) {
        this.installation = installation;
        this.requests = requests;
        this.codeFlow = codeFlow;
        this.reviews = reviews;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    Response pressed(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        Trigger trigger = Trigger.receivedNow(payload.getTriggerId());
        Actor by = installation.person(payload.getUser().getId());
        String requestId = payload.getActions() == null || payload.getActions().isEmpty() ? null
                : payload.getActions().get(0).getValue();
        Optional<StatusReports.Current> found = requestId == null ? Optional.empty()
                : requests.current(requestId);
        String channel = payload.getChannel() == null ? by.userId()
                : payload.getChannel().getId();
        if (found.isEmpty()) {
            tell(channel, by, ":x: That request no longer exists.");
            return ctx.ack();
        }
        ApprovalRequest asked = found.get().request();
        if (!asked.requester().equals(by)) {
            tell(channel, by, ":no_entry_sign: Only " + asked.requester().mention()
                    + " can approve " + asked.reference() + ".");
            return ctx.ack();
        }
        if (!asked.status().isOpen()) {
            afterAck.run(() -> reviews.ended(asked));
            return ctx.ack();
        }
        if (asked.status() == RequestStatus.AWAITING_SECOND_APPROVER) {
            tell(channel, by, ":hourglass_flowing_sand: Your code for " + asked.reference()
                    + " is confirmed; it now waits for a second approver.");
            return ctx.ack();
        }
        found.get().challenge().filter(challenge -> challenge.verifier().equals(by))
                .ifPresentOrElse(challenge -> codeFlow.openForReview(trigger, asked, challenge),
                        () -> tell(channel, by, ":x: There is no code of yours waiting for "
                                + asked.reference() + "."));
        return ctx.ack();
    }

    private void tell(String channel, Actor by, String text) {
        afterAck.run(() -> slack.postEphemeral(channel, by.userId(), text));
    }
}

package dev.countersign.slack;

import dev.countersign.api.PersonSide;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeDelivery;
import dev.countersign.approval.StatusReports;
import java.util.concurrent.atomic.AtomicReference;

/** The person's side of API requests, in Slack ({@link PersonSide}). */
final class ApiPersonSide implements PersonSide {

    private final SlackGateway slack;
    private final ReviewMessages reviews;
    private final StatusReports requests;
    private final CodeDelivery delivery;
    private final EndAnnouncer announcer;
    private final AfterAck afterAck;
    private final AtomicReference<String> teamId = new AtomicReference<>();

    ApiPersonSide(SlackGateway slack, ReviewMessages reviews, StatusReports requests,
                  CodeDelivery delivery, EndAnnouncer announcer, AfterAck afterAck) {
        this.slack = slack;
        this.reviews = reviews;
        this.requests = requests;
        this.delivery = delivery;
        this.announcer = announcer;
        this.afterAck = afterAck;
    }

    @Override
    public String teamId() {
        String known = teamId.get();
        if (known != null) {
            return known;
        }
        SlackReply<String> reply = slack.teamId();
        if (!reply.ok() || reply.value() == null) {
            throw new IllegalStateException("Slack did not say which workspace the bot token is "
                    + "for (auth.test: " + reply.error() + ")");
        }
        teamId.compareAndSet(null, reply.value());
        return reply.value();
    }

    @Override
    public Lookup userByEmail(String email) {
        SlackReply<String> reply = slack.userIdByEmail(email);
        if (reply.ok() && reply.value() != null) {
            return new Lookup.Found(reply.value());
        }
        return reply.ok() || "users_not_found".equals(reply.error()) ? new Lookup.NotFound()
                : new Lookup.Unavailable(reply.error());
    }

    @Override
    public void askToReview(ApprovalRequest request, String client) {
        afterAck.run(() -> {
            if (!reviews.post(request)) {
                // Nobody could ever open it: end it now, so the asking system hears "failed".
                requests.current(request.id()).flatMap(StatusReports.Current::challenge)
                        .ifPresent(challenge -> delivery.abandon(challenge.id(),
                                "the person could not be messaged in Slack"));
            }
        });
    }

    @Override
    public void cancelled(ApprovalRequest request, String client) {
        afterAck.run(() -> announcer.ended(EndAnnouncer.Ending.seenBy(request,
                "cancelled by " + client, null)));
    }
}

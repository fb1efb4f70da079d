package dev.countersign.slack;

import dev.countersign.api.PersonSide;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeDelivery;
import dev.countersign.approval.StatusReports;
import dev.countersign.people.Installation;

/** The person's side of API requests, in Slack ({@link PersonSide}). */
final class ApiPersonSide implements PersonSide {

    private final Installation installation;
    private final SlackGateway slack;
    private final ReviewMessages reviews;
    private final StatusReports requests;
    private final CodeDelivery delivery;
    private final Announcements announcements;
    private final AfterAck afterAck;

    ApiPersonSide(Installation installation, SlackGateway slack, ReviewMessages reviews,
                  StatusReports requests, CodeDelivery delivery, Announcements announcements,
                  AfterAck afterAck) {
        this.installation = installation;
        this.slack = slack;
        this.reviews = reviews;
        this.requests = requests;
        this.delivery = delivery;
        this.announcements = announcements;
        this.afterAck = afterAck;
    }

    @Override
    public String installationId() {
        return installation.id();
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
        // The cancellation recorded its notices with it; give them now.
        afterAck.run(() -> announcements.deliverNow(request.id(), Announcements.Seen.NOTHING));
    }
}

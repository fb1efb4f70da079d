package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ExternalRequests;
import dev.countersign.approval.RequestOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts and updates the review messages of requests other systems ask for: where each was
 * posted is stored ({@link SlackSurfaces}), so the outcome still reaches it after a restart.
 */
final class ReviewMessages {

    private static final Logger log = LoggerFactory.getLogger(ReviewMessages.class);

    private final SlackGateway slack;
    private final SlackSurfaces surfaces;
    private final ExternalRequests external;

    ReviewMessages(SlackGateway slack, SlackSurfaces surfaces, ExternalRequests external) {
        this.slack = slack;
        this.surfaces = surfaces;
        this.external = external;
    }

    /** Sends the person the message with the review button; false if Slack refused it. */
    boolean post(ApprovalRequest request) {
        return post(request, null);
    }

    /**
     * The same, with {@code token} (a Workflow Builder step's own {@code bot_access_token},
     * for the calls made for that execution); null for the app's bot token.
     */
    boolean post(ApprovalRequest request, String token) {
        Messages.Message message = ReviewMessage.asking(request, asker(request));
        SlackReply<SlackSurfaces.MessageRef> posted = slack.postForRef(
                request.requester().userId(), message.text(), message.blocks(), token);
        if (!posted.ok() || posted.value().ts() == null) {
            log.warn("review message for {} not posted: {}", request.reference(),
                    posted.error());
            return false;
        }
        surfaces.reviewMessagePosted(request.id(), posted.value());
        return true;
    }

    /**
     * Shows the request's outcome in its review message, if it has one; returns whether it had
     * (then that message is the word to the person, and nothing more need be sent).
     */
    boolean ended(ApprovalRequest request) {
        return surfaces.reviewMessage(request.id()).map(where -> {
            Messages.Message message = ReviewMessage.ended(request, asker(request));
            if (!slack.update(where.channel(), where.ts(), message.text(), message.blocks())
                    .ok()) {
                log.warn("review message for {} not updated", request.reference());
            }
            return true;
        }).orElse(false);
    }

    /** Whether another system asked for the request, so its person hears in a review message. */
    boolean askedElsewhere(ApprovalRequest request) {
        return external.originOf(request.id()).source() != RequestOrigin.Source.SLACK;
    }

    /** Whether the request waits for its person to open it from a review message. */
    boolean waitsForReview(String requestId) {
        return surfaces.reviewMessage(requestId).isPresent();
    }

    private String asker(ApprovalRequest request) {
        RequestOrigin origin = external.originOf(request.id());
        return switch (origin.source()) {
            case API -> origin.client();
            case WORKFLOW -> "A workflow";
            case SLACK -> "Countersign";
        };
    }
}

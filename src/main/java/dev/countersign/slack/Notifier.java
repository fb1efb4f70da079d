package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people what happened, by the best way still open: the command's {@code response_url}
 * (where they asked; it lives 30 minutes), the channel itself, or a direct message.
 */
final class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    /** Slack keeps a response_url for 30 minutes; leave a margin for slow deliveries. */
    private static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(29);

    private final SlackGateway slack;
    private final Clock clock;

    Notifier(SlackGateway slack, Clock clock) {
        this.slack = slack;
        this.clock = clock;
    }

    /**
     * Posts for everyone in the channel where the request was made (the approval result). The
     * reply is the last way tried: a failure means none worked.
     */
    SlackReply<?> toChannel(ApprovalRequest request, Messages.Message message) {
        if (fresh(request) && slack.respond(request.replyTo().responseUrl(), true, message.text(),
                message.blocks()).ok()) {
            return SlackReply.ok(null);
        }
        String channel = request.replyTo().channelId();
        if (channel != null && slack.post(channel, message.text(), message.blocks()).ok()) {
            return SlackReply.ok(null);
        }
        return dm(request.requester().userId(), message);
    }

    /** Tells only the requester (ephemeral where they asked, else a direct message). */
    SlackReply<?> toRequester(ApprovalRequest request, Messages.Message message) {
        if (fresh(request) && slack.respond(request.replyTo().responseUrl(), false, message.text(),
                message.blocks()).ok()) {
            return SlackReply.ok(null);
        }
        return dm(request.requester().userId(), message);
    }

    /** A direct message from the app. */
    SlackReply<?> dm(String userId, Messages.Message message) {
        SlackReply<String> posted = slack.post(userId, message.text(), message.blocks());
        if (!posted.ok()) {
            log.warn("could not message {} directly", userId);
        }
        return posted;
    }

    private boolean fresh(ApprovalRequest request) {
        return request.replyTo().responseUrl() != null
                && clock.instant().isBefore(request.createdAt().plus(RESPONSE_URL_LIFETIME));
    }
}

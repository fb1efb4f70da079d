package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.StatusReports;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dual control in Slack: a request waiting for a second approver is posted to the approvals
 * channel with Approve and Reject buttons, and the message is updated with the outcome.
 */
final class ApprovalsChannel {

    private static final Logger log = LoggerFactory.getLogger(ApprovalsChannel.class);

    private final SlackGateway slack;
    private final SlackSurfaces surfaces;
    private final StatusReports requests;
    private final Optional<String> channel;

    ApprovalsChannel(SlackGateway slack, SlackSurfaces surfaces, StatusReports requests,
                     Optional<String> channel) {
        this.slack = slack;
        this.surfaces = surfaces;
        this.requests = requests;
        this.channel = channel;
    }

    /**
     * Posts a request that now waits for a second approver, once: a request whose message is
     * recorded already is not posted again (a retry after a crash between the post and its
     * record is the one case that posts twice). A decision can land while the post is on its
     * way, when {@link #decided} finds no message to update yet; so once the message is
     * recorded, the request is read again and, if it was decided meanwhile, the message shows
     * that at once instead of live buttons.
     */
    SlackReply<?> announce(ApprovalRequest request) {
        if (channel.isEmpty()) {
            log.error("request {} needs a second approver but APPROVALS_CHANNEL is not set",
                    request.reference());
            return SlackReply.failed("no_approvals_channel");
        }
        if (surfaces.approvalsMessage(request.id()).isPresent()) {
            return SlackReply.ok(null);
        }
        Messages.Message message = ApprovalsChannelMessage.pending(request);
        SlackReply<String> posted = slack.post(channel.get(), message.text(), message.blocks());
        if (!posted.ok()) {
            log.error("could not post request {} to the approvals channel: {} (is the app in the "
                    + "channel?)", request.reference(), posted.error());
            return posted;
        }
        SlackSurfaces.MessageRef ref = new SlackSurfaces.MessageRef(channel.get(), posted.value());
        surfaces.approvalsMessagePosted(request.id(), ref);
        log.info("request {} posted to the approvals channel {} for a second approver",
                request.reference(), channel.get());
        requests.find(request.id())
                .filter(now -> now.status() != RequestStatus.AWAITING_SECOND_APPROVER)
                .ifPresent(decided -> show(decided, ref));
        return posted;
    }

    /** Shows the outcome in the approvals-channel message, if there is one yet. */
    SlackReply<?> decided(ApprovalRequest request) {
        return surfaces.approvalsMessage(request.id()).<SlackReply<?>>map(ref -> show(request, ref))
                .orElse(SlackReply.ok(null));
    }

    private SlackReply<String> show(ApprovalRequest decided, SlackSurfaces.MessageRef ref) {
        Messages.Message message = ApprovalsChannelMessage.decided(decided);
        SlackReply<String> updated = slack.update(ref.channel(), ref.ts(), message.text(),
                message.blocks());
        if (!updated.ok()) {
            log.warn("could not update the approvals message of {}: {}", decided.reference(),
                    updated.error());
        }
        return updated;
    }
}

package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.Approvals;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dual control in Slack: the request is posted to the approvals channel with Approve and Reject
 * buttons, and the message is updated with the outcome.
 */
final class ApprovalsChannel {

    private static final Logger log = LoggerFactory.getLogger(ApprovalsChannel.class);

    private final Approvals approvals;
    private final SlackGateway slack;
    private final Optional<String> channel;

    ApprovalsChannel(Approvals approvals, SlackGateway slack, Optional<String> channel) {
        this.approvals = approvals;
        this.slack = slack;
        this.channel = channel;
    }

    /** Posts a request that now waits for a second approver. */
    void announce(ApprovalRequest request) {
        if (channel.isEmpty()) {
            log.error("request {} needs a second approver but APPROVALS_CHANNEL is not set",
                    request.reference());
            return;
        }
        Messages.Message message = ApprovalsChannelMessage.pending(request);
        SlackGateway.Reply<String> posted = slack.post(channel.get(), message.text(),
                message.blocks());
        if (!posted.ok()) {
            log.error("could not post request {} to the approvals channel: {} (is the app in the "
                    + "channel?)", request.reference(), posted.error());
            return;
        }
        approvals.store().write(tx -> {
            tx.requests().updateApprovalsMessage(request.id(), channel.get(), posted.value());
            return null;
        });
        log.info("request {} posted to the approvals channel {} for a second approver",
                request.reference(), channel.get());
    }

    /** Shows the outcome in the approvals channel message, if there is one. */
    void decided(ApprovalRequest request) {
        ApprovalRequest stored = approvals.store().read(tx -> tx.requests().find(request.id()))
                .orElse(request);
        if (stored.approvalsChannel() == null || stored.approvalsMessageTs() == null) {
            return;
        }
        Messages.Message message = ApprovalsChannelMessage.decided(stored);
        SlackGateway.Reply<String> updated = slack.update(stored.approvalsChannel(),
                stored.approvalsMessageTs(), message.text(), message.blocks());
        if (!updated.ok()) {
            log.warn("could not update the approvals message of {}: {}", stored.reference(),
                    updated.error());
        }
    }
}

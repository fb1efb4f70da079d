package dev.countersign.webhook;

import dev.countersign.approval.ApprovalRequest;

/**
 * Told when an approved action will never reach the webhook: the receiver kept failing for 24
 * hours, or the request failed its digest check. The Slack layer tells the requester and the
 * admins, since the approved payment or signature has not been carried out.
 */
@FunctionalInterface
public interface DeadLetterListener {

    DeadLetterListener NONE = (request, error) -> {
    };

    /**
     * Called once per message, after it is stored as dead, on the virtual thread of that
     * message's delivery: it may block (a Slack call) without holding up other deliveries, and
     * may be called for two messages at once.
     *
     * @param error the last failure, safe to show: {@code HTTP 500}, {@code no answer in time}…
     */
    void dead(ApprovalRequest request, String error);
}

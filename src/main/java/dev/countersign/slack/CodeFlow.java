package dev.countersign.slack;

import com.slack.api.model.view.View;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.Approvals;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.otp.DeliveryChannel;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after Slack is acknowledged: open the code modal with the trigger (well inside its
 * 3 seconds), send the code, then show in the modal that it was sent (or why it wasn't). Slack
 * calls and provider calls run on separate pools (see {@link Background}).
 */
final class CodeFlow {

    private static final Logger log = LoggerFactory.getLogger(CodeFlow.class);

    private final Approvals approvals;
    private final SlackGateway slack;
    private final Background background;
    private final Notifier notifier;
    private final Clock clock;
    private final boolean trial;

    CodeFlow(Approvals approvals, SlackGateway slack, Background background, Notifier notifier,
             Clock clock, boolean trial) {
        this.approvals = approvals;
        this.slack = slack;
        this.background = background;
        this.notifier = notifier;
        this.clock = clock;
        this.trial = trial;
    }

    /**
     * Opens the modal for a new challenge with {@code triggerId}, then sends its code. The modal
     * pool only makes the {@code views.open} call; what follows (database writes, the provider)
     * goes to the other pools, so a busy database can never hold a trigger past its 3 seconds.
     */
    void open(String triggerId, ApprovalRequest request, CodeChallenge challenge) {
        background.modal(() -> {
            SlackGateway.Reply<SlackGateway.ViewRef> opened =
                    slack.openModal(triggerId, CodeModal.sending(request, challenge, trial));
            background.slack(() -> opened(opened, request, challenge));
        });
    }

    private void opened(SlackGateway.Reply<SlackGateway.ViewRef> opened, ApprovalRequest request,
                        CodeChallenge challenge) {
        if (!opened.ok()) {
            log.warn("modal for {} not opened: {}", request.reference(), opened.error());
            approvals.delivery().abandon(challenge.id(), "modal not opened: " + opened.error());
            notifier.toRequester(request, Messages.plain(Messages.cannotOpen(opened.error())));
            return;
        }
        approvals.delivery().attachView(challenge.id(), opened.value().id(), opened.value().hash());
        send(opened.value().id(), challenge.id());
    }

    /** Sends the code of a challenge already shown in modal {@code viewId}, then updates it. */
    void send(String viewId, long challengeId) {
        background.provider(() -> approvals.delivery().send(challengeId))
                .thenAcceptAsync(delivery -> show(viewId, challengeId, delivery),
                        background.slackExecutor())
                .exceptionally(failure -> {
                    log.error("sending code {} failed unexpectedly: {}", challengeId,
                            failure.toString());
                    return null;
                });
    }

    /** "Resend code" / "Call me instead", pressed in modal {@code viewId}. */
    void resend(String viewId, String requestId, dev.countersign.people.Actor by,
                DeliveryChannel channel) {
        background.provider(() -> approvals.delivery().resend(requestId, by, channel))
                .thenAcceptAsync(delivery -> {
                    long challengeId = delivery instanceof Delivery.Sent sent
                            ? sent.challenge().id()
                            : delivery instanceof Delivery.NotSent notSent
                                    ? notSent.challenge().id()
                            : -1;
                    if (delivery instanceof Delivery.Refused refused) {
                        redraw(viewId, requestId, refused.message());
                    } else {
                        show(viewId, challengeId, delivery);
                    }
                }, background.slackExecutor())
                .exceptionally(failure -> {
                    log.error("resend for {} failed unexpectedly: {}", requestId,
                            failure.toString());
                    return null;
                });
    }

    private void show(String viewId, long challengeId, Delivery delivery) {
        if (delivery instanceof Delivery.Sent sent) {
            update(viewId, challengeId, CodeModal.ready(sent.request(), sent.challenge(), null,
                    trial,
                    clock.instant()));
        } else if (delivery instanceof Delivery.NotSent notSent) {
            String headline = notSent.requestEnded()
                    ? ":x: *The code could not be sent, so this request has ended.* Nothing was "
                    + "approved."
                    : ":x: *The code could not be sent.*";
            update(viewId, challengeId, CodeModal.done(notSent.request(), headline,
                    notSent.failure().userMessage()));
        } else if (delivery instanceof Delivery.Ended ended) {
            update(viewId, challengeId, FinalScreens.ended(ended.request()));
        }
    }

    /**
     * Redraws modal {@code viewId} for the request's current code with {@code notice} (a refused
     * resend, a wrong code found after a slow check), or its final screen if it has ended.
     */
    void redraw(String viewId, String requestId, String notice) {
        Optional<FinalScreens.Current> current = FinalScreens.current(approvals, requestId);
        if (current.isEmpty()) {
            return;
        }
        FinalScreens.Current found = current.get();
        if (found.challenge() == null || !found.request().status().isOpen()) {
            update(viewId, -1, FinalScreens.ended(found.request()));
        } else {
            update(viewId, found.challenge().id(), CodeModal.ready(found.request(),
                    found.challenge(),
                    notice, trial, clock.instant()));
        }
    }

    /**
     * {@code views.update} with the latest hash we know. On {@code hash_conflict} the hash is read
     * again and the update tried once more, without a hash if ours was the stale one.
     */
    void update(String viewId, long challengeId, View view) {
        String hash = challengeId > 0 ? approvals.delivery().viewHash(challengeId).orElse(null)
                : null;
        SlackGateway.Reply<SlackGateway.ViewRef> reply = slack.updateModal(viewId, hash, view);
        if (!reply.ok() && "hash_conflict".equals(reply.error())) {
            String fresh = approvals.delivery().viewHash(challengeId).orElse(null);
            reply = slack.updateModal(viewId, fresh != null && !fresh.equals(hash) ? fresh : null,
                    view);
        }
        if (reply.ok() && challengeId > 0) {
            approvals.delivery().attachView(challengeId, viewId, reply.value().hash());
        } else if (!reply.ok()) {
            log.warn("modal {} not updated: {}", viewId, reply.error());
        }
    }
}

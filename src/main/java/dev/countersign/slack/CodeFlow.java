package dev.countersign.slack;

import com.slack.api.model.view.View;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ChallengeState;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.CodeDelivery;
import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.StatusReports;
import dev.countersign.logging.LogSetup;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Actor;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What happens after Slack is acknowledged: open the code modal with the trigger (well inside its
 * 3 seconds), send the code, then show in the modal that it was sent (or why it wasn't). Each
 * step runs on its own virtual thread ({@link AfterAck}).
 */
final class CodeFlow {

    private static final Logger log = LoggerFactory.getLogger(CodeFlow.class);

    private final Announcements announcements;
    private final CodeDelivery delivery;
    private final StatusReports requests;
    private final Modals modals;
    private final AfterAck afterAck;
    private final Notifier notifier;
    private final Admission admission;
    private final Clock clock;
    private final boolean trial;

    CodeFlow(CodeDelivery delivery, StatusReports requests, Modals modals, AfterAck afterAck,
             Notifier notifier, Announcements announcements, Admission admission, Clock clock,
             boolean trial) {
        this.delivery = delivery;
        this.announcements = announcements;
        this.requests = requests;
        this.modals = modals;
        this.afterAck = afterAck;
        this.notifier = notifier;
        this.admission = admission;
        this.clock = clock;
        this.trial = trial;
    }

    /**
     * Opens the modal for a new challenge with {@code trigger}, then sends its code. A trigger
     * too old to open anything ends the request at once, and the person hears that Countersign
     * is busy: under overload every command gets its modal or that answer, never silence.
     */
    void open(Trigger trigger, ApprovalRequest request, CodeChallenge challenge) {
        // Every step below, on whatever thread, logs with this request's reference.
        MDC.put(LogSetup.REFERENCE, request.reference());
        try {
            openInContext(trigger, request, challenge);
        } finally {
            MDC.remove(LogSetup.REFERENCE);
        }
    }

    private void openInContext(Trigger trigger, ApprovalRequest request,
                               CodeChallenge challenge) {
        afterAck.openModal(() -> {
            admission.opening(trigger);
            if (!modals.stillUsable(trigger)) {
                log.warn("modal for {} not opened: its trigger was older than {} ms (busy)",
                        request.reference(), Trigger.USABLE_FOR.toMillis());
                afterAck.run(() -> notOpened(request, challenge, "busy"));
                return;
            }
            SlackReply<SlackGateway.ViewRef> opened = modals.open(trigger.id(),
                    CodeModal.sending(request, challenge, trial));
            // The platform thread is for views.open alone: the rest waits its turn.
            afterAck.run(() -> {
                if (!opened.ok()) {
                    log.warn("modal for {} not opened: {}", request.reference(), opened.error());
                    notOpened(request, challenge, opened.error());
                    return;
                }
                // Recorded (durably) before the code goes out: a restart can still update it.
                modals.shows(opened.value().id(), opened.value().hash(), request.id(),
                        challenge.verifier());
                send(opened.value().id(), challenge.id());
            });
        });
    }

    /**
     * Opens the code modal from a review message's button, then sends its code unless it was
     * sent already (then the modal shows it as sent). The request waited for this click, so a
     * modal that cannot open ends nothing: the person can press the button again.
     */
    void openForReview(Trigger trigger, ApprovalRequest request, CodeChallenge challenge) {
        afterAck.openModal(() -> {
            boolean unsent = challenge.state() == ChallengeState.PENDING;
            View view = unsent ? CodeModal.sending(request, challenge, trial)
                    : CodeModal.ready(request, challenge, null, trial, clock.instant());
            SlackReply<SlackGateway.ViewRef> opened = modals.open(trigger.id(), view);
            afterAck.run(() -> {
                if (!opened.ok()) {
                    log.warn("review modal for {} not opened: {}", request.reference(),
                            opened.error());
                    notifier.dm(request.requester().userId(), Messages.plain(":x: I couldn't "
                            + "open the approval window for " + request.reference() + " ("
                            + Mrkdwn.escape(opened.error()) + "). Nothing was sent or approved; "
                            + "press *Review and approve* again."));
                    return;
                }
                modals.shows(opened.value().id(), opened.value().hash(), request.id(),
                        challenge.verifier());
                if (unsent) {
                    send(opened.value().id(), challenge.id());
                }
            });
        });
    }

    private void notOpened(ApprovalRequest request, CodeChallenge challenge, String error) {
        delivery.abandon(challenge.id(), "modal not opened: " + error);
        notifier.toRequester(request, Messages.plain(Messages.cannotOpen(error)));
        // Said above, in more words than the recorded notice would.
        announcements.deliverNow(request.id(), Announcements.Seen.BY_REQUESTER);
    }

    /** Sends the code of a challenge already shown in modal {@code viewId}, then updates it. */
    void send(String viewId, long challengeId) {
        afterAck.supply(() -> delivery.send(challengeId))
                .thenAccept(sent -> show(viewId, sent))
                .exceptionally(failure -> {
                    log.error("sending code {} failed unexpectedly: {}", challengeId,
                            failure.toString());
                    return null;
                });
    }

    /** "Resend code" / "Call me instead", pressed in modal {@code viewId}. */
    void resend(String viewId, String requestId, Actor by, DeliveryChannel channel) {
        afterAck.supply(() -> delivery.resend(requestId, by, channel))
                .thenAccept(resent -> {
                    if (resent instanceof Delivery.Refused(String message)) {
                        redraw(viewId, requestId, message);
                    } else {
                        show(viewId, resent);
                    }
                })
                .exceptionally(failure -> {
                    log.error("resend for {} failed unexpectedly: {}", requestId,
                            failure.toString());
                    return null;
                });
    }

    private void show(String viewId, Delivery delivery) {
        switch (delivery) {
            case Delivery.Sent(ApprovalRequest request, CodeChallenge challenge) ->
                    modals.update(viewId, CodeModal.ready(request, challenge, null, trial,
                            clock.instant()));
            case Delivery.NotSent notSent -> {
                String headline = notSent.requestEnded()
                        ? ":x: *The code could not be sent, so this request has ended.* Nothing "
                        + "was approved."
                        : ":x: *The code could not be sent.*";
                modals.update(viewId, CodeModal.done(notSent.request(), headline,
                        Mrkdwn.escape(notSent.failure().userMessage())));
                if (notSent.requestEnded()) {
                    // This window said why; the recorded notices are given knowing that.
                    announcements.deliverNow(notSent.request().id(),
                            new Announcements.Seen(viewId, true));
                }
            }
            case Delivery.Ended(ApprovalRequest request) ->
                    modals.update(viewId, FinalScreens.ended(request));
            case Delivery.Refused refused -> log.debug("code not sent: {}", refused.message());
        }
    }

    /**
     * Redraws modal {@code viewId} for the request's current code with {@code notice} (a refused
     * resend, a wrong code found after a slow check), or its final screen if it has ended.
     */
    void redraw(String viewId, String requestId, String notice) {
        requests.current(requestId).ifPresent(current -> {
            View view = current.challenge()
                    .filter(challenge -> current.request().status().isOpen())
                    .map(challenge -> CodeModal.ready(current.request(), challenge, notice, trial,
                            clock.instant()))
                    .orElseGet(() -> FinalScreens.ended(current.request()));
            modals.update(viewId, view);
        });
    }
}

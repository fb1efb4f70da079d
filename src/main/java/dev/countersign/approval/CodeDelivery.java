package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.StartResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending codes: the first one for a request, a resend, or a voice call instead. The provider call
 * happens outside any transaction (it can take seconds) and is never retried by us: a retry could
 * text the person twice, and they can press "Resend" themselves.
 */
public final class CodeDelivery {

    private static final Logger log = LoggerFactory.getLogger(CodeDelivery.class);

    private final Approvals approvals;
    /** Challenges whose provider call is under way in this process. */
    private final Set<Long> sending = ConcurrentHashMap.newKeySet();

    CodeDelivery(Approvals approvals) {
        this.approvals = approvals;
    }

    /** The outcome of sending a code. */
    public sealed interface Delivery {
        /** The provider took it; the person can type the code until the challenge expires. */
        record Sent(ApprovalRequest request, CodeChallenge challenge) implements Delivery {
        }

        /** Not sent. {@code requestEnded}: the request is now {@code FAILED}. */
        record NotSent(ApprovalRequest request, CodeChallenge challenge, ProviderFailure failure,
                       boolean requestEnded) implements Delivery {
        }

        /** The request or this code was ended meanwhile (cancelled, expired, replaced). */
        record Ended(ApprovalRequest request) implements Delivery {
        }

        /** A resend that may not happen now; {@code message} says why. */
        record Refused(String message) implements Delivery {
        }
    }

    /** Sends the code for a {@code PENDING} challenge. */
    public Delivery send(long challengeId) {
        // Two calls for one code at the same moment would both find it PENDING and text the
        // person twice; the one that comes second sends nothing.
        if (!sending.add(challengeId)) {
            return new Delivery.Refused("This code is already being sent.");
        }
        try {
            return sendPending(challengeId);
        } finally {
            sending.remove(challengeId);
        }
    }

    private Delivery sendPending(long challengeId) {
        record Target(ApprovalRequest request, CodeChallenge challenge, String phone) {
        }
        Optional<Target> target = approvals.store.read(tx -> tx.challenges().find(challengeId)
                .filter(challenge -> challenge.state() == ChallengeState.PENDING)
                .flatMap(challenge -> tx.requests().find(challenge.requestId())
                        .filter(request -> request.status().isOpen())
                        .flatMap(request -> phoneFor(tx, request, challenge)
                                .map(phone -> new Target(request, challenge, phone)))));
        if (target.isEmpty()) {
            return approvals.store.read(tx -> tx.challenges().find(challengeId)
                    .flatMap(challenge -> tx.requests().find(challenge.requestId()))
                    .<Delivery>map(Delivery.Ended::new)
                    .orElseThrow(() -> new IllegalArgumentException("no challenge "
                            + challengeId)));
        }
        ApprovalRequest request = target.get().request();
        CodeChallenge challenge = target.get().challenge();
        String message = approvals.policy.customCodeText()
                ? CodeText.forChallenge(request.action(), challenge.purpose()) : null;
        StartResult result = approvals.codes.start(new CodeRequest(target.get().phone(),
                challenge.channel(), message, approvals.policy.codeTtl(),
                approvals.policy.maxAttempts()));
        if (result instanceof StartResult.Started started) {
            return recordSent(request, challenge, started);
        }
        return recordNotSent(request, challenge, ((StartResult.Failed) result).failure());
    }

    /**
     * "Resend code" / "Call me instead": the current code dies, a new one goes out by
     * {@code channel}. Counts against the send limits and waits out the cooldown.
     */
    public Delivery resend(String requestId, Actor by, DeliveryChannel channel) {
        Delivery prepared = approvals.locks.with(requestId, () -> approvals.store.write(tx -> {
            Optional<ApprovalRequest> request = tx.requests().find(requestId);
            Optional<CodeChallenge> current = tx.challenges().current(requestId);
            if (request.isEmpty() || !request.get().status().isOpen()) {
                return request.<Delivery>map(Delivery.Ended::new)
                        .orElse(new Delivery.Refused("That request no longer exists."));
            }
            if (current.isEmpty() || !current.get().verifier().equals(by)) {
                return new Delivery.Refused("There is no code of yours waiting for this request.");
            }
            Optional<String> refusal = approvals.limits.cooldown(tx, requestId)
                    .or(() -> approvals.limits.refusal(tx, by));
            if (refusal.isPresent()) {
                return new Delivery.Refused(refusal.get());
            }
            Instant now = approvals.now();
            CodeChallenge old = current.get();
            tx.challenges().killOpen(requestId, ChallengeState.DEAD);
            CodeChallenge next = tx.challenges().insert(approvals.pendingChallenge(requestId, by,
                    old.purpose(), channel, old.phoneLastFour(), now, old.viewId(),
                            old.viewHash()));
            Map<String, String> details = Approvals.describe(next);
            details.put("replaces", Long.toString(old.id()));
            tx.audit().append(Approvals.event("code.resend", request.get(), by.userId(), details),
                    now);
            return new Delivery.Sent(request.get(), next);
        }));
        if (prepared instanceof Delivery.Sent sent) {
            return send(sent.challenge().id());
        }
        return prepared;
    }

    /**
     * Codes recorded but never sent, as found at start-up: the process stopped between storing a
     * request and sending its code. Call before serving requests.
     */
    public List<CodeChallenge> unsent() {
        return approvals.store.read(tx -> tx.challenges().unsentOfOpenRequests());
    }

    /** Remembers the modal showing this code, and its latest hash. */
    public void attachView(long challengeId, String viewId, String viewHash) {
        approvals.store.write(tx -> {
            tx.challenges().updateView(challengeId, viewId, viewHash);
            return null;
        });
    }

    /** The latest hash known for the modal showing this code. */
    public Optional<String> viewHash(long challengeId) {
        return approvals.store.read(tx -> tx.challenges().find(challengeId)).map(
                CodeChallenge::viewHash);
    }

    /**
     * The modal for this code could not be opened, so the code is never sent: the request ends
     * {@code FAILED} and the code does not count against the person's limits.
     */
    public Optional<ApprovalRequest> abandon(long challengeId, String why) {
        return approvals.store.write(tx -> {
            Optional<CodeChallenge> challenge = tx.challenges().find(challengeId);
            if (challenge.isEmpty()) {
                return Optional.<ApprovalRequest>empty();
            }
            tx.challenges().transition(challengeId, ChallengeState.PENDING,
                    ChallengeState.ABANDONED);
            Optional<ApprovalRequest> request = tx.requests().find(challenge.get().requestId());
            if (request.isEmpty()
                    || challenge.get().purpose() == ChallengePurpose.SECOND_APPROVER) {
                return request;
            }
            return RequestDesk.end(tx, request.get(), RequestStatus.FAILED, "system", why,
                    "request.failed", approvals.now());
        });
    }

    private Delivery recordSent(ApprovalRequest request, CodeChallenge challenge,
                                StartResult.Started started) {
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            if (!tx.challenges().markSent(challenge.id(), started.challengeId(), started.channel(),
                    now)) {
                // Ended while the provider was sending: the code is dead here whatever arrives.
                return new Delivery.Ended(tx.requests().find(request.id()).orElse(request));
            }
            Instant expires = now.plus(approvals.policy.codeTtl());
            tx.challenges().updateExpiry(challenge.id(), expires);
            if (request.status() == RequestStatus.AWAITING_CODE) {
                tx.requests().updateExpiry(request.id(), expires);
            }
            CodeChallenge sent = tx.challenges().find(challenge.id()).orElseThrow();
            tx.audit().append(Approvals.event("code.sent", request, challenge.verifier().userId(),
                    Approvals.describe(sent)), now);
            log.info("code sent for {} by {} to {}", request.reference(), sent.channel().wireName(),
                    sent.maskedPhone());
            return new Delivery.Sent(tx.requests().find(request.id()).orElse(request), sent);
        });
    }

    private Delivery recordNotSent(ApprovalRequest request, CodeChallenge challenge,
                                   ProviderFailure failure) {
        log.warn("code for {} not sent: {} {}", request.reference(), failure.kind(),
                failure.detail());
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            tx.challenges().transition(challenge.id(), ChallengeState.PENDING,
                    ChallengeState.FAILED);
            Map<String, String> details = Approvals.describe(challenge);
            details.put("failure", failure.kind().name());
            details.put("detail", failure.detail());
            tx.audit().append(Approvals.event("code.send_failed", request, "system", details), now);
            if (challenge.purpose() == ChallengePurpose.SECOND_APPROVER) {
                // The request itself still waits; the approver can try again.
                return new Delivery.NotSent(request, challenge, failure, false);
            }
            Optional<ApprovalRequest> failed = RequestDesk.end(tx, request, RequestStatus.FAILED,
                    "system", "code could not be sent: " + failure.kind(), "request.failed", now);
            return failed.<Delivery>map(ended -> new Delivery.NotSent(ended, challenge, failure,
                    true))
                    .orElseGet(() -> new Delivery.Ended(tx.requests().find(request.id())
                            .orElse(request)));
        });
    }

    private static Optional<String> phoneFor(Transaction tx, ApprovalRequest request,
                                             CodeChallenge challenge) {
        if (challenge.purpose().toPendingPhone()) {
            return tx.requests().pendingPhone(request.id());
        }
        return tx.enrollments().find(challenge.verifier()).map(Enrollment::phone)
                .map(phone -> phone.e164());
    }
}

package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.StartResult;
import java.time.Clock;
import java.time.Duration;
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

    /**
     * How long a claim to send a code holds: longer than any provider call takes (calls time out
     * well before), so only a process that died mid-send leaves one this old.
     */
    private static final Duration SEND_CLAIM_LIFETIME = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(CodeDelivery.class);

    private final Store store;
    private final OneTimeCodes codes;
    private final ApprovalPolicy policy;
    private final SendLimits limits;
    private final RequestLocks locks;
    private final RequestTransitions transitions;
    private final Clock clock;
    private final ApprovalEvents events;
    /** Challenges whose provider call is under way in this process. */
    private final Set<Long> sending = ConcurrentHashMap.newKeySet();

    CodeDelivery(Store store, OneTimeCodes codes, ApprovalPolicy policy, SendLimits limits,
                 RequestLocks locks, RequestTransitions transitions, Clock clock,
                 ApprovalEvents events) {
        this.store = store;
        this.codes = codes;
        this.policy = policy;
        this.limits = limits;
        this.locks = locks;
        this.transitions = transitions;
        this.clock = clock;
        this.events = events;
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
            return counted(sendPending(challengeId));
        } finally {
            sending.remove(challengeId);
        }
    }

    private Delivery sendPending(long challengeId) {
        record Target(ApprovalRequest request, CodeChallenge challenge, String phone) {
        }
        Optional<Target> target = store.read(tx -> tx.challenges().find(challengeId)
                .filter(challenge -> challenge.state() == ChallengeState.PENDING)
                .flatMap(challenge -> tx.requests().find(challenge.requestId())
                        .filter(request -> request.status().isOpen())
                        .flatMap(request -> phoneFor(tx, request, challenge)
                                .map(phone -> new Target(request, challenge, phone)))));
        if (target.isEmpty()) {
            return store.read(tx -> tx.challenges().find(challengeId)
                    .flatMap(challenge -> tx.requests().find(challenge.requestId()))
                    .<Delivery>map(Delivery.Ended::new)
                    .orElseThrow(() -> new IllegalArgumentException("no challenge "
                            + challengeId)));
        }
        ApprovalRequest request = target.get().request();
        CodeChallenge challenge = target.get().challenge();
        // The in-process set above stops a double click; this stops a second instance sharing
        // the database. Not forced to disk: a claim lost in a crash only lets the code be sent
        // after the restart, as it would have been without the claim.
        Instant now = clock.instant();
        if (!store.writeSoon(tx -> tx.challenges().claimForSending(challengeId, now,
                now.minus(SEND_CLAIM_LIFETIME)))) {
            return new Delivery.Refused("This code is already being sent.");
        }
        String message = policy.customCodeText()
                ? CodeText.forChallenge(request.action(), challenge.purpose()) : null;
        StartResult result = codes.start(new CodeRequest(target.get().phone(),
                challenge.channel(), message, policy.codeTtl(), policy.maxAttempts()));
        return switch (result) {
            case StartResult.Started started -> recordSent(request, challenge, started);
            case StartResult.Failed(ProviderFailure failure) ->
                    recordNotSent(request, challenge, failure);
        };
    }

    /**
     * "Resend code" / "Call me instead": the current code dies, a new one goes out by
     * {@code channel}. Counts against the send limits and waits out the cooldown.
     */
    public Delivery resend(String requestId, Actor by, DeliveryChannel channel) {
        Delivery prepared = locks.with(requestId, () -> store.write(tx -> {
            Optional<ApprovalRequest> request = tx.requests().find(requestId);
            Optional<CodeChallenge> current = tx.challenges().current(requestId);
            if (request.isEmpty() || !request.get().status().isOpen()) {
                return request.<Delivery>map(Delivery.Ended::new)
                        .orElse(new Delivery.Refused("That request no longer exists."));
            }
            if (current.isEmpty() || !current.get().verifier().equals(by)) {
                return new Delivery.Refused("There is no code of yours waiting for this request.");
            }
            Optional<String> refusal = limits.cooldown(tx, requestId)
                    .or(() -> limits.refusal(tx, by));
            if (refusal.isPresent()) {
                events.codeRefused(channel);
                return new Delivery.Refused(refusal.get());
            }
            Instant now = clock.instant();
            CodeChallenge old = current.get();
            tx.challenges().killOpen(requestId, ChallengeState.DEAD);
            CodeChallenge next = tx.challenges().insert(CodeChallenge.pending(requestId, by,
                    old.purpose(), channel, old.phoneLastFour(), now, policy));
            Map<String, String> details = AuditDetails.of(next);
            details.put("replaces", Long.toString(old.id()));
            tx.audit().append(AuditDetails.event("code.resend", request.get(), by.userId(),
                    details), now);
            return new Delivery.Sent(request.get(), next);
        }));
        if (prepared instanceof Delivery.Sent sent) {
            return send(sent.challenge().id());
        }
        return prepared;
    }

    /** Tells {@link ApprovalEvents} whether the provider took the code. */
    private Delivery counted(Delivery delivery) {
        switch (delivery) {
            case Delivery.Sent sent -> events.codeSent(sent.challenge().channel());
            case Delivery.NotSent notSent -> events.codeNotSent(notSent.challenge().channel());
            case Delivery.Ended ended -> { }
            case Delivery.Refused refused -> { }
        }
        return delivery;
    }

    /** Whether the code provider's calls in flight nearly fill what its client lets through. */
    public boolean providerNearCapacity() {
        return codes.nearCapacity();
    }

    /**
     * Codes recorded but never sent, as found at start-up: the process stopped between storing a
     * request and sending its code. Call before serving requests.
     */
    public List<CodeChallenge> unsent() {
        return store.read(tx -> tx.challenges().unsentOfOpenRequests());
    }

    /**
     * The modal for this code could not be opened, so the code is never sent: the request ends
     * {@code FAILED} and the code does not count against the person's limits.
     */
    public Optional<ApprovalRequest> abandon(long challengeId, String why) {
        return store.write(tx -> {
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
            // The modal never opened: the caller tells the person itself, then hands the
            // recorded notices over as seen; a crash before that leaves them to the loop.
            return transitions.end(tx, request.get(), RequestStatus.FAILED, "system", why,
                    clock.instant());
        });
    }

    private Delivery recordSent(ApprovalRequest request, CodeChallenge challenge,
                                StartResult.Started started) {
        return store.write(tx -> {
            Instant now = clock.instant();
            if (!tx.challenges().markSent(challenge.id(), started.challengeId(), started.channel(),
                    now)) {
                // Ended while the provider was sending: the code is dead here whatever arrives.
                return new Delivery.Ended(tx.requests().find(request.id()).orElse(request));
            }
            Instant expires = now.plus(policy.codeTtl());
            tx.challenges().updateExpiry(challenge.id(), expires);
            if (request.status() == RequestStatus.AWAITING_CODE) {
                tx.requests().updateExpiry(request.id(), expires);
            }
            CodeChallenge sent = tx.challenges().find(challenge.id()).orElseThrow();
            Map<String, String> details = AuditDetails.of(sent);
            // Which service made the code: a local trial's "console" stays in the trail.
            details.put("provider", codes.name());
            tx.audit().append(AuditDetails.event("code.sent", request,
                    challenge.verifier().userId(), details), now);
            log.info("code sent for {} by {} to {}", request.reference(), sent.channel().wireName(),
                    sent.maskedPhone());
            return new Delivery.Sent(tx.requests().find(request.id()).orElse(request), sent);
        });
    }

    private Delivery recordNotSent(ApprovalRequest request, CodeChallenge challenge,
                                   ProviderFailure failure) {
        log.warn("code for {} not sent: {} {}", request.reference(), failure.kind(),
                failure.detail());
        return store.write(tx -> {
            Instant now = clock.instant();
            tx.challenges().transition(challenge.id(), ChallengeState.PENDING,
                    ChallengeState.FAILED);
            Map<String, String> details = AuditDetails.of(challenge);
            details.put("failure", failure.kind().name());
            details.put("detail", failure.detail());
            tx.audit().append(AuditDetails.event("code.send_failed", request, "system", details),
                    now);
            if (challenge.purpose() == ChallengePurpose.SECOND_APPROVER) {
                // The request itself still waits; the approver can try again.
                return new Delivery.NotSent(request, challenge, failure, false);
            }
            // The modal that was sending the code says why, in more words than an end would,
            // then hands the recorded notices over as seen; after a crash the loop gives them.
            Optional<ApprovalRequest> failed = transitions.end(tx, request,
                    RequestStatus.FAILED, "system", "code could not be sent: " + failure.kind(),
                    now);
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

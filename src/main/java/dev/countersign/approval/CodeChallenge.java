package dev.countersign.approval;

import dev.countersign.people.PhoneNumber;
import dev.countersign.people.Actor;
import dev.countersign.otp.DeliveryChannel;
import java.time.Instant;
import java.util.Objects;

/**
 * One one-time code sent for a request: who must type it, where it went, how many tries are left.
 * The code itself is never here; only the provider's id for it.
 */
public record CodeChallenge(
        long id,
        String requestId,
        Actor verifier,
        ChallengePurpose purpose,
        DeliveryChannel channel,
        String phoneLastFour,
        String providerId,
        ChallengeState state,
        int attempts,
        int maxAttempts,
        Instant createdAt,
        Instant expiresAt) {

    public CodeChallenge {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * A new code waiting to be sent under {@code policy}'s attempts and lifetime; its lifetime
     * starts again when the provider takes it.
     */
    static CodeChallenge pending(String requestId, Actor verifier, ChallengePurpose purpose,
                                 DeliveryChannel channel, String lastFour, Instant now,
                                 ApprovalPolicy policy) {
        return new CodeChallenge(0, requestId, verifier, purpose, channel, lastFour, null,
                ChallengeState.PENDING, 0, policy.maxAttempts(), now, now.plus(policy.codeTtl()));
    }

    public int attemptsLeft() {
        return Math.max(0, maxAttempts - attempts);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public String maskedPhone() {
        return PhoneNumber.maskLastFour(phoneLastFour);
    }
}

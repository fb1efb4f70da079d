package dev.countersign.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The schedule of a webhook message that keeps failing: tried again {@code firstDelay} after the
 * first failure, each wait {@code factor} times the one before, never more than {@code cap}
 * apart, until {@code giveUpAfter} has passed since the approval, with one last try at that mark.
 *
 * <p>No jitter: one dispatcher sends to one receiver, and the burst when a receiver comes back
 * from an outage is already bounded by the deliveries allowed in flight at once (see
 * {@link WebhookDispatcher}). Exact times also keep the schedule the README promises checkable.
 */
record RetryPolicy(Duration firstDelay, int factor, Duration cap, Duration giveUpAfter) {

    /** 5 s, 10 s, 20 s … at most 10 minutes apart, for 24 hours: what the README promises. */
    static final RetryPolicy STANDARD = new RetryPolicy(Duration.ofSeconds(5), 2,
            Duration.ofMinutes(10), Duration.ofHours(24));

    RetryPolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (!firstDelay.isPositive()) {
            throw new IllegalArgumentException("the first delay must be positive");
        }
        if (factor < 1) {
            throw new IllegalArgumentException("the factor must be at least 1");
        }
        if (cap.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("the cap must not be shorter than the first delay");
        }
        if (giveUpAfter.compareTo(cap) < 0) {
            throw new IllegalArgumentException("the give-up age must not be shorter than the cap");
        }
    }

    /** The wait after the {@code failures}-th failure in a row. */
    Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1");
        }
        Duration wait = firstDelay;
        // Stops at the cap, so a factor of 2 takes a handful of rounds whatever failures says.
        for (int round = 1; round < failures && wait.compareTo(cap) < 0 && factor > 1; round++) {
            wait = wait.multipliedBy(factor);
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** When a message made at {@code createdAt} is tried for the last time. */
    Instant giveUpAt(Instant createdAt) {
        return createdAt.plus(giveUpAfter);
    }

    /**
     * Whether a message made at {@code createdAt} whose attempt failed at {@code failedAt} is
     * dead: its last try, at the give-up mark or after it, has failed.
     */
    boolean givesUp(Instant createdAt, Instant failedAt) {
        return !failedAt.isBefore(giveUpAt(createdAt));
    }

    /**
     * When to try again after the {@code attempts}-th attempt failed at {@code failedAt}: the
     * backoff, but never past the give-up mark, so the last try falls on it.
     */
    Instant nextAttemptAt(int attempts, Instant createdAt, Instant failedAt) {
        Instant next = failedAt.plus(delayAfter(attempts));
        Instant last = giveUpAt(createdAt);
        return next.isAfter(last) ? last : next;
    }
}

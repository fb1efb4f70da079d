package dev.countersign.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many requests each API client may make: a token bucket per client that holds one second's
 * worth and refills evenly, so a short burst passes and a steady flood gets 429s. In memory: a
 * restart forgives, and several instances each allow the rate.
 */
final class RateLimits {

    private final double perSecond;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    RateLimits(int perSecond, LongSupplier nanoTime) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    int perSecond() {
        return (int) perSecond;
    }

    /** Takes one request for {@code client}; empty if allowed, else how long to wait. */
    Optional<Duration> take(String client) {
        Bucket bucket = buckets.computeIfAbsent(client, name -> new Bucket(perSecond,
                nanoTime.getAsLong()));
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            bucket.tokens = Math.min(perSecond, bucket.tokens
                    + (now - bucket.updatedAt) / 1e9 * perSecond);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            double seconds = (1 - bucket.tokens) / perSecond;
            return Optional.of(Duration.ofNanos((long) Math.ceil(seconds * 1e9)));
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}

package dev.countersign.slack;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Whether the Socket Mode connection is up, as {@code /healthz} should say it: a connection that
 * drops and comes back within {@link #GRACE} (Slack rotates them every few hours) is healthy
 * throughout; one down for longer is not, so a supervisor can act.
 */
final class ConnectionWatch {

    static final Duration GRACE = Duration.ofSeconds(10);
    private static final long UP = Long.MIN_VALUE;

    private final LongSupplier nanoTime;
    /** When the connection went down, or {@link #UP}. */
    private final AtomicLong downSince = new AtomicLong(UP);

    ConnectionWatch(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Something arrived on the connection: it is up. */
    void heard() {
        downSince.set(UP);
    }

    /** The connection closed or failed. */
    void lost() {
        downSince.compareAndSet(UP, nanoTime.getAsLong());
    }

    boolean healthy() {
        long since = downSince.get();
        return since == UP || nanoTime.getAsLong() - since <= GRACE.toNanos();
    }
}

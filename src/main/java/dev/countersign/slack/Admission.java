package dev.countersign.slack;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Turns new requests away at once, with a "busy" answer in the acknowledgement itself, while the
 * work already admitted is running late. Under overload every step waits for CPU; a command let
 * in then would only make the ones before it miss their trigger's 3 seconds, and its own modal
 * would not open either. Refusing costs a parse; admitting costs a database write, a modal and
 * a code. So the measure is lateness, not a count: how long the last admitted modal waited from
 * its command to the start of its {@code views.open}, which rises only when this process cannot
 * keep up (Slack's own latency is not in it).
 */
final class Admission {

    /**
     * A modal that waited this long to start opening means the queue is growing: it still opens
     * in time (Slack answers in a few hundred ms, the trigger lives 3 s), but the next ones may
     * not. Shorter would turn people away during a cold start's first seconds.
     */
    static final Duration LATE = Duration.ofSeconds(1);
    /** How long to turn requests away after a late one, before trying again. */
    static final Duration BACK_OFF = Duration.ofSeconds(1);

    private final LongSupplier nanoTime;
    private final AtomicLong refuseUntil;

    Admission() {
        this(System::nanoTime);
    }

    /** With a ticker of its own ({@link System#nanoTime} in service), for tests. */
    Admission(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.refuseUntil = new AtomicLong(nanoTime.getAsLong());
    }

    /** Whether a new request may start now. */
    boolean admits() {
        return nanoTime.getAsLong() - refuseUntil.get() >= 0;
    }

    /** A modal for {@code trigger} starts opening now: note how late that is. */
    void opening(Trigger trigger) {
        long now = nanoTime.getAsLong();
        if (now - trigger.receivedAtNanos() > LATE.toNanos()) {
            refuseUntil.accumulateAndGet(now + BACK_OFF.toNanos(), Math::max);
        }
    }
}

package dev.countersign.slack;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Turns new requests away at once, with a "busy" answer in the acknowledgement itself, while the
 * work already admitted is running late. Under overload every step waits for CPU; a command let
 * in then would only make the ones before it miss their trigger's 3 seconds and their code
 * checks Slack's 3 seconds, and its own modal would not open either. Refusing costs a parse;
 * admitting costs a database write, a modal and a code. So the first measure is lateness, not
 * a count, and it rises only when this process cannot keep up (Slack's and SignalWire's own
 * latency are not in it): how long a probe waits to start on the virtual threads that run all
 * work after the ack, and how long the last modal waited from its command to its
 * {@code views.open}. The second is room at the remotes: while three quarters of the calls
 * Slack or SignalWire may have from us at once are in flight, the flows already admitted need
 * the rest (a call that waits too long for a slot fails, and its code is never sent).
 */
final class Admission implements AutoCloseable {

    /**
     * A modal that waited this long to start opening means the queue is growing: it still opens
     * in time (Slack answers in a few hundred ms, the trigger lives 3 s), but the next ones may
     * not. Shorter would turn people away during a cold start's first seconds.
     */
    static final Duration LATE = Duration.ofSeconds(1);
    /** How long to turn requests away after a late one, before trying again. */
    static final Duration BACK_OFF = Duration.ofSeconds(1);
    /** A probe that waits this long to start means the work queued after acks is too deep. */
    static final Duration PROBE_LATE = Duration.ofMillis(300);
    private static final Duration PROBE_EVERY = Duration.ofMillis(50);

    private final LongSupplier nanoTime;
    private final BooleanSupplier remotesNearCapacity;
    private final AtomicLong refuseUntil;
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("admission-probe").daemon().factory());

    /** With {@code remotesNearCapacity} saying when Slack's or the code provider's slots are. */
    Admission(BooleanSupplier remotesNearCapacity) {
        this(System::nanoTime, remotesNearCapacity);
    }

    /** With a ticker of its own ({@link System#nanoTime} in service), for tests. */
    Admission(LongSupplier nanoTime) {
        this(nanoTime, () -> false);
    }

    Admission(LongSupplier nanoTime, BooleanSupplier remotesNearCapacity) {
        this.nanoTime = nanoTime;
        this.remotesNearCapacity = remotesNearCapacity;
        this.refuseUntil = new AtomicLong(nanoTime.getAsLong());
    }

    /**
     * Whether a new request may start now: nothing admitted is running late, and the remotes have
     * room for the calls it will make (a modal opening fast says nothing of the code send and the
     * updates after it, which wait for slots of their own).
     */
    boolean admits() {
        return nanoTime.getAsLong() - refuseUntil.get() >= 0
                && !remotesNearCapacity.getAsBoolean();
    }

    /** A modal for {@code trigger} starts opening now: note how late that is. */
    void opening(Trigger trigger) {
        late(trigger.receivedAtNanos(), LATE);
    }

    /** Every 50 ms, a no-op on {@code afterAck}'s threads, timed from when it was asked for. */
    void watch(AfterAck afterAck) {
        probes.scheduleWithFixedDelay(() -> {
            long asked = nanoTime.getAsLong();
            afterAck.run(() -> probeStarted(asked));
        }, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A probe asked for at {@code askedAtNanos} starts now. */
    void probeStarted(long askedAtNanos) {
        late(askedAtNanos, PROBE_LATE);
    }

    private void late(long since, Duration allowed) {
        long now = nanoTime.getAsLong();
        if (now - since > allowed.toNanos()) {
            refuseUntil.accumulateAndGet(now + BACK_OFF.toNanos(), Math::max);
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}

package dev.countersign.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The flows of one run at one arrival rate (a scenario, or one step of a stepped scenario), with
 * their latencies (HdrHistogram, microseconds, from the intended send time) and their errors.
 */
final class Bucket {

    private static final long HIGHEST_MICROS = 300_000_000L;
    private static final int MAX_SAMPLES = 3;

    final String name;
    final double rate;
    /** Command sent → its HTTP answer. */
    final Histogram ack = histogram();
    /** Command sent → {@code views.open} arrived at the fake Slack. */
    final Histogram open = histogram();
    /** Command sent → SignalWire start arrived at the fake. */
    final Histogram start = histogram();
    /** Command sent → first {@code views.update} arrived (the modal says the code went out). */
    final Histogram update = histogram();
    /** {@code view_submission} sent → its HTTP answer. */
    final Histogram answer = histogram();
    /** Command sent → the approval result posted to the response_url (the whole flow). */
    final Histogram complete = histogram();
    /** How late the driver sent, against the schedule (shows whether the driver kept up). */
    final Histogram lag = histogram();
    /** Command sent → a "busy" reply arrived (overload only). */
    final Histogram busy = histogram();

    final LongAdder http5xx = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    /** Flows ended by a "busy" reply: neither completed nor failed. */
    final AtomicInteger busyEnded = new AtomicInteger();
    final AtomicLong firstIntended = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastIntended = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong firstEnd = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    final Queue<Flow> flows = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, Queue<String>> samples = new ConcurrentHashMap<>();

    Bucket(String name, double rate) {
        this.name = name;
        this.rate = rate;
    }

    private static Histogram histogram() {
        return new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1_000)));
    }

    void scheduled(Flow flow) {
        flows.add(flow);
        inFlight.incrementAndGet();
        firstIntended.accumulateAndGet(flow.intended, Math::min);
        lastIntended.accumulateAndGet(flow.intended, Math::max);
    }

    void error(String kind, String detail) {
        errors.computeIfAbsent(kind, key -> new LongAdder()).increment();
        if (detail != null) {
            Queue<String> kept = samples.computeIfAbsent(kind, key -> new ConcurrentLinkedQueue<>());
            if (kept.size() < MAX_SAMPLES) {
                kept.add(kind + ": " + detail);
            }
        }
    }

    void ended(boolean ok, long at) {
        inFlight.decrementAndGet();
        (ok ? completed : failed).incrementAndGet();
        if (ok) {
            firstEnd.accumulateAndGet(at, Math::min);
            lastEnd.accumulateAndGet(at, Math::max);
        }
    }

    /** A flow the app turned away with a "busy" reply. */
    void endedBusy() {
        inFlight.decrementAndGet();
        busyEnded.incrementAndGet();
    }

    int scheduledCount() {
        return flows.size();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errors() {
        Map<String, Long> all = new TreeMap<>();
        errors.forEach((kind, count) -> all.put(kind, count.sum()));
        return all;
    }

    /** A few examples of each kind of error. */
    List<String> samples() {
        List<String> all = new ArrayList<>();
        new TreeMap<>(samples).values().forEach(all::addAll);
        return all;
    }

    /**
     * Flows completed per second in steady state: completions between the first and the last
     * one, over that time (not diluted by the ramp-up of the first flow's latency).
     */
    double completedPerSecond() {
        long first = firstEnd.get();
        long last = lastEnd.get();
        if (completed.get() < 2 || last <= first) {
            return 0;
        }
        return (completed.get() - 1) / ((last - first) / 1e9);
    }

    /** The schedule's own length in seconds (first to last intended send). */
    double scheduleSeconds() {
        long first = firstIntended.get();
        long last = lastIntended.get();
        return last <= first ? 0 : (last - first) / 1e9;
    }
}

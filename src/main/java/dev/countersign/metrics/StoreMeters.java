package dev.countersign.metrics;

import dev.countersign.store.OutboxBacklog;
import dev.countersign.store.WriteTimings;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's meters: the writer's queue and how long its commits and WAL forces take (heard
 * on the writer's threads), and the webhook outbox's backlog, read from the store at scrape time
 * at most once per {@link #BACKLOG_FRESH_FOR}, so however often {@code /metrics} is asked, the
 * database answers one small indexed query every few seconds.
 */
final class StoreMeters implements WriteTimings {

    private static final Logger log = LoggerFactory.getLogger(StoreMeters.class);
    static final Duration BACKLOG_FRESH_FOR = Duration.ofSeconds(5);
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofSeconds(1)};

    /** The backlog as last read, and when (on the monotonic clock). */
    private record Reading(OutboxBacklog backlog, long readAtNanos) {
    }

    private final Timer commits;
    private final Timer forces;
    private final DistributionSummary groupSizes;
    private final Supplier<OutboxBacklog> backlog;
    private final Clock clock;
    private volatile Reading last;

    StoreMeters(MeterRegistry registry, IntSupplier writesWaiting,
                Supplier<OutboxBacklog> backlog, Clock clock) {
        this.backlog = backlog;
        this.clock = clock;
        this.commits = Timer.builder("store.commits")
                .description("Group commits of the single database writer, and how long each took")
                .serviceLevelObjectives(BUCKETS).register(registry);
        this.forces = Timer.builder("store.wal.forces")
                .description("Forced writes of the database log to disk, and how long each took")
                .serviceLevelObjectives(BUCKETS).register(registry);
        this.groupSizes = DistributionSummary.builder("store.commit.group.size")
                .description("Writes sharing one commit").register(registry);
        Gauge.builder("store.writes.waiting", writesWaiting, IntSupplier::getAsInt)
                .description("Writes queued for the database writer")
                // Held strongly: Micrometer's gauges hold what they read weakly, and nothing else
                // holds these suppliers, so they would read NaN after the first garbage collection.
                .strongReference(true).register(registry);
        Gauge.builder("outbox.pending", this, meters -> meters.backlog().pending())
                .description("Webhook messages waiting for delivery")
                .strongReference(true).register(registry);
        Gauge.builder("outbox.oldest.age", this, StoreMeters::oldestAgeSeconds)
                .description("Age of the oldest webhook message waiting for delivery (0 when "
                        + "none waits)")
                .baseUnit("seconds").strongReference(true).register(registry);
    }

    @Override
    public void committed(int units, long nanos) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
        groupSizes.record(units);
    }

    @Override
    public void forced(int waiting, long nanos) {
        forces.record(nanos, TimeUnit.NANOSECONDS);
    }

    private double oldestAgeSeconds() {
        return backlog().oldest()
                .map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toMillis()
                        / 1000.0))
                .orElse(0.0);
    }

    /** The backlog, read again when the last reading is older than {@link #BACKLOG_FRESH_FOR}. */
    private OutboxBacklog backlog() {
        Reading reading = last;
        long now = System.nanoTime();
        if (reading == null || now - reading.readAtNanos() > BACKLOG_FRESH_FOR.toNanos()) {
            try {
                reading = new Reading(backlog.get(), now);
                last = reading;
            } catch (RuntimeException e) {
                // A scrape must answer even while the database does not: the last reading stands.
                log.warn("could not read the outbox backlog for /metrics: {}", e.getMessage());
                if (reading == null) {
                    return new OutboxBacklog(0, Optional.<Instant>empty());
                }
            }
        }
        return reading.backlog();
    }
}

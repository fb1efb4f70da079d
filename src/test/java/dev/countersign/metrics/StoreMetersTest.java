package dev.countersign.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.store.OutboxBacklog;
import dev.countersign.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The outbox gauges: the age of the oldest message, and a scrape storm that costs one query. */
class StoreMetersTest {

    private static final Instant APPROVED = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void scrapesInQuickSuccessionReadTheBacklogOnceAndShowItsAge() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(ServiceMetrics.prefixed());
        MutableClock clock = new MutableClock(APPROVED.plus(Duration.ofSeconds(90)));
        AtomicInteger reads = new AtomicInteger();
        new StoreMeters(registry, () -> 3, () -> {
            reads.incrementAndGet();
            return new OutboxBacklog(2, Optional.of(APPROVED));
        }, clock);

        Exposition first = Exposition.parse(200, "", registry.scrape());
        Exposition second = Exposition.parse(200, "", registry.scrape());

        assertThat(reads).hasValue(1);
        assertThat(first.value("countersign_outbox_pending")).isEqualTo(2);
        assertThat(first.value("countersign_outbox_oldest_age_seconds")).isEqualTo(90);
        assertThat(second.value("countersign_outbox_pending")).isEqualTo(2);
        assertThat(first.value("countersign_store_writes_waiting")).isEqualTo(3);
    }

    @Test
    void aDatabaseThatCannotBeReadLeavesTheScrapeAnswering() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(ServiceMetrics.prefixed());
        new StoreMeters(registry, () -> 0, () -> {
            throw new IllegalStateException("database is locked");
        }, new MutableClock(APPROVED));

        Exposition scraped = Exposition.parse(200, "", registry.scrape());

        assertThat(scraped.value("countersign_outbox_pending")).isZero();
        assertThat(scraped.value("countersign_outbox_oldest_age_seconds")).isZero();
    }
}

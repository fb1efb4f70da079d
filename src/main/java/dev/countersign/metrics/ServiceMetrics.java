package dev.countersign.metrics;

import dev.countersign.approval.ApprovalEvents;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.slack.SlackCalls;
import dev.countersign.store.Database;
import dev.countersign.store.OutboxBacklog;
import dev.countersign.web.Telemetry;
import dev.countersign.webhook.DeliveryCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything {@code GET /metrics} shows, in one Prometheus registry: the JVM's meters, Jetty's,
 * and Countersign's own, every name starting {@code countersign_}. The composition root asks it
 * for the listener or wrapper each part takes; no part outside this package sees Micrometer.
 *
 * <p>Labels are bounded enums only (a kind, a status, a channel, a Slack method name); nothing
 * here ever names a person, a phone, a workspace, a reference or a payee.
 */
public final class ServiceMetrics implements AutoCloseable {

    static final String PREFIX = "countersign.";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final Map<DeliveryCounts.Result, Counter> deliveries;

    private ServiceMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc,
                           Map<DeliveryCounts.Result, Counter> deliveries) {
        this.registry = registry;
        this.gc = gc;
        this.deliveries = deliveries;
    }

    /** A registry with the JVM's meters bound. */
    public static ServiceMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // First, before any meter: every name, ours and the libraries', gets the prefix.
        registry.config().meterFilter(prefixed());
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        SlackCallMeters.registerTriggerCounts(registry);
        // Made once, so shown at 0 from the start, and a delivery counts without a lookup.
        Map<DeliveryCounts.Result, Counter> deliveries = new EnumMap<>(DeliveryCounts.Result.class);
        for (DeliveryCounts.Result result : DeliveryCounts.Result.values()) {
            deliveries.put(result, Counter.builder("webhook.deliveries")
                    .description("Webhook delivery attempts, by outcome")
                    .tag("result", Labels.of(result)).register(registry));
        }
        return new ServiceMetrics(registry, gc, deliveries);
    }

    static MeterFilter prefixed() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        };
    }

    /** Counts requests opened and ended, codes sent and checked. */
    public ApprovalEvents approvalEvents() {
        return new DomainCounters(registry);
    }

    /** {@code codes}, with each start and verify timed and its failures counted. */
    public OneTimeCodes timed(OneTimeCodes codes) {
        return new TimedCodes(codes, registry);
    }

    /** Times Slack calls by method, counts their errors and expired triggers. */
    public SlackCalls slackCalls() {
        return new SlackCallMeters(registry);
    }

    /** Counts webhook deliveries by outcome. */
    public DeliveryCounts webhookDeliveries() {
        return result -> deliveries.get(result).increment();
    }

    /**
     * Watches the database: its writer's queue and commit times, and the outbox backlog read
     * through {@code backlog} ({@code clock} is the one the outbox rows are stamped with).
     */
    public void watchStore(Database database, Supplier<OutboxBacklog> backlog, Clock clock) {
        database.timeWrites(new StoreMeters(registry, database::writesWaiting, backlog, clock));
    }

    /** What the web server measures itself with and serves at {@code GET /metrics}. */
    public Telemetry web() {
        return new JettyTelemetry(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}

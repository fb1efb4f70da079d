package dev.countersign.metrics;

import dev.countersign.slack.SlackCalls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Slack Web API calls, timed by method name ({@code views.open}; {@code response_url} for posts
 * to response URLs, whose addresses carry tokens and are never a label), their errors, and the
 * {@code views.open} triggers that expired: too old to try here, or refused by Slack.
 */
final class SlackCallMeters implements SlackCalls {

    /** Slack's words for a {@code trigger_id} past its 3 seconds (or already used). */
    private static final Set<String> EXPIRED = Set.of("expired_trigger_id",
            "exchanged_trigger_id");
    private static final List<String> TRIGGER_EXPIRY_REASONS = List.of("too_old", "slack");
    static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(3), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Meters meters = new Meters();

    SlackCallMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void answered(String method, long nanos, String error) {
        String name = Labels.method(method);
        String outcome = error == null ? "ok" : "error";
        Timer timer = meters.get(() -> Timer.builder("slack.api.calls")
                .description("Calls to Slack's Web API and response URLs, by method")
                .tag("method", name).tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry), "slack.api.calls", name, outcome);
        timer.record(Duration.ofNanos(nanos));
        if (error == null) {
            return;
        }
        String label = Labels.error(error);
        meters.get(() -> Counter.builder("slack.api.errors")
                .description("Slack calls that failed, by method and Slack's error")
                .tag("method", name).tag("error", label).register(registry),
                "slack.api.errors", name, label).increment();
        if (name.equals("views.open") && EXPIRED.contains(error)) {
            triggerExpired("slack");
        }
    }

    @Override
    public void triggerTooOld() {
        triggerExpired("too_old");
    }

    private void triggerExpired(String reason) {
        meters.get(() -> triggersExpired(registry, reason), "slack.triggers.expired", reason)
                .increment();
    }

    /**
     * Shows every expired-trigger count at 0 from the start, so alerts on their rate have a
     * series before the first one (and the first registration carries the description).
     */
    static void registerTriggerCounts(MeterRegistry registry) {
        for (String reason : TRIGGER_EXPIRY_REASONS) {
            triggersExpired(registry, reason);
        }
    }

    private static Counter triggersExpired(MeterRegistry registry, String reason) {
        return Counter.builder("slack.triggers.expired")
                .description("Modals not opened because the trigger_id was too old: not tried "
                        + "(too_old) or refused by Slack (slack)")
                .tag("reason", reason).register(registry);
    }
}

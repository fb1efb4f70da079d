package dev.countersign.metrics;

import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.StartResult;
import dev.countersign.otp.VerifyResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The code provider, timed: each {@code start} and {@code verify} call's latency (with buckets,
 * so Prometheus can give percentiles) and its failures by kind. The provider's own URL is never
 * a label (a verify URL carries the challenge id): only the operation's name.
 */
final class TimedCodes implements OneTimeCodes {

    /** Bucket edges around what matters: SignalWire answers in 0.2–2 s, checks are cut at 2.3 s. */
    static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2300), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final OneTimeCodes codes;
    private final MeterRegistry registry;
    private final Meters meters = new Meters();

    TimedCodes(OneTimeCodes codes, MeterRegistry registry) {
        this.codes = codes;
        this.registry = registry;
    }

    @Override
    public StartResult start(CodeRequest request) {
        long started = System.nanoTime();
        StartResult result = codes.start(request);
        ProviderFailure failure = switch (result) {
            case StartResult.Started ok -> null;
            case StartResult.Failed(ProviderFailure why) -> why;
        };
        record("start", System.nanoTime() - started, failure);
        return result;
    }

    @Override
    public boolean nearCapacity() {
        return codes.nearCapacity();
    }

    @Override
    public VerifyResult verify(String challengeId, String code) {
        long started = System.nanoTime();
        VerifyResult result = codes.verify(challengeId, code);
        ProviderFailure failure = switch (result) {
            case VerifyResult.Correct right -> null;
            case VerifyResult.Wrong wrong -> null;
            case VerifyResult.Gone gone -> null;
            case VerifyResult.Failed(ProviderFailure why) -> why;
        };
        record("verify", System.nanoTime() - started, failure);
        return result;
    }

    private void record(String operation, long nanos, ProviderFailure failure) {
        String outcome = failure == null ? "ok" : "error";
        Timer timer = meters.get(() -> Timer.builder("provider.requests")
                .description("Calls to the code provider, by operation, and how long they took")
                .tag("provider", codes.name()).tag("operation", operation).tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .register(registry), "provider.requests", operation, outcome);
        timer.record(Duration.ofNanos(nanos));
        if (failure != null) {
            String kind = Labels.of(failure.kind());
            meters.get(() -> Counter.builder("provider.errors")
                    .description("Failed calls to the code provider, by kind of failure")
                    .tag("provider", codes.name()).tag("operation", operation)
                    .tag("kind", kind).register(registry), "provider.errors", operation, kind)
                    .increment();
        }
    }

    @Override
    public String name() {
        return codes.name();
    }
}

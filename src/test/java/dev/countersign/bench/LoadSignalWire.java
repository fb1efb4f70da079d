package dev.countersign.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * SignalWire's MFA REST API for load: {@code POST /api/relay/rest/mfa/sms|call} starts a challenge
 * ({@code {"id":…,"success":true}}), {@code POST /api/relay/rest/mfa/{id}/verify} answers
 * {@code {"success":true}} for {@link #CODE} once, {@code {"success":false}} for another code, and
 * 404 for an unknown or already verified id. Both answer after a configurable latency.
 */
final class LoadSignalWire implements AutoCloseable {

    static final String PROJECT = "p-bench-project";
    static final String TOKEN = "PTbench-token-not-real";
    static final String FROM = "+12015550100";
    static final String CODE = "123456";
    private static final String PREFIX = "/api/relay/rest/mfa/";

    /** What arrived; {@code at} is {@link System#nanoTime()} on arrival. */
    interface Listener {
        void started(String to, String message, String challengeId, long at);
    }

    private final FakeServer server;
    private final String authorization = "Basic " + Base64.getEncoder().encodeToString(
            (PROJECT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    private final Map<String, AtomicBoolean> challenges = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder starts = new LongAdder();
    private final LongAdder verifies = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile Listener listener = (to, message, id, at) -> { };

    LoadSignalWire(ScheduledExecutorService timer) {
        this.server = new FakeServer("fake-signalwire", this::answer, timer).start();
    }

    void listener(Listener to) {
        this.listener = to;
    }

    void latency(Duration latency) {
        server.latency(latency);
    }

    /** Value for {@code SIGNALWIRE_SPACE}. */
    String space() {
        return server.baseUrl();
    }

    FakeServer server() {
        return server;
    }

    long starts() {
        return starts.sum();
    }

    long verifies() {
        return verifies.sum();
    }

    /** Verifies answered 401/404/wrong code: none are expected in a clean run. */
    long rejected() {
        return rejected.sum();
    }

    private FakeServer.Reply answer(String method, String path, String auth, String body,
                                    long arrived) {
        if (!"POST".equals(method) || !path.startsWith(PREFIX)) {
            rejected.increment();
            return new FakeServer.Reply(404, "application/json", "{\"error\":\"Not Found\"}");
        }
        if (!authorization.equals(auth)) {
            rejected.increment();
            return new FakeServer.Reply(401, "application/json", "{\"error\":\"Unauthorized\"}");
        }
        String rest = path.substring(PREFIX.length());
        if (rest.equals("sms") || rest.equals("call")) {
            starts.increment();
            String id = String.format("00000000-0000-4000-8000-%012d", ids.incrementAndGet());
            challenges.put(id, new AtomicBoolean());
            String to = LoadSlack.jsonString(body, "to");
            listener.started(to, LoadSlack.jsonString(body, "message"), id, arrived);
            return FakeServer.Reply.json("{\"id\":\"" + id + "\",\"success\":true,\"to\":\"" + to
                    + "\",\"channel\":\"" + rest + "\"}");
        }
        if (rest.endsWith("/verify")) {
            verifies.increment();
            String id = rest.substring(0, rest.length() - "/verify".length());
            AtomicBoolean used = challenges.get(id);
            if (used == null) {
                rejected.increment();
                return new FakeServer.Reply(404, "application/json", "{\"error\":\"Not Found\"}");
            }
            if (!CODE.equals(LoadSlack.jsonString(body, "token"))) {
                rejected.increment();
                return FakeServer.Reply.json("{\"success\":false}");
            }
            if (used.getAndSet(true)) {
                rejected.increment();
                return new FakeServer.Reply(404, "application/json", "{\"error\":\"Not Found\"}");
            }
            return FakeServer.Reply.json("{\"success\":true}");
        }
        rejected.increment();
        return new FakeServer.Reply(404, "application/json", "{\"error\":\"Not Found\"}");
    }

    @Override
    public void close() {
        server.close();
    }
}

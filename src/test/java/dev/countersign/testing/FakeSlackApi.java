package dev.countersign.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Slack's Web API ({@code /api/<method>}) and {@code response_url}s ({@code /response/<token>}) on
 * a {@link MockWebServer}. It answers like Slack (views get ids and hashes, messages get a ts),
 * records every call, and can be told to answer late, with {@code ok:false}, or with HTTP 429.
 */
public final class FakeSlackApi implements AutoCloseable {

    public static final String TEAM = "T0CSTEAM01";
    public static final String BOT_USER = "U0CSBOT001";
    /** The app the fake's bot token belongs to (what bots.info answers for its bot). */
    public static final String APP = "A0CSAPP001";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call to the fake: Web API method (or {@code response_url}) and its parameters. */
    public record Call(String method, Map<String, String> params, JsonNode json, Instant at,
                       java.util.concurrent.atomic.AtomicReference<JsonNode> answer,
                       String authorization) {

        Call(String method, Map<String, String> params, JsonNode json, Instant at) {
            this(method, params, json, at, null);
        }

        Call(String method, Map<String, String> params, JsonNode json, Instant at,
             String authorization) {
            this(method, params, json, at, new java.util.concurrent.atomic.AtomicReference<>(),
                    authorization);
        }

        /** What the fake answered, once it has (null while the call is still held or delayed). */
        public JsonNode answered() {
            return answer.get();
        }

        /** The view id the fake gave a views.open / views.update. */
        public String viewId() {
            JsonNode answer = answered();
            return answer == null ? null : answer.path("view").path("id").asText(null);
        }

        /** A parameter that is itself JSON (view, blocks), parsed. */
        public JsonNode jsonParam(String name) {
            String value = params.get(name);
            if (value == null) {
                return MissingNode.getInstance();
            }
            try {
                return JSON.readTree(value);
            } catch (IOException e) {
                return MissingNode.getInstance();
            }
        }

        /** Every human-readable string in the call: message text, blocks, view. */
        public String text() {
            StringBuilder all = new StringBuilder();
            collect(json, all);
            params.forEach((key, value) -> {
                if (key.equals("token")) {
                    return;
                }
                JsonNode parsed = value.startsWith("{") || value.startsWith("[") ? jsonParam(key) : null;
                if (parsed != null && !parsed.isMissingNode()) {
                    collect(parsed, all); // decoded: Gson escapes quotes and angle brackets
                } else {
                    all.append(value).append('\n');
                }
            });
            return all.toString();
        }

        private static void collect(JsonNode node, StringBuilder into) {
            if (node == null) {
                return;
            }
            if (node.isTextual()) {
                into.append(node.asText()).append('\n');
            }
            node.elements().forEachRemaining(child -> collect(child, into));
        }
    }

    /** How the next calls of a method should misbehave. */
    private record Fault(String error, int status, int retryAfter, Duration delay, AtomicInteger left,
                         java.util.concurrent.CountDownLatch hold) {
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private volatile String enterprise;
    private volatile boolean orgWide;
    /** Calls held as if they never reached Slack, and what releases them (see lose()). */
    private final List<String> lost = new CopyOnWriteArrayList<>();
    private volatile java.util.Set<String> losing = java.util.Set.of();
    private volatile java.util.concurrent.CountDownLatch lostUntil;
    private final Map<String, String> usersByEmail = new ConcurrentHashMap<>();

    private FakeSlackApi() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
    }

    public static FakeSlackApi start() {
        FakeSlackApi fake = new FakeSlackApi();
        try {
            fake.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fake;
    }

    /** Value for {@code SLACK_API_URL}. */
    public String apiUrl() {
        return server.url("/api/").toString();
    }

    /** A response_url that posts back to this fake. */
    public String responseUrl(String token) {
        return server.url("/response/" + token).toString();
    }

    /**
     * auth.test answers as a workspace of Enterprise Grid org {@code enterpriseId}; with
     * {@code orgWide}, as an org-wide install there. Call before the app starts.
     */
    public FakeSlackApi enterprise(String enterpriseId, boolean orgWide) {
        this.enterprise = enterpriseId;
        this.orgWide = orgWide;
        return this;
    }

    /** Every answer comes this late (Slack's Web API often takes 100–300 ms). */
    public FakeSlackApi latency(Duration delay) {
        this.latency = delay;
        return this;
    }

    /** {@code users.lookupByEmail} finds {@code userId} for {@code email} (others: not found). */
    public FakeSlackApi knowsEmail(String email, String userId) {
        usersByEmail.put(email, userId);
        return this;
    }

    /** The next {@code times} calls of {@code method} answer {@code ok:false} with {@code error}. */
    public FakeSlackApi failNext(String method, String error, int times) {
        faults.put(method, new Fault(error, 200, 0, Duration.ZERO, new AtomicInteger(times), null));
        return this;
    }

    /** The next call of {@code method} answers HTTP 429 with {@code Retry-After}. */
    public FakeSlackApi rateLimitNext(String method, int retryAfterSeconds) {
        faults.put(method, new Fault("ratelimited", 429, retryAfterSeconds, Duration.ZERO,
                new AtomicInteger(1), null));
        return this;
    }

    /** The next call of {@code method} answers only after {@code delay}. */
    public FakeSlackApi delayNext(String method, Duration delay) {
        faults.put(method, new Fault(null, 200, 0, delay, new AtomicInteger(1), null));
        return this;
    }

    /**
     * The next call of {@code method} is not answered until {@code release} is counted down, so a
     * test can check what happened while Slack was still busy.
     */
    public FakeSlackApi holdNext(String method, java.util.concurrent.CountDownLatch release) {
        faults.put(method, new Fault(null, 200, 0, Duration.ZERO, new AtomicInteger(1), release));
        return this;
    }

    /**
     * Until {@code release} is counted down, calls of {@code methods} ({@code response_url} for
     * response_urls) are held unanswered and left out of {@link #calls()}: Slack never acted on
     * them, as when the caller dies before its request is through. {@link #lostCalls()} names
     * them, so a test knows the caller got that far. Released calls answer HTTP 503.
     */
    public FakeSlackApi lose(java.util.concurrent.CountDownLatch release, String... methods) {
        lostUntil = release;
        losing = java.util.Set.of(methods);
        return this;
    }

    /** The methods of calls held by {@link #lose}, in arrival order. */
    public List<String> lostCalls() {
        return List.copyOf(lost);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).toList();
    }

    /** Waits (polling, with a deadline) for a call matching {@code match}. */
    public Call await(String method, Predicate<Call> match, Duration timeout) {
        return awaitWhile(method, match, timeout, () -> true).orElseThrow(() -> new AssertionError(
                "no " + method + " call matching within " + timeout.toMillis()
                        + " ms; calls seen: " + calls.stream().map(Call::method).toList()));
    }

    /**
     * The first call matching {@code match}, waited for (polling) until {@code timeout} or until
     * {@code worthWaiting} stops holding (the server it expects the call from was killed, say);
     * empty then, for callers to whom a call that never came is an outcome, not a failure.
     */
    public Optional<Call> awaitWhile(String method, Predicate<Call> match, Duration timeout,
                                     BooleanSupplier worthWaiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && worthWaiting.getAsBoolean()) {
            for (Call call : calls(method)) {
                if (match.test(call)) {
                    return Optional.of(call);
                }
            }
            pause();
        }
        return Optional.empty();
    }

    public Call await(String method, Duration timeout) {
        return await(method, call -> true, timeout);
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        String body = request.getBody().readUtf8();
        String named = path.startsWith("/response/") ? "response_url"
                : path.replaceFirst("^/api/", "").replaceFirst("\\?.*$", "");
        java.util.concurrent.CountDownLatch release = lostUntil;
        if (release != null && release.getCount() > 0 && losing.contains(named)) {
            lost.add(named);
            awaitRelease(release);
            return new MockResponse().setResponseCode(503);
        }
        if (path.startsWith("/response/")) {
            calls.add(new Call("response_url", Map.of(), parse(body), Instant.now()));
            return delayed(new MockResponse().setBody("ok"), latency);
        }
        String method = path.replaceFirst("^/api/", "").replaceFirst("\\?.*$", "");
        Map<String, String> params = form(body, request.getHeader("Content-Type"));
        Call call = new Call(method, params, parse(body), Instant.now(),
                request.getHeader("Authorization"));
        calls.add(call);
        MockResponse response = respond(method, params);
        call.answer().set(parse(response.getBody() == null ? "" : response.getBody().clone().readUtf8()));
        return response;
    }

    private MockResponse respond(String method, Map<String, String> params) {
        Fault fault = faults.get(method);
        if (fault != null && fault.left().getAndDecrement() > 0) {
            if (fault.status() == 429) {
                return new MockResponse().setResponseCode(429)
                        .setHeader("Retry-After", fault.retryAfter())
                        .setBody("{\"ok\":false,\"error\":\"ratelimited\"}");
            }
            if (fault.hold() != null) {
                awaitRelease(fault.hold());
            }
            if (fault.error() != null) {
                return json("{\"ok\":false,\"error\":\"" + fault.error() + "\"}", latency);
            }
            return json(success(method, params), fault.delay());
        }
        return json(success(method, params), latency);
    }

    private String success(String method, Map<String, String> params) {
        int id = ids.incrementAndGet();
        return switch (method) {
            // Like Slack for a bot token: no app_id here; bots.info on the bot_id gives it.
            case "auth.test" -> "{\"ok\":true,\"url\":\"https://test.slack.com/\",\"team\":\"Test\","
                    + "\"user\":\"countersign\",\"team_id\":\"" + TEAM + "\",\"user_id\":\"" + BOT_USER
                    + "\",\"bot_id\":\"B0CSBOT001\""
                    + (enterprise == null ? "" : ",\"enterprise_id\":\"" + enterprise + "\"")
                    + ",\"is_enterprise_install\":" + orgWide + "}";
            case "bots.info" -> "{\"ok\":true,\"bot\":{\"id\":\"" + params.get("bot")
                    + "\",\"deleted\":false,\"name\":\"countersign\",\"app_id\":\"" + APP
                    + "\",\"user_id\":\"" + BOT_USER + "\"}}";
            case "views.open", "views.update", "views.publish", "views.push" -> {
                String viewId = params.getOrDefault("view_id", "V" + String.format("%09d", id));
                yield "{\"ok\":true,\"view\":{\"id\":\"" + viewId + "\",\"hash\":\"h" + id + "\"}}";
            }
            case "chat.postMessage", "chat.update" -> "{\"ok\":true,\"channel\":\""
                    + params.getOrDefault("channel", "C0") + "\",\"ts\":\"" + params.getOrDefault("ts",
                    "1700000000." + String.format("%06d", id)) + "\"}";
            case "chat.postEphemeral" -> "{\"ok\":true,\"message_ts\":\"1700000000.000001\"}";
            case "usergroups.users.list" -> "{\"ok\":true,\"users\":[]}";
            case "users.lookupByEmail" -> usersByEmail.containsKey(params.get("email"))
                    ? "{\"ok\":true,\"user\":{\"id\":\"" + usersByEmail.get(params.get("email"))
                    + "\",\"team_id\":\"" + TEAM + "\"}}"
                    : "{\"ok\":false,\"error\":\"users_not_found\"}";
            default -> "{\"ok\":true}";
        };
    }

    private static Map<String, String> form(String body, String contentType) {
        Map<String, String> params = new LinkedHashMap<>();
        if (contentType == null || !contentType.contains("form") || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() || !body.trim().startsWith("{") ? MissingNode.getInstance()
                    : JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static MockResponse json(String body, Duration delay) {
        return delayed(new MockResponse().setHeader("Content-Type", "application/json").setBody(body),
                delay);
    }

    private static MockResponse delayed(MockResponse response, Duration delay) {
        return delay.isZero() ? response : response.setHeadersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void awaitRelease(java.util.concurrent.CountDownLatch release) {
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("held Slack call never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(10); // polling interval of await(), not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            // test teardown
        }
    }
}

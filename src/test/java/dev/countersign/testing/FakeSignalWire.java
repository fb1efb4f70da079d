package dev.countersign.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.otp.signalwire.SignalWireCodes;
import dev.countersign.otp.signalwire.SignalWireConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * SignalWire's MFA REST API on a {@link MockWebServer}, answering as the real service does.
 * {@code POST /api/relay/rest/mfa/sms|call} starts a challenge with the configured code;
 * {@code POST /api/relay/rest/mfa/{id}/verify} checks a token: {@code success:true} for the right
 * one (once), {@code success:false} for a wrong one while attempts last ({@code max_attempts} of
 * the start), 404 when the id is unknown, used, expired ({@code valid_for}) or out of attempts.
 * Every request is recorded.
 *
 * <p>Knobs for faults: {@link #failNextStart(int)}, {@link #disconnectNextStart()},
 * {@link #delayNextStart(Duration)}, {@link #failNextVerify(int)}, {@link #delayVerify(Duration)},
 * {@link #onVerify(Runnable)}, {@link #forgetAll()}, and {@link #lenient(boolean)}, where the
 * right code verifies again and again (so races are decided by Countersign, not here).
 */
public final class FakeSignalWire implements AutoCloseable {

    public static final String PROJECT = "p-0000-fake-project";
    public static final String TOKEN = "PTfake-token-never-real";
    public static final String FROM = "+12015550100";
    public static final String DEFAULT_CODE = "123456";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern START = Pattern.compile("/api/relay/rest/mfa/(sms|call)");
    private static final Pattern VERIFY = Pattern.compile("/api/relay/rest/mfa/([^/]+)/verify");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    /** One request as it reached the fake. {@code body} is the parsed JSON, or missing. */
    public record Call(String method, String path, String authorization, JsonNode body) {

        public boolean isStart() {
            return START.matcher(path).matches();
        }

        public boolean isVerify() {
            return VERIFY.matcher(path).matches();
        }

        /** The challenge id of a verify call. */
        public String challengeId() {
            Matcher matcher = VERIFY.matcher(path);
            return matcher.matches() ? matcher.group(1) : null;
        }

        public String text(String field) {
            JsonNode value = body.path(field);
            return value.isMissingNode() || value.isNull() ? null : value.asText();
        }
    }

    /** A challenge as the fake holds it. */
    private static final class Challenge {
        final String to;
        final String channel;
        final String code;
        final int maxAttempts;
        final Instant expiresAt;
        int wrongAttempts;
        boolean used;

        Challenge(String to, String channel, String code, int maxAttempts, Instant expiresAt) {
            this.to = to;
            this.channel = channel;
            this.code = code;
            this.maxAttempts = maxAttempts;
            this.expiresAt = expiresAt;
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final Clock clock;
    private final String authorization = Credentials.basic(PROJECT, TOKEN);
    private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Queue<MockResponse> startFailures = new ConcurrentLinkedQueue<>();
    private final Queue<Duration> startDelays = new ConcurrentLinkedQueue<>();
    private final Queue<MockResponse> verifyFailures = new ConcurrentLinkedQueue<>();
    private volatile String code = DEFAULT_CODE;
    private volatile boolean lenient;
    private volatile Duration verifyDelay = Duration.ZERO;
    private volatile Runnable onVerify = () -> { };

    private FakeSignalWire(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
    }

    /** Starts a fake whose codes expire by the wall clock. */
    public static FakeSignalWire start() {
        return start(Clock.systemUTC());
    }

    /** Starts a fake whose codes expire by {@code clock}: share the test's {@link MutableClock}. */
    public static FakeSignalWire start(Clock clock) {
        FakeSignalWire fake = new FakeSignalWire(clock);
        try {
            fake.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fake;
    }

    // --- clients ------------------------------------------------------------------------------

    /** Countersign's real client, pointed at this fake, with a sender so custom text is allowed. */
    public SignalWireCodes codes() {
        return codes(SignalWireCodes.newHttpClient());
    }

    /** The real client with every timeout set to {@code timeout}: for tests of slow answers. */
    public SignalWireCodes codes(Duration timeout) {
        return codes(SignalWireCodes.newHttpClient().newBuilder()
                .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                .callTimeout(timeout).build());
    }

    public SignalWireCodes codes(OkHttpClient client) {
        return new SignalWireCodes(config(), client);
    }

    public SignalWireConfig config() {
        return SignalWireConfig.of(server.url("/").toString(), PROJECT, TOKEN, FROM);
    }

    // --- knobs --------------------------------------------------------------------------------

    /** The code given to challenges started from now on. */
    public FakeSignalWire code(String nextCode) {
        this.code = Objects.requireNonNull(nextCode, "nextCode");
        return this;
    }

    /** Lenient: the right code verifies every time, not just once. */
    public FakeSignalWire lenient(boolean on) {
        this.lenient = on;
        return this;
    }

    /** The next start is answered with {@code status} and the body SignalWire sends with it. */
    public FakeSignalWire failNextStart(int status) {
        startFailures.add(errorResponse(status));
        return this;
    }

    /** The next start is read, then the connection drops without an answer. */
    public FakeSignalWire disconnectNextStart() {
        startFailures.add(new MockResponse()
                .setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        return this;
    }

    /**
     * The next start is carried out (the code goes out) but its answer is held back this long, so a
     * client with a shorter timeout gives up on a code that was in fact sent.
     */
    public FakeSignalWire delayNextStart(Duration delay) {
        startDelays.add(delay);
        return this;
    }

    /** The next verify is answered with {@code status} without judging the code. */
    public FakeSignalWire failNextVerify(int status) {
        verifyFailures.add(errorResponse(status));
        return this;
    }

    /** Verify answers (judged as usual) are held back this long before their headers go out. */
    public FakeSignalWire delayVerify(Duration delay) {
        this.verifyDelay = Objects.requireNonNull(delay, "delay");
        return this;
    }

    /**
     * Runs {@code action} as each verify arrives, before the token is judged: time passing while
     * the request travels, for instance.
     */
    public FakeSignalWire onVerify(Runnable action) {
        this.onVerify = Objects.requireNonNull(action, "action");
        return this;
    }

    /** Forgets every challenge, as if they had expired at SignalWire: verifies get 404. */
    public FakeSignalWire forgetAll() {
        challenges.clear();
        return this;
    }

    // --- what happened ------------------------------------------------------------------------

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> starts() {
        return calls.stream().filter(Call::isStart).toList();
    }

    public List<Call> verifies() {
        return calls.stream().filter(Call::isVerify).toList();
    }

    /** Requests that reached the server socket, whatever the answer (includes dropped ones). */
    public int requestCount() {
        return server.getRequestCount();
    }

    public String url() {
        return server.url("/").toString();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- the emulation ------------------------------------------------------------------------

    private MockResponse answer(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        JsonNode body = parse(request.getBody().readUtf8());
        calls.add(new Call(request.getMethod(), path, request.getHeader("Authorization"), body));
        if (!"POST".equals(request.getMethod())) {
            return json(405, "{\"error\":\"Method Not Allowed\"}");
        }
        if (!authorization.equals(request.getHeader("Authorization"))) {
            return json(401, "{\"error\":\"Unauthorized\"}");
        }
        Matcher start = START.matcher(path);
        if (start.matches()) {
            MockResponse failure = startFailures.poll();
            if (failure != null) {
                return failure;
            }
            MockResponse started = startChallenge(start.group(1), body);
            Duration delay = startDelays.poll();
            return delay == null ? started
                    : started.setHeadersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        Matcher verify = VERIFY.matcher(path);
        if (verify.matches()) {
            onVerify.run();
            MockResponse failure = verifyFailures.poll();
            MockResponse answer = failure != null ? failure : verifyToken(verify.group(1), body);
            return verifyDelay.isZero() ? answer
                    : answer.setHeadersDelay(verifyDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return json(404, "{\"error\":\"Not Found\"}");
    }

    private MockResponse startChallenge(String channel, JsonNode body) {
        String to = body.path("to").asText("");
        if (!E164.matcher(to).matches()) {
            return unprocessable("to", "is not a valid phone number in E.164 format");
        }
        if (body.hasNonNull("message") && !body.hasNonNull("from")) {
            return unprocessable("from", "is required when the message is customised");
        }
        int maxAttempts = body.path("max_attempts").asInt(3);
        long validFor = body.path("valid_for").asLong(3600);
        String id = UUID.randomUUID().toString();
        challenges.put(id, new Challenge(to, channel, code, maxAttempts,
                clock.instant().plusSeconds(validFor)));
        ObjectNode reply = JSON.createObjectNode()
                .put("id", id).put("success", true).put("to", to).put("channel", channel);
        return json(200, reply.toString());
    }

    private MockResponse verifyToken(String id, JsonNode body) {
        Challenge challenge = challenges.get(id);
        if (challenge == null) {
            return notFound();
        }
        synchronized (challenge) {
            boolean gone = challenge.used && !lenient
                    || !clock.instant().isBefore(challenge.expiresAt)
                    || challenge.wrongAttempts >= challenge.maxAttempts;
            if (gone) {
                return notFound();
            }
            if (challenge.code.equals(body.path("token").asText(""))) {
                challenge.used = true;
                return json(200, "{\"success\":true}");
            }
            challenge.wrongAttempts++;
            return json(200, "{\"success\":false}");
        }
    }

    private static MockResponse errorResponse(int status) {
        return switch (status) {
            case 401 -> json(401, "{\"error\":\"Unauthorized\"}");
            case 422 -> unprocessable("to", "cannot receive messages");
            case 429 -> json(429, "{\"errors\":[{\"detail\":\"Too many requests\"}]}")
                    .setHeader("Retry-After", "30");
            // Retry-After: 0 on a 503 is what makes OkHttp itself send a request again.
            case 503 -> json(503, "{\"error\":\"Service Unavailable\"}")
                    .setHeader("Retry-After", "0");
            default -> json(status, "{\"error\":\"Internal Server Error\"}");
        };
    }

    private static MockResponse unprocessable(String field, String detail) {
        ObjectNode error = JSON.createObjectNode().put("detail", detail)
                .put("title", "Invalid " + field)
                .put("code", "invalid_parameter");
        ObjectNode reply = JSON.createObjectNode();
        reply.putArray("errors").add(error);
        return json(422, reply.toString());
    }

    private static MockResponse notFound() {
        return json(404, "{\"error\":\"Not Found\"}");
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json").setBody(body);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }
}

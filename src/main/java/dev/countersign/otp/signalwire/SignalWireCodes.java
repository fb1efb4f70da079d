package dev.countersign.otp.signalwire;

import dev.countersign.remote.CallSlots;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.StartResult;
import dev.countersign.otp.VerifyResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of SignalWire's Multi-Factor Authentication REST API: starts a challenge by SMS or voice
 * call and verifies the code the person typed.
 *
 * @see <a
 *     href="https://developer.signalwire.com/rest/signalwire-rest/endpoints/space/send-mfa-sms">
 *     Send MFA via SMS</a>
 * @see <a
 *     href="https://signalwire.com/docs/apis/rest/multi-factor-authentication/verify-mfa-token">
 *     Verify MFA token</a>
 */
public final class SignalWireCodes implements OneTimeCodes {

    private static final Logger log = LoggerFactory.getLogger(SignalWireCodes.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    /**
     * SignalWire's ids are UUIDs. Ids end up in URLs, logs and the database, so anything odd is
     * refused rather than stored; a leading letter or digit also rules out "." and "..".
     */
    private static final Pattern USABLE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final SignalWireConfig config;
    /**
     * SignalWire calls in flight at once. Each waits seconds for SignalWire (2 s is common), and
     * on virtual threads nothing else limits them: 1,024 is 300 approvals/s (start and verify)
     * answered in 1.7 s, beyond which a slower SignalWire should see no more load from us. A
     * call that finds no slot within {@link #SLOT_WAIT} fails as a timeout: no code is sent.
     */
    static final int MAX_CALLS_IN_FLIGHT = 1024;
    private static final Duration SLOT_WAIT = Duration.ofSeconds(2);

    private final CallSlots inFlight;
    private final OkHttpClient client;
    private final String authorization;

    /**
     * Uses {@code client}'s pool, dispatcher and timeouts, but always with retries and redirects
     * switched off: a start sent twice can text the person twice, and a redirect would carry the
     * credentials to another host.
     */
    public SignalWireCodes(SignalWireConfig config, OkHttpClient client) {
        this(config, client, MAX_CALLS_IN_FLIGHT);
    }

    /** With {@code callsInFlight} slots instead of {@link #MAX_CALLS_IN_FLIGHT} (tests). */
    SignalWireCodes(SignalWireConfig config, OkHttpClient client, int callsInFlight) {
        this.inFlight = new CallSlots("SignalWire", callsInFlight, SLOT_WAIT);
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client").newBuilder()
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .addNetworkInterceptor(SignalWireCodes::noInstantRetry)
                .build();
        this.authorization = Credentials.basic(config.projectKey(), config.token());
    }

    /** The client we recommend for SignalWire; share it between calls, one per remote service. */
    public static OkHttpClient newHttpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(15))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(512, 5, TimeUnit.MINUTES))
                .build();
    }

    @Override
    public StartResult start(CodeRequest request) {
        Objects.requireNonNull(request, "request");
        String channel = request.channel().wireName();
        HttpUrl url = mfa().addPathSegment(channel).build();
        long began = System.nanoTime();
        StartResult result;
        String status = "no answer";
        try {
            SignalWireReply reply = post(url, startBody(request));
            status = String.valueOf(reply.status());
            result = started(reply, request);
        } catch (IOException failure) {
            result = new StartResult.Failed(Failures.forException(failure));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        String to = PhoneNumber.mask(request.to());
        if (result instanceof StartResult.Failed failed) {
            warn("SignalWire " + channel + " start to " + to, failed.failure(), status, millis);
        } else {
            log.info("SignalWire {} start to {}: {} in {} ms", channel, to, status, millis);
        }
        return result;
    }

    @Override
    public VerifyResult verify(String challengeId, String code) {
        Objects.requireNonNull(challengeId, "challengeId");
        Objects.requireNonNull(code, "code");
        // "." and ".." are path steps, not segments, even for HttpUrl's builder.
        if (challengeId.isBlank() || challengeId.equals(".") || challengeId.equals("..")) {
            throw new IllegalArgumentException("challengeId must be a challenge id");
        }
        // One encoded segment: an id with "/" or "?" cannot reach another endpoint.
        HttpUrl url = mfa().addPathSegment(challengeId).addPathSegment("verify").build();
        ObjectNode body = SignalWireReply.JSON.createObjectNode().put("token", code);
        long began = System.nanoTime();
        VerifyResult result;
        String status = "no answer";
        try {
            SignalWireReply reply = post(url, body);
            status = String.valueOf(reply.status());
            result = verified(reply, code);
        } catch (IOException failure) {
            result = new VerifyResult.Failed(Failures.forException(failure));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        if (result instanceof VerifyResult.Failed failed) {
            warn("SignalWire verify " + forLog(challengeId), failed.failure(), status, millis);
        } else {
            log.info("SignalWire verify {}: {} ({}) in {} ms", forLog(challengeId),
                    result.getClass().getSimpleName(), status, millis);
        }
        return result;
    }

    @Override
    public String name() {
        return "signalwire";
    }

    /** Three quarters or more of the slots are taken ({@link OneTimeCodes#nearCapacity}). */
    @Override
    public boolean nearCapacity() {
        return inFlight.nearlyFull();
    }

    private HttpUrl.Builder mfa() {
        return config.baseUrl().newBuilder().addPathSegments("api/relay/rest/mfa");
    }

    private ObjectNode startBody(CodeRequest request) {
        ObjectNode body = SignalWireReply.JSON.createObjectNode();
        body.put("to", request.to());
        if (config.from() != null) {
            body.put("from", config.from());
        }
        if (request.message() != null) {
            body.put("message", request.message());
        }
        body.put("token_length", CodeRequest.CODE_LENGTH);
        body.put("max_attempts", request.maxAttempts());
        body.put("allow_alphas", false);
        // SignalWire's default is an hour; always say how long, the request holds at most 600 s.
        body.put("valid_for", request.validFor().toSeconds());
        return body;
    }

    private SignalWireReply post(HttpUrl url, ObjectNode body) throws IOException {
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .post(RequestBody.create(SignalWireReply.JSON.writeValueAsBytes(body), JSON_TYPE))
                .build();
        // No slot in time is handled as a timeout: nothing was sent, and the person can try again.
        return inFlight.call(() -> {
            try (Response response = client.newCall(request).execute()) {
                return SignalWireReply.of(response);
            }
        });
    }

    private static StartResult started(SignalWireReply reply, CodeRequest request) {
        if (!reply.successful()) {
            return new StartResult.Failed(Failures.forStatus(reply, null));
        }
        if (reply.unreadable() != null) {
            return new StartResult.Failed(Failures.badReply(reply, reply.unreadable()));
        }
        JsonNode body = reply.body();
        JsonNode id = body.path("id");
        if (!id.isTextual() || !USABLE_ID.matcher(id.asText()).matches()) {
            return new StartResult.Failed(Failures.badReply(reply, "no usable id"));
        }
        JsonNode success = body.path("success");
        if (!success.isBoolean() || !success.booleanValue()) {
            return new StartResult.Failed(Failures.badReply(reply, "success is not true"));
        }
        return new StartResult.Started(id.asText(), channel(body, request.channel()));
    }

    /** The reply's channel; the request's when it is missing or new to us, as the code went out. */
    private static DeliveryChannel channel(JsonNode body, DeliveryChannel requested) {
        String said = body.path("channel").asText("");
        for (DeliveryChannel channel : DeliveryChannel.values()) {
            if (channel.wireName().equalsIgnoreCase(said)) {
                return channel;
            }
        }
        return requested;
    }

    private static VerifyResult verified(SignalWireReply reply, String code) {
        if (reply.status() == 404) {
            return new VerifyResult.Gone();
        }
        if (!reply.successful()) {
            return new VerifyResult.Failed(Failures.forStatus(reply, code));
        }
        if (reply.unreadable() != null) {
            return new VerifyResult.Failed(Failures.badReply(reply, reply.unreadable()));
        }
        JsonNode success = reply.body().path("success");
        if (!success.isBoolean()) {
            return new VerifyResult.Failed(Failures.badReply(reply, "no boolean success"));
        }
        return success.booleanValue() ? new VerifyResult.Correct() : new VerifyResult.Wrong();
    }

    /** The id comes from our caller: keep a stray line break from forging log lines. */
    private static String forLog(String challengeId) {
        String printable = challengeId.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 64 ? printable : printable.substring(0, 64) + "…";
    }

    private static void warn(String call, ProviderFailure failure, String status, long millis) {
        log.warn("{} failed: {} ({}) in {} ms: {}", call, failure.kind(), status, millis,
                failure.detail());
    }

    /**
     * OkHttp resends a request answered by 503 with {@code Retry-After: 0}, whatever
     * {@code retryOnConnectionFailure} says. Dropping the header on 503 keeps a start from going
     * out twice; a 503 maps to UNAVAILABLE either way.
     */
    private static Response noInstantRetry(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.code() == 503 && response.header("Retry-After") != null) {
            return response.newBuilder().removeHeader("Retry-After").build();
        }
        return response;
    }
}

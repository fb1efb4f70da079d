package dev.countersign.otp.signalwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.ProviderFailure.Kind;
import dev.countersign.otp.StartResult;
import dev.countersign.otp.VerifyResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SignalWireCodesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROJECT = "b3e1c0de-1111-4000-8000-00000000c0de";
    private static final String TOKEN = "PTsecret0123456789abcdefsecret";
    private static final String PHONE = "+12015550123";
    private static final String SIGNIFICANT_DIGITS = "2015550123";
    private static final String FROM = "+12015550100";
    private static final String CODE = "482913";
    private static final String CHALLENGE = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    private static final String STARTED = "{\"id\":\"" + CHALLENGE + "\",\"success\":true,"
            + "\"to\":\"" + PHONE + "\",\"channel\":\"sms\"}";

    private final MockWebServer server = new MockWebServer();
    private SignalWireCodes codes;

    @BeforeEach
    void startServer() throws IOException {
        server.start();
        codes = codes(SignalWireCodes.newHttpClient(), null);
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    // --- what is sent ---

    @Test
    void smsStartPostsJsonWithBasicAuthToTheSmsEndpoint() throws Exception {
        server.enqueue(json(200, STARTED));

        codes.start(sms(null));

        RecordedRequest sent = server.takeRequest();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getPath()).isEqualTo("/api/relay/rest/mfa/sms");
        assertThat(basicCredentials(sent)).isEqualTo(PROJECT + ":" + TOKEN);
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent.getHeader("Accept")).isEqualTo("application/json");
    }

    @Test
    void callStartPostsToTheCallEndpoint() throws Exception {
        server.enqueue(json(200, STARTED.replace("\"sms\"", "\"call\"")));

        codes.start(new CodeRequest(PHONE, DeliveryChannel.CALL, null, Duration.ofMinutes(5), 3));

        assertThat(server.takeRequest().getPath()).isEqualTo("/api/relay/rest/mfa/call");
    }

    @Test
    void startBodyCarriesNumberLengthAttemptsLifetimeAndDigitsOnly() throws Exception {
        server.enqueue(json(200, STARTED));

        codes.start(new CodeRequest(PHONE, DeliveryChannel.SMS, null, Duration.ofSeconds(300), 4));

        JsonNode body = body(server.takeRequest());
        assertThat(body.path("to").asText()).isEqualTo(PHONE);
        assertThat(body.path("token_length").isInt()).isTrue();
        assertThat(body.path("token_length").asInt()).isEqualTo(6);
        assertThat(body.path("max_attempts").asInt()).isEqualTo(4);
        assertThat(body.path("valid_for").asLong()).isEqualTo(300);
        assertThat(body.path("allow_alphas").isBoolean()).isTrue();
        assertThat(body.path("allow_alphas").booleanValue()).isFalse();
        assertThat(body.has("message")).isFalse();
        assertThat(body.has("from")).isFalse();
    }

    @Test
    void messageIsSentOnlyWhenGiven() throws Exception {
        server.enqueue(json(200, STARTED));
        server.enqueue(json(200, STARTED));
        SignalWireCodes withSender = codes(SignalWireCodes.newHttpClient(), FROM);

        withSender.start(sms("Approve 2,500.00 USD to Acme Corp. Code:"));
        withSender.start(sms(null));

        assertThat(body(server.takeRequest()).path("message").asText())
                .isEqualTo("Approve 2,500.00 USD to Acme Corp. Code:");
        assertThat(body(server.takeRequest()).has("message")).isFalse();
    }

    @Test
    void senderIsSentOnlyWhenConfigured() throws Exception {
        server.enqueue(json(200, STARTED));
        server.enqueue(json(200, STARTED));

        codes(SignalWireCodes.newHttpClient(), FROM).start(sms(null));
        codes.start(sms(null));

        assertThat(body(server.takeRequest()).path("from").asText()).isEqualTo(FROM);
        assertThat(body(server.takeRequest()).has("from")).isFalse();
    }

    @Test
    void verifyPostsTheTokenToTheChallengesVerifyEndpoint() throws Exception {
        server.enqueue(json(200, "{\"success\":true}"));

        codes.verify(CHALLENGE, CODE);

        RecordedRequest sent = server.takeRequest();
        assertThat(sent.getMethod()).isEqualTo("POST");
        assertThat(sent.getPath()).isEqualTo("/api/relay/rest/mfa/" + CHALLENGE + "/verify");
        assertThat(basicCredentials(sent)).isEqualTo(PROJECT + ":" + TOKEN);
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = body(sent);
        assertThat(body.path("token").asText()).isEqualTo(CODE);
        assertThat(body.size()).isEqualTo(1);
    }

    @Test
    void challengeIdStaysOneEncodedPathSegment() throws Exception {
        server.enqueue(json(404, "{}"));

        codes.verify("../sms?x=1", CODE);

        assertThat(server.takeRequest().getPath())
                .isEqualTo("/api/relay/rest/mfa/..%2Fsms%3Fx=1/verify");
    }

    @Test
    void dotSegmentsAreRefusedAsChallengeIds() {
        assertThatThrownBy(() -> codes.verify("..", CODE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codes.verify(".", CODE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    // --- what comes back from a start ---

    @Test
    void acceptedStartReturnsTheChallengeIdAndChannel() {
        server.enqueue(json(200, STARTED.replace("\"sms\"", "\"call\"")));

        StartResult result = codes.start(sms(null));

        assertThat(result).isEqualTo(new StartResult.Started(CHALLENGE, DeliveryChannel.CALL));
    }

    @Test
    void startWithoutChannelInTheReplyKeepsTheRequestedChannel() {
        server.enqueue(json(201, "{\"id\":\"" + CHALLENGE + "\",\"success\":true}"));

        StartResult result = codes.start(sms(null));

        assertThat(result).isEqualTo(new StartResult.Started(CHALLENGE, DeliveryChannel.SMS));
    }

    @Test
    void startReplyWithoutAUsableIdIsABadReply() {
        server.enqueue(json(200, "{\"success\":true,\"channel\":\"sms\"}"));
        server.enqueue(json(200, "{\"id\":\"  \",\"success\":true}"));
        server.enqueue(json(200, "{\"id\":\"..\",\"success\":true}"));
        server.enqueue(json(200, "{\"id\":\"a\\nb\",\"success\":true}"));

        for (int i = 0; i < 4; i++) {
            assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.BAD_REPLY);
        }
    }

    @Test
    void startReplyThatDoesNotSaySuccessIsABadReply() {
        server.enqueue(json(200, "{\"id\":\"" + CHALLENGE + "\",\"success\":false}"));
        server.enqueue(json(200, "{\"id\":\"" + CHALLENGE + "\"}"));

        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.BAD_REPLY);
        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.BAD_REPLY);
    }

    @Test
    void malformedJsonIsABadReply() {
        server.enqueue(json(200, "{\"id\":\"" + CHALLENGE + "\",\"succ"));
        server.enqueue(new MockResponse().setBody("<html>Service Temporarily Moved</html>"));

        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.BAD_REPLY);
        assertThat(failureOf(codes.verify(CHALLENGE, CODE)).kind()).isEqualTo(Kind.BAD_REPLY);
    }

    @Test
    void oversizedReplyIsABadReply() {
        String padding = "x".repeat(100 * 1024);
        server.enqueue(json(200, "{\"id\":\"" + CHALLENGE + "\",\"success\":true,\"pad\":\""
                + padding + "\"}"));

        ProviderFailure failure = failureOf(codes.start(sms(null)));

        assertThat(failure.kind()).isEqualTo(Kind.BAD_REPLY);
        assertThat(failure.detail()).contains("64 KiB");
    }

    @Test
    void unauthorizedIsReportedWithTheProvidersWords() {
        server.enqueue(json(401, "{\"error\":\"Unauthorized\"}"));
        server.enqueue(json(403, "{}"));

        assertThat(failureOf(codes.start(sms(null))))
                .isEqualTo(ProviderFailure.of(Kind.UNAUTHORIZED, "Unauthorized"));
        assertThat(failureOf(codes.verify(CHALLENGE, CODE)))
                .isEqualTo(ProviderFailure.of(Kind.UNAUTHORIZED, "HTTP 403"));
    }

    @Test
    void rejectedStartJoinsEveryErrorDetail() {
        server.enqueue(json(422, "{\"errors\":[{\"detail\":\"to is not a mobile number\","
                + "\"title\":\"Invalid\",\"code\":\"invalid_to\"},"
                + "{\"detail\":\"message is too long\",\"title\":\"Invalid\"}]}"));

        assertThat(failureOf(codes.start(sms(null)))).isEqualTo(ProviderFailure.of(Kind.REJECTED,
                "to is not a mobile number; message is too long"));
    }

    @Test
    void rejectedStartReadsTheOlderErrorShape() {
        server.enqueue(json(422, "{\"errors\":[{\"message\":\"From is not a valid number\"},"
                + "{\"title\":\"Token length out of range\"}]}"));

        assertThat(failureOf(codes.start(sms(null)))).isEqualTo(ProviderFailure.of(Kind.REJECTED,
                "From is not a valid number; Token length out of range"));
    }

    @Test
    void badRequestIsRejected() {
        server.enqueue(json(400, "not json at all"));

        assertThat(failureOf(codes.start(sms(null))))
                .isEqualTo(ProviderFailure.of(Kind.REJECTED, "HTTP 400"));
    }

    @Test
    void rejectionThatEchoesThePhoneNumberComesBackMasked() {
        server.enqueue(json(422, "{\"errors\":[{\"detail\":\"+12015550123 is not reachable "
                + "(12015550123)\"}]}"));

        ProviderFailure failure = failureOf(codes.start(sms(null)));

        assertThat(failure.detail()).isEqualTo("•••• 0123 is not reachable (•••• 0123)");
    }

    @Test
    void longRejectionDetailIsCut() {
        server.enqueue(json(422, "{\"errors\":[{\"detail\":\"" + "bad ".repeat(200) + "\"}]}"));

        ProviderFailure failure = failureOf(codes.start(sms(null)));

        assertThat(failure.detail()).hasSizeLessThanOrEqualTo(200).endsWith("…");
    }

    @Test
    void rateLimitCarriesRetryAfterWhenItIsANumber() {
        server.enqueue(json(429, "{}").setHeader("Retry-After", "30"));
        server.enqueue(json(429, "{}").setHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"));

        assertThat(failureOf(codes.start(sms(null))))
                .isEqualTo(new ProviderFailure(Kind.RATE_LIMITED, "HTTP 429", 30));
        assertThat(failureOf(codes.verify(CHALLENGE, CODE)))
                .isEqualTo(new ProviderFailure(Kind.RATE_LIMITED, "HTTP 429", 0));
    }

    @Test
    void serverErrorIsUnavailable() {
        server.enqueue(json(500, "{\"error\":\"boom\"}"));
        server.enqueue(json(502, "<html>Bad Gateway</html>"));

        assertThat(failureOf(codes.start(sms(null))))
                .isEqualTo(ProviderFailure.of(Kind.UNAVAILABLE, "HTTP 500"));
        assertThat(failureOf(codes.verify(CHALLENGE, CODE)))
                .isEqualTo(ProviderFailure.of(Kind.UNAVAILABLE, "HTTP 502"));
    }

    @Test
    void unexpectedStatusIsABadReplyNamingIt() {
        server.enqueue(json(404, "{}"));

        assertThat(failureOf(codes.start(sms(null))))
                .isEqualTo(ProviderFailure.of(Kind.BAD_REPLY, "HTTP 404"));
    }

    @Test
    void redirectIsNotFollowed() {
        server.enqueue(new MockResponse().setResponseCode(307)
                .setHeader("Location", server.url("/elsewhere")));
        server.enqueue(json(200, STARTED));

        assertThat(failureOf(codes.start(sms(null))))
                .isEqualTo(ProviderFailure.of(Kind.BAD_REPLY, "HTTP 307"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // --- what comes back from a verify ---

    @Test
    void rightCodeIsReportedAsCorrect() {
        server.enqueue(json(200, "{\"success\":true}"));

        assertThat(codes.verify(CHALLENGE, CODE)).isEqualTo(new VerifyResult.Correct());
    }

    @Test
    void wrongCodeIsReportedAsWrong() {
        server.enqueue(json(200, "{\"success\":false}"));

        assertThat(codes.verify(CHALLENGE, CODE)).isEqualTo(new VerifyResult.Wrong());
    }

    @Test
    void unknownUsedOrExpiredChallengeIsGone() {
        server.enqueue(json(404, "{\"error\":\"Not Found\"}"));

        assertThat(codes.verify(CHALLENGE, CODE)).isEqualTo(new VerifyResult.Gone());
    }

    @Test
    void verifyReplyWithoutABooleanSuccessIsABadReply() {
        server.enqueue(json(200, "{\"success\":\"true\"}"));
        server.enqueue(json(200, "{}"));

        assertThat(failureOf(codes.verify(CHALLENGE, CODE)).kind()).isEqualTo(Kind.BAD_REPLY);
        assertThat(failureOf(codes.verify(CHALLENGE, CODE)).kind()).isEqualTo(Kind.BAD_REPLY);
    }

    @Test
    void rejectedVerifyNeverEchoesTheCode() {
        server.enqueue(json(422,
                "{\"errors\":[{\"detail\":\"token " + CODE + " is malformed\"}]}"));

        assertThat(failureOf(codes.verify(CHALLENGE, CODE)))
                .isEqualTo(ProviderFailure.of(Kind.REJECTED, "token •••••• is malformed"));
    }

    // --- no answer ---

    @Test
    void slowHeadersAreATimeout() {
        SignalWireCodes impatient = codes(SignalWireCodes.newHttpClient().newBuilder()
                .readTimeout(Duration.ofMillis(200)).build(), null);
        server.enqueue(json(200, STARTED).setHeadersDelay(1, TimeUnit.SECONDS));
        server.enqueue(json(200, "{\"success\":true}").setHeadersDelay(1, TimeUnit.SECONDS));

        assertThat(failureOf(impatient.start(sms(null))).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(failureOf(impatient.verify(CHALLENGE, CODE)).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void slowBodyPastTheCallTimeoutIsATimeout() {
        SignalWireCodes impatient = codes(SignalWireCodes.newHttpClient().newBuilder()
                .callTimeout(Duration.ofMillis(200)).build(), null);
        server.enqueue(json(200, STARTED).setBodyDelay(1, TimeUnit.SECONDS));

        assertThat(failureOf(impatient.start(sms(null))).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void connectionDroppedAfterTheRequestIsANetworkFailureAndNotRetried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(200, STARTED));

        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.NETWORK);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void pooledConnectionDroppedAfterTheRequestIsNotRetried() {
        // OkHttp retries most eagerly on a reused connection, assuming it had gone stale.
        server.enqueue(json(200, STARTED));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(200, STARTED));

        assertThat(codes.start(sms(null))).isInstanceOf(StartResult.Started.class);
        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.NETWORK);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void connectionDroppedAtOnceIsANetworkFailureAndNotRetried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(json(200, STARTED));

        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.NETWORK);
        // MockWebServer counts the dropped connection too; a retry would have made it two.
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void startIsNotRetriedEvenWithAClientThatWouldRetry() {
        server.enqueue(json(200, STARTED));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(json(200, STARTED));
        SignalWireCodes lenient = codes(new OkHttpClient.Builder()
                .retryOnConnectionFailure(true).build(), null);

        assertThat(lenient.start(sms(null))).isInstanceOf(StartResult.Started.class);
        assertThat(failureOf(lenient.start(sms(null))).kind()).isEqualTo(Kind.NETWORK);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void unavailableWithRetryAfterZeroIsNotResent() {
        // OkHttp on its own repeats a request answered "503, Retry-After: 0".
        server.enqueue(json(503, "{}").setHeader("Retry-After", "0"));
        server.enqueue(json(200, STARTED));

        assertThat(failureOf(codes.start(sms(null))).kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refusedConnectionIsANetworkFailure() throws IOException {
        MockWebServer closed = new MockWebServer();
        closed.start();
        String url = closed.url("/").toString();
        closed.shutdown();
        SignalWireCodes unreachable = new SignalWireCodes(
                SignalWireConfig.of(url, PROJECT, TOKEN, null), SignalWireCodes.newHttpClient());

        assertThat(failureOf(unreachable.start(sms(null))).kind()).isEqualTo(Kind.NETWORK);
        assertThat(failureOf(unreachable.verify(CHALLENGE, CODE)).kind()).isEqualTo(Kind.NETWORK);
    }

    // --- logs ---

    @Test
    void logsNeverShowTheCodeTheTokenOrTheFullPhone() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
        try {
            server.enqueue(json(200, STARTED));
            server.enqueue(json(200, "{\"success\":false}"));
            server.enqueue(json(200, "{\"success\":true}"));
            server.enqueue(json(422, "{\"errors\":[{\"detail\":\"" + PHONE + " refused\"}]}"));
            server.enqueue(json(422, "{\"errors\":[{\"detail\":\"token " + CODE + " bad\"}]}"));
            server.enqueue(json(401, "{\"error\":\"Unauthorized\"}"));
            server.enqueue(json(200, "{\"success\":\"" + CODE + "\"}"));
            server.enqueue(
                    new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

            codes(SignalWireCodes.newHttpClient(), FROM).start(sms("Approve payment. Code:"));
            codes.verify(CHALLENGE, "000000");
            codes.verify(CHALLENGE, CODE);
            codes.start(sms(null));
            codes.verify(CHALLENGE, CODE);
            codes.start(sms(null));
            codes.verify(CHALLENGE, CODE);
            codes.start(sms(null));
        } finally {
            root.detachAppender(appender);
            root.setLevel(before);
        }

        String basic = Base64.getEncoder().encodeToString(
                (PROJECT + ":" + TOKEN).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(appender.list).isNotEmpty();
        assertThat(appender.list).anySatisfy(event ->
                assertThat(event.getFormattedMessage()).contains("•••• 0123"));
        for (ILoggingEvent event : appender.list) {
            assertThat(event.getFormattedMessage())
                    .doesNotContain(TOKEN, basic, CODE, SIGNIFICANT_DIGITS);
        }
    }

    @Test
    void nameIsSignalwire() {
        assertThat(codes.name()).isEqualTo("signalwire");
    }

    // --- helpers ---

    private SignalWireCodes codes(OkHttpClient client, String from) {
        return new SignalWireCodes(
                SignalWireConfig.of(server.url("/").toString(), PROJECT, TOKEN, from), client);
    }

    private static CodeRequest sms(String message) {
        return new CodeRequest(PHONE, DeliveryChannel.SMS, message, Duration.ofMinutes(5), 3);
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json").setBody(body);
    }

    private static JsonNode body(RecordedRequest request) throws IOException {
        return JSON.readTree(request.getBody().readUtf8());
    }

    private static String basicCredentials(RecordedRequest request) {
        String header = request.getHeader("Authorization");
        assertThat(header).startsWith("Basic ");
        return new String(Base64.getDecoder().decode(header.substring("Basic ".length())),
                StandardCharsets.ISO_8859_1);
    }

    private static ProviderFailure failureOf(StartResult result) {
        assertThat(result).isInstanceOf(StartResult.Failed.class);
        return ((StartResult.Failed) result).failure();
    }

    private static ProviderFailure failureOf(VerifyResult result) {
        assertThat(result).isInstanceOf(VerifyResult.Failed.class);
        return ((VerifyResult.Failed) result).failure();
    }
}

package dev.countersign.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import dev.countersign.testing.FakeSlackApi;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import dev.countersign.slack.SlackSignatureCheck;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP edge on a real Jetty on a free port, driven by a real HTTP client: readiness, routes,
 * the body limit, and many slow requests at once (the reason requests run on virtual threads).
 * The Bolt app behind it is real too, with signed requests; only Slack's Web API is faked (Bolt
 * checks the bot token with {@code auth.test} once).
 */
@Timeout(120)
class WebServerTest {

    private static final String SIGNING_SECRET = "web-server-test-signing-secret";
    private static final RequestCheck CHECK = new SlackSignatureCheck(SIGNING_SECRET,
            Clock.systemUTC());
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Long enough for 500 connections and signature checks on a busy 2-core machine. */
    private static final Duration ALL_IN = Duration.ofSeconds(30);
    /** Far more than the 16 platform threads, and more than the 400 the pool used to have. */
    private static final int SLOW_REQUESTS = 500;

    private final AtomicBoolean healthy = new AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    private final List<App> apps = new ArrayList<>();
    private FakeSlackApi slack;
    private WebServer web;

    @BeforeEach
    void start() throws Exception {
        web = WebServer.start(0, healthy::get);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
        for (App app : apps) {
            app.stop();
        }
        if (slack != null) {
            slack.close();
        }
        http.close();
    }

    @Test
    void healthzAnswers503UntilHealthyAnd200After() throws Exception {
        HttpResponse<String> before = send(get("/healthz"));
        healthy.set(true);
        HttpResponse<String> after = send(get("/healthz"));

        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).contains("\"status\":\"unavailable\"");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(after.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void slackEventsAnswer503WithRetryAfterUntilTheAppIsServed() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        App app = bolt((request, context) -> {
            handled.incrementAndGet();
            return context.ack("on it");
        });

        HttpResponse<String> early = send(signedCommand("pay 5 USD to Acme"));
        web.serveSlack(app, CHECK);
        HttpResponse<String> served = send(signedCommand("pay 5 USD to Acme"));

        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).contains("on it");
        assertThat(handled).as("only the request after serveSlack reached the listener")
                .hasValue(1);
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405WithNoStackTrace() throws Exception {
        web.serveSlack(bolt((request, context) -> context.ack()), CHECK);

        HttpResponse<String> unknown = send(get("/admin"));
        HttpResponse<String> getEvents = send(get("/slack/events"));
        HttpResponse<String> postHealth = send(request("/healthz")
                .POST(BodyPublishers.ofString("{}")).build());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(getEvents.statusCode()).isEqualTo(405);
        assertThat(postHealth.statusCode()).isEqualTo(405);
        for (HttpResponse<String> refused : List.of(unknown, getEvents, postHealth)) {
            assertThat(refused.body()).as(refused.uri().toString())
                    .doesNotContain("Exception", "\tat ", ".java:", "Caused by");
        }
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413BeforeTheServletSeesIt() throws Exception {
        // Not served yet: had the servlet seen the request, it would have answered 503.
        String beforeReady = rawPost("Content-Length: " + (WebServer.MAX_BODY_BYTES + 1), "");
        AtomicInteger handled = new AtomicInteger();
        web.serveSlack(bolt((request, context) -> {
            handled.incrementAndGet();
            return context.ack();
        }), CHECK);

        String served = rawPost("Content-Length: " + (WebServer.MAX_BODY_BYTES + 1), "");

        assertThat(beforeReady).startsWith("HTTP/1.1 413");
        assertThat(served).startsWith("HTTP/1.1 413")
                .doesNotContain("Exception", "\tat ", ".java:");
        assertThat(handled).as("no oversized request reached Bolt's listener").hasValue(0);
    }

    @Test
    void chunkedBodyOverTheLimitIsRefusedWith413AndNeverReachesTheListener() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        web.serveSlack(bolt((request, context) -> {
            handled.incrementAndGet();
            return context.ack();
        }), CHECK);
        // No Content-Length: the limit can only be found while the body is read. One chunk
        // just over the limit, and the body never finished: the answer must come anyway.
        int size = Math.toIntExact(WebServer.MAX_BODY_BYTES + 1);
        String refused = rawPost("Transfer-Encoding: chunked",
                Integer.toHexString(size) + "\r\n" + "a".repeat(size) + "\r\n");

        assertThat(refused).startsWith("HTTP/1.1 413");
        assertThat(handled).hasValue(0);
    }

    @Test
    void aSignedCommandIsAnsweredPromptlyWhile450UploadsAreStalled() throws Exception {
        web.serveSlack(bolt((request, context) -> context.ack("acked")), CHECK);
        healthy.set(true);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 450; i++) {
                Socket socket = new Socket("127.0.0.1", web.port());
                socket.getOutputStream().write(("POST /slack/events HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 5000\r\n\r\ntoken=")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }

            long began = System.nanoTime();
            HttpResponse<String> command = send(signedCommand("pay 5 USD to Acme"));
            HttpResponse<String> health = send(get("/healthz"));
            Duration took = Duration.ofNanos(System.nanoTime() - began);

            assertThat(command.statusCode()).isEqualTo(200);
            assertThat(command.body()).contains("acked");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(took).as("command and health check with 450 uploads stalled")
                    .isLessThan(Duration.ofSeconds(3));
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /**
     * A POST to /slack/events written by hand, then what the server answers. The body may be
     * left unfinished: the server must answer before reading past its limit, and a real client
     * could be cut off while still sending, so the test reads the answer from a raw socket.
     */
    private String rawPost(String lengthHeader, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", web.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n" + lengthHeader
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException cutOff) {
                // The server may answer and close before the body is written: read its answer.
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void bodyJustUnderTheLimitStillReachesTheListener() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        web.serveSlack(bolt((request, context) -> {
            handled.incrementAndGet();
            return context.ack("read");
        }), CHECK);

        HttpResponse<String> answered = send(signedCommand(textOfBytes(
                WebServer.MAX_BODY_BYTES - 2_000)));

        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).contains("read");
        assertThat(handled).hasValue(1);
    }

    @Test
    void aRequestWhoseSignatureOrTimestampDoesNotCheckOutIsRefusedBeforeBoltSeesIt()
            throws Exception {
        AtomicInteger handled = new AtomicInteger();
        web.serveSlack(bolt((request, context) -> {
            handled.incrementAndGet();
            return context.ack("handled");
        }), CHECK);
        String body = commandBody("pay 5 USD to Acme");
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> forged = send(request("/slack/events")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(now))
                .header("X-Slack-Signature", "v0=" + "0".repeat(64))
                .POST(BodyPublishers.ofString(body)).build());
        HttpResponse<String> stale = send(signedAt(body, now - 301));
        HttpResponse<String> future = send(signedAt(body, now + 301));
        HttpResponse<String> unsigned = send(request("/slack/events")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(body)).build());
        HttpResponse<String> genuine = send(signedAt(body, now));

        assertThat(List.of(forged, stale, future, unsigned)).allSatisfy(refused -> {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).isEqualTo("{\"error\":\"invalid request\"}");
        });
        assertThat(genuine.statusCode()).isEqualTo(200);
        assertThat(handled).as("only the genuine request reached the listener").hasValue(1);
    }

    private HttpRequest signedAt(String body, long epochSecond) {
        String timestamp = Long.toString(epochSecond);
        return request("/slack/events")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature",
                        new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, body))
                .POST(BodyPublishers.ofString(body)).build();
    }

    @Test
    void bodyBoltCannotReadIsAnswered400NotAStackTrace() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        web.serveSlack(bolt((request, context) -> {
            handled.incrementAndGet();
            return context.ack();
        }), CHECK);

        HttpResponse<String> refused = send(signed("payload=%7Bnot-json",
                BodyPublishers.ofString("payload=%7Bnot-json")));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).isEqualTo("{\"error\":\"invalid request\"}");
        assertThat(handled).hasValue(0);
    }

    @Test
    void fiveHundredSlowRequestsAreAllInFlightAtOnceOnVirtualThreads() throws Exception {
        CountDownLatch arrived = new CountDownLatch(SLOW_REQUESTS);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger onPlatformThreads = new AtomicInteger();
        web.serveSlack(bolt((request, context) -> {
            if (!Thread.currentThread().isVirtual()) {
                onPlatformThreads.incrementAndGet();
            }
            arrived.countDown();
            // Like a code check waiting on SignalWire, only longer: until every request is in.
            boolean released = awaitRelease(release);
            return context.ack(released ? "released" : "never released");
        }), CHECK);

        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < SLOW_REQUESTS; i++) {
            replies.add(http.sendAsync(signedCommand("pay " + (i + 1) + " USD to Acme"),
                    BodyHandlers.ofString()));
        }
        boolean allInFlight;
        long answeredWhileHeld;
        try {
            allInFlight = arrived.await(ALL_IN.toSeconds(), TimeUnit.SECONDS);
            answeredWhileHeld = replies.stream().filter(CompletableFuture::isDone).count();
        } finally {
            release.countDown();
        }

        assertThat(allInFlight).as("%d of %d requests reached the listener at once",
                SLOW_REQUESTS - arrived.getCount(), SLOW_REQUESTS).isTrue();
        assertThat(answeredWhileHeld).as("answered before release").isZero();
        assertThat(onPlatformThreads).as("requests handled on platform threads").hasValue(0);
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            assertThat(reply.join().statusCode()).isEqualTo(200);
            assertThat(reply.join().body()).contains("released").doesNotContain("never");
        }
    }

    private static boolean awaitRelease(CountDownLatch release) {
        try {
            return release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A real Bolt app, as Countersign configures it, with {@code handler} for {@code /approve}. */
    private App bolt(SlashCommandHandler handler) throws Exception {
        if (slack == null) {
            slack = FakeSlackApi.start();
        }
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(slack.apiUrl());
        App app = new App(AppConfig.builder()
                .singleTeamBotToken("xoxb-web-server-test")
                .signingSecret(SIGNING_SECRET)
                .slack(Slack.getInstance(slackConfig))
                .authTestCacheExpirationMillis(-1)
                .build());
        app.command("/approve", handler);
        app.start();
        apps.add(app);
        return app;
    }

    private HttpRequest signedCommand(String text) {
        String body = commandBody(text);
        return signed(body, BodyPublishers.ofString(body));
    }

    /** {@code body} sent as Slack sends it, signed with the signing secret. */
    private HttpRequest signed(String body, BodyPublisher publisher) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return request("/slack/events")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature",
                        new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, body))
                .POST(publisher)
                .build();
    }

    private static String commandBody(String text) {
        return "token=legacy&team_id=" + FakeSlackApi.TEAM + "&team_domain=test"
                + "&channel_id=C0WEB00001&channel_name=finance&user_id=U0WEB00001"
                + "&user_name=web.tester&command=%2Fapprove&api_app_id=A0CSAPP001"
                + "&response_url=" + URLEncoder.encode("http://127.0.0.1:9/response",
                        StandardCharsets.UTF_8)
                + "&trigger_id=1.2.3&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Command text long enough that the whole form body comes to a little over {@code bytes}. */
    private static String textOfBytes(long bytes) {
        return "pay 1 USD to " + "a".repeat(Math.toIntExact(bytes));
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
                .timeout(WAIT);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, BodyHandlers.ofString());
    }
}

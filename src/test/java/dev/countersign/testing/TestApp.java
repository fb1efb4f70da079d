package dev.countersign.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.Countersign;
import dev.countersign.config.SettingsLoader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real Countersign (Jetty, Bolt, SQLite file) started on a free port, talking to a fake
 * Slack Web API and a fake SignalWire on loopback; plus helpers that walk the usual flows.
 */
public final class TestApp implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    public static final String PHONE = "+12015550123";

    public final FakeSlackApi slack;
    public final FakeSignalWire signalWire;
    public final Countersign app;
    public final SlackClient client;
    public final Map<String, String> env;
    private final AtomicInteger users = new AtomicInteger();

    private TestApp(FakeSlackApi slack, FakeSignalWire signalWire, Countersign app,
                    SlackClient client, Map<String, String> env) {
        this.slack = slack;
        this.signalWire = signalWire;
        this.app = app;
        this.client = client;
        this.env = env;
    }

    public static TestApp start(Path dir) throws Exception {
        return start(dir, Map.of(), FakeSlackApi.start());
    }

    public static TestApp start(Path dir, Map<String, String> extraEnv) throws Exception {
        return start(dir, extraEnv, FakeSlackApi.start());
    }

    public static TestApp start(Path dir, Map<String, String> extraEnv, FakeSlackApi slack)
            throws Exception {
        return start(dir, extraEnv, slack, Clock.systemUTC());
    }

    /** With {@code clock} as the server's clock (expiry, cooldowns, limits). */
    public static TestApp start(Path dir, Map<String, String> extraEnv, FakeSlackApi slack,
                                Clock clock) throws Exception {
        FakeSignalWire signalWire = FakeSignalWire.start();
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", "xoxb-test-" + HexFormat.of().formatHex(new SecureRandom()
                .generateSeed(8)));
        env.put("SLACK_SIGNING_SECRET", secret);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("PORT", "0");
        env.put("SIGNALWIRE_SPACE", signalWire.url());
        env.put("SIGNALWIRE_PROJECT_KEY", FakeSignalWire.PROJECT);
        env.put("SIGNALWIRE_TOKEN", FakeSignalWire.TOKEN);
        env.put("SIGNALWIRE_FROM", FakeSignalWire.FROM);
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("countersign.db"));
        env.putAll(extraEnv);
        Countersign app = Countersign.start(SettingsLoader.load(env, dir.resolve("no.env")), clock);
        SlackClient client = new SlackClient("http://127.0.0.1:" + app.port(),
                env.get("SLACK_SIGNING_SECRET"), slack);
        return new TestApp(slack, signalWire, app, client, env);
    }

    /** A command that opened a code modal and started a code. */
    public record Pending(SlackClient.Reply ack, String viewId, String requestId, JsonNode view) {
    }

    /** Sends {@code /approve <text>}, waits for the modal, the code start and the modal update. */
    public Pending request(String text, String user) {
        return request(client, text, user);
    }

    /** {@link #request(String, String)}, sent by {@code from} (another workspace, say). */
    public Pending request(SlackClient from, String text, String user) {
        int startsBefore = signalWire.starts().size();
        SlackClient.Reply ack = from.command(text, user);
        FakeSlackApi.Call open = slack.await("views.open",
                call -> ack.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, WAIT);
        JsonNode view = open.jsonParam("view");
        String viewId = open.viewId();
        awaitCondition(() -> signalWire.starts().size() > startsBefore, "a code start");
        slack.await("views.update", call -> viewId.equals(call.params().get("view_id"))
                && call.answered() != null, WAIT);
        return new Pending(ack, viewId, view.path("private_metadata").asText(), view);
    }

    /**
     * {@code user} clicks "Review and approve" on the direct message at {@code ts} about
     * {@code requestId}; waits for the code modal, for the code to go out (the
     * {@code codesSent}th the fake SignalWire has started) and for the modal to say so.
     * Returns the {@code views.open} call.
     */
    public FakeSlackApi.Call review(String user, String ts, String requestId, int codesSent) {
        SlackClient.Reply click = client.messageButton(user, ts, user, "review_request",
                requestId);
        FakeSlackApi.Call open = slack.await("views.open", call ->
                click.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, WAIT);
        awaitCondition(() -> signalWire.starts().size() == codesSent, "code sent");
        slack.await("views.update", call -> open.viewId().equals(call.params().get("view_id"))
                && call.answered() != null, WAIT);
        return open;
    }

    /** A Slack user id no other test of this app has used: {@code prefix} and a counter. */
    public String newUser(String prefix) {
        return prefix + String.format("%04d", users.incrementAndGet());
    }

    /** A new user, enrolled with {@link #PHONE}. */
    public String enrolledUser(String prefix) {
        String user = newUser(prefix);
        enroll(user, PHONE);
        return user;
    }

    /** Enrolls {@code user} with {@code phone} through the real flow and the right code. */
    public void enroll(String user, String phone) {
        enroll(client, user, phone);
    }

    /** {@link #enroll(String, String)}, sent by {@code from}. */
    public void enroll(SlackClient from, String user, String phone) {
        Pending pending = request(from, "enroll " + phone, user);
        SlackClient.Reply reply = from.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        if (reply.status() != 200 || reply.body().contains("\"errors\"")) {
            throw new AssertionError("enrollment failed: " + reply.status() + " " + reply.body());
        }
    }

    public static void awaitCondition(java.util.function.BooleanSupplier condition, String what) {
        awaitCondition(condition, WAIT, what);
    }

    /** Polls {@code condition} until it holds, failing after {@code timeout}. */
    public static void awaitCondition(java.util.function.BooleanSupplier condition,
                                      Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10); // polling interval, bounded by the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        app.close();
        slack.close();
        signalWire.close();
    }
}

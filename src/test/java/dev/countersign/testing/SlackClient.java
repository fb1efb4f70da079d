package dev.countersign.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.app_backend.SlackSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Plays Slack towards Countersign over real HTTP: slash commands and interactivity payloads shaped
 * like Slack's, signed with the signing secret ({@code X-Slack-Signature: v0=…}).
 */
public final class SlackClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Where a request says it comes from: the app ({@code api_app_id}), the workspace the person
     * acted in, and its Enterprise Grid org (null outside one).
     */
    public record Origin(String appId, String teamId, String enterpriseId) {

        /** The installation FakeSlackApi's auth.test describes by default. */
        public static final Origin INSTALLED = new Origin(FakeSlackApi.APP, FakeSlackApi.TEAM,
                null);

        public Origin inTeam(String otherTeam) {
            return new Origin(appId, otherTeam, enterpriseId);
        }
    }

    private final URI events;
    private final String signingSecret;
    private final FakeSlackApi slack;
    private final Origin origin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SlackClient(String baseUrl, String signingSecret, FakeSlackApi slack) {
        this(URI.create(baseUrl + "/slack/events"), signingSecret, slack, Origin.INSTALLED);
    }

    private SlackClient(URI events, String signingSecret, FakeSlackApi slack, Origin origin) {
        this.events = events;
        this.signingSecret = signingSecret;
        this.slack = slack;
        this.origin = origin;
    }

    /** The same Slack, signing as before, with every request saying it comes from {@code from}. */
    public SlackClient from(Origin from) {
        return new SlackClient(events, signingSecret, slack, from);
    }

    /** Countersign's answer, plus what was sent. */
    public record Reply(int status, String body, Duration elapsed, Instant receivedAt, String triggerId,
                        String responseToken) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Reply command(String text, String userId) {
        return command(text, userId, origin.teamId(), "C0FINANCE1");
    }

    public Reply command(String text, String userId, String teamId, String channelId) {
        String trigger = Math.abs(RANDOM.nextLong() % 10_000_000_000L) + ".7384749." + Long.toHexString(
                RANDOM.nextLong());
        String responseToken = teamId + "/" + Math.abs(RANDOM.nextInt()) + "/" + Long.toHexString(
                RANDOM.nextLong());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("token", "legacy-verification-token");
        fields.put("team_id", teamId);
        fields.put("team_domain", "countersign-test");
        fields.put("channel_id", channelId);
        fields.put("channel_name", "finance");
        fields.put("user_id", userId);
        fields.put("user_name", "user." + userId.toLowerCase());
        fields.put("command", "/approve");
        fields.put("text", text);
        if (origin.enterpriseId() != null) {
            fields.put("enterprise_id", origin.enterpriseId());
            fields.put("enterprise_name", "Countersign Test Org");
        }
        fields.put("api_app_id", origin.appId());
        fields.put("is_enterprise_install", "false");
        fields.put("response_url", slack.responseUrl(responseToken));
        fields.put("trigger_id", trigger);
        Reply reply = post(form(fields), "application/x-www-form-urlencoded", now(), true);
        return new Reply(reply.status(), reply.body(), reply.elapsed(), reply.receivedAt(), trigger,
                responseToken);
    }

    /** A {@code view_submission} of the code modal {@code viewId} with {@code code} typed. */
    public Reply submitCode(String viewId, String requestId, String userId, String code) {
        ObjectNode payload = interaction("view_submission", userId);
        ObjectNode view = payload.putObject("view");
        view.put("id", viewId).put("type", "modal").put("callback_id", "countersign_code")
                .put("private_metadata", requestId).put("hash", "h-any")
                .put("team_id", origin.teamId());
        view.putObject("state").putObject("values").putObject("code").putObject("code_input")
                .put("type", "plain_text_input").put("value", code);
        payload.put("trigger_id", "1.2.3");
        return interact(payload);
    }

    /** {@code view_closed}: the person pressed Cancel or closed the modal. */
    public Reply closeView(String viewId, String requestId, String userId) {
        ObjectNode payload = interaction("view_closed", userId);
        payload.putObject("view").put("id", viewId).put("type", "modal")
                .put("callback_id", "countersign_code").put("private_metadata", requestId);
        payload.put("is_cleared", false);
        return interact(payload);
    }

    /** {@code block_actions}: a button pressed inside a modal. */
    public Reply modalButton(String viewId, String requestId, String userId, String actionId) {
        ObjectNode payload = interaction("block_actions", userId);
        payload.putObject("container").put("type", "view").put("view_id", viewId);
        payload.putObject("view").put("id", viewId).put("type", "modal")
                .put("callback_id", "countersign_code").put("private_metadata", requestId)
                .put("hash", "h-any");
        payload.putArray("actions").addObject().put("action_id", actionId).put("block_id", "b")
                .put("type", "button").put("value", "x").put("action_ts", "1700000000.1");
        payload.put("trigger_id", "1.2.3");
        return interact(payload);
    }

    /** {@code block_actions}: a button pressed in a channel message. */
    public Reply messageButton(String channel, String ts, String userId, String actionId,
                               String value) {
        ObjectNode payload = interaction("block_actions", userId);
        payload.putObject("container").put("type", "message").put("message_ts", ts)
                .put("channel_id", channel);
        payload.putObject("channel").put("id", channel).put("name", "approvals");
        payload.put("response_url", slack.responseUrl("button/" + Math.abs(RANDOM.nextInt())));
        String trigger = Math.abs(RANDOM.nextLong() % 10_000_000_000L) + ".1." + Long.toHexString(
                RANDOM.nextLong());
        payload.put("trigger_id", trigger);
        payload.putArray("actions").addObject().put("action_id", actionId).put("block_id", "b")
                .put("type", "button").put("value", value).put("action_ts", "1700000000.1");
        Reply reply = interact(payload);
        return new Reply(reply.status(), reply.body(), reply.elapsed(), reply.receivedAt(), trigger,
                null);
    }

    /** An Events API callback (JSON), wrapping {@code event} like Slack does. */
    public Reply event(ObjectNode event) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("token", "legacy-verification-token").put("team_id", origin.teamId())
                .put("api_app_id", origin.appId()).put("type", "event_callback")
                .put("event_id", "Ev" + Math.abs(RANDOM.nextLong())).put("event_time", now());
        if (origin.enterpriseId() != null) {
            envelope.put("enterprise_id", origin.enterpriseId());
        }
        envelope.set("event", event);
        envelope.putArray("authorizations").addObject().put("team_id", FakeSlackApi.TEAM)
                .put("user_id", FakeSlackApi.BOT_USER).put("is_bot", true)
                .put("is_enterprise_install", false);
        return post(envelope.toString(), "application/json", now(), true);
    }

    public Reply interact(ObjectNode payload) {
        return post("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded", now(), true);
    }

    /** A raw POST to /slack/events, signed (for {@code timestamp}) or not. */
    public Reply post(String body, String contentType, long timestamp, boolean sign) {
        HttpRequest.Builder request = HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sign) {
            String stamp = Long.toString(timestamp);
            request.header("X-Slack-Request-Timestamp", stamp)
                    .header("X-Slack-Signature", new SlackSignature.Generator(signingSecret)
                            .generate(stamp, body));
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    Duration.ofNanos(System.nanoTime() - started), Instant.now(), null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static long now() {
        return Instant.now().getEpochSecond();
    }

    private ObjectNode interaction(String type, String userId) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", type);
        ObjectNode team = payload.putObject("team").put("id", origin.teamId())
                .put("domain", "countersign-test");
        if (origin.enterpriseId() != null) {
            team.put("enterprise_id", origin.enterpriseId());
            payload.putObject("enterprise").put("id", origin.enterpriseId())
                    .put("name", "Countersign Test Org");
        } else {
            payload.putNull("enterprise");
        }
        payload.putObject("user").put("id", userId).put("username", "user." + userId.toLowerCase())
                .put("team_id", origin.teamId());
        payload.put("api_app_id", origin.appId());
        payload.put("is_enterprise_install", false);
        payload.put("token", "legacy-verification-token");
        return payload;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}

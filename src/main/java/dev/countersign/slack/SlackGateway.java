package dev.countersign.slack;

import dev.countersign.remote.CallSlots;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import dev.countersign.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Countersign's calls to Slack's Web API and to {@code response_url}s, with every failure mode
 * turned into a {@link SlackReply}: {@code ok:false} answers, HTTP 429 (waited out once when
 * {@code Retry-After} fits the caller's budget), timeouts and network errors. Runs only on
 * background threads, never on the path that acknowledges Slack.
 *
 * <p>Requests are the form posts the Slack SDK sends, with views and blocks serialized by the
 * SDK's own Gson settings; answers are read with Jackson. The SDK's {@code MethodsClient} is not
 * used here because it builds a new Gson (and all its reflective adapters) for every answer,
 * which the benchmark measured as a fifth of the CPU of a whole approval.
 */
public final class SlackGateway {

    private static final Logger log = LoggerFactory.getLogger(SlackGateway.class);
    private static final Gson GSON = GsonFactory.createSnakeCase(); // thread-safe: built once
    private static final ObjectMapper JSON = Json.newMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");

    /**
     * Calls to Slack (Web API and response_urls) in flight at once. Work after the ack runs on
     * virtual threads, so without a cap a slow Slack would get a new connection per waiting call;
     * 256 matches the connection pool (SlackConnection) and is far above what Slack's per-method
     * rate limits let through when Slack answers normally. A call that finds no slot within
     * {@link #SLOT_WAIT} fails as a timeout, like a call Slack did not answer.
     */
    static final int MAX_CALLS_IN_FLIGHT = 256;
    /**
     * {@code views.open} calls in flight, apart from the rest: a trigger dies 3 s after its click,
     * so a modal must never wait for a slot behind updates and posts that can wait. (At 300
     * commands/s with Slack answering in 300 ms the other calls alone fill 256 slots.)
     */
    static final int MAX_MODAL_OPENS_IN_FLIGHT = 128;
    private static final String MODAL_OPEN = "views.open";
    private static final Duration SLOT_WAIT = Duration.ofSeconds(5);

    private final CallSlots inFlight;
    private final CallSlots opening = new CallSlots("Slack", MAX_MODAL_OPENS_IN_FLIGHT,
            SLOT_WAIT);
    private final OkHttpClient http;
    private final HttpUrl apiUrl;
    private final String authorization;
    private final Duration maxRateLimitWait;
    private final SlackCalls calls;

    public SlackGateway(OkHttpClient http, String apiUrl, String botToken,
            Duration maxRateLimitWait) {
        this(http, apiUrl, botToken, maxRateLimitWait, SlackCalls.NONE);
    }

    /** With {@code calls} hearing each call's method, duration and error. */
    public SlackGateway(OkHttpClient http, String apiUrl, String botToken,
            Duration maxRateLimitWait, SlackCalls calls) {
        this(http, apiUrl, botToken, maxRateLimitWait, calls, MAX_CALLS_IN_FLIGHT);
    }

    /** With {@code callsInFlight} slots for every call but {@code views.open} (tests). */
    SlackGateway(OkHttpClient http, String apiUrl, String botToken, Duration maxRateLimitWait,
                 SlackCalls calls, int callsInFlight) {
        this.inFlight = new CallSlots("Slack", callsInFlight, SLOT_WAIT);
        this.calls = calls;
        this.http = http;
        this.apiUrl = HttpUrl.get(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.authorization = "Bearer " + botToken;
        this.maxRateLimitWait = maxRateLimitWait;
    }

    /**
     * Whether three quarters or more of the slots for calls other than {@code views.open} are
     * taken: the flows admitted already will need them, so new requests are turned away as busy
     * instead of waiting for a slot after their modal opened.
     */
    boolean nearCapacity() {
        return inFlight.nearlyFull();
    }

    /** A modal as Slack knows it: updates must carry the latest hash. */
    public record ViewRef(String id, String hash) {
    }

    /**
     * Whether {@code trigger} is still young enough to open a modal with; when it is not, that
     * is counted ({@link SlackCalls#triggerTooOld}).
     */
    boolean stillUsable(Trigger trigger) {
        boolean usable = trigger.stillUsable();
        if (!usable) {
            calls.triggerTooOld();
        }
        return usable;
    }

    /** Opens a modal. The trigger lives 3 s, so a rate limit is not waited out. */
    public SlackReply<ViewRef> openModal(String triggerId, View view) {
        return call(MODAL_OPEN, Duration.ofSeconds(1),
                params("trigger_id", triggerId, "view", GSON.toJson(view)), SlackGateway::viewRef);
    }

    /** Replaces a modal; {@code hash} may be null to skip Slack's stale-update check. */
    public SlackReply<ViewRef> updateModal(String viewId, String hash, View view) {
        return call("views.update", maxRateLimitWait,
                params("view", GSON.toJson(view), "hash", hash, "view_id", viewId),
                SlackGateway::viewRef);
    }

    public SlackReply<String> publishHome(String userId, View view) {
        return call("views.publish", maxRateLimitWait,
                params("user_id", userId, "view", GSON.toJson(view)),
                answer -> answer.path("view").path("id").asText(null));
    }

    /** Posts a message; returns its {@code ts}. A user id as channel posts in the app's DM. */
    public SlackReply<String> post(String channel, String text, List<LayoutBlock> blocks) {
        return call("chat.postMessage", maxRateLimitWait,
                params("channel", channel, "text", text, "blocks", blocksJson(blocks),
                        "unfurl_links", "false", "unfurl_media", "false"),
                answer -> answer.path("ts").asText(null));
    }

    /**
     * Posts a message and returns where it is: a post to a user id lands in the app's direct
     * message channel with them, whose id ({@code D…}) a later {@code chat.update} needs.
     * {@code token} is the one to post with (null: the bot's).
     */
    public SlackReply<SlackSurfaces.MessageRef> postForRef(String channel, String text,
                                                           List<LayoutBlock> blocks,
                                                           String token) {
        return call("chat.postMessage", maxRateLimitWait,
                params("channel", channel, "text", text, "blocks", blocksJson(blocks),
                        "unfurl_links", "false", "unfurl_media", "false"),
                answer -> new SlackSurfaces.MessageRef(answer.path("channel").asText(channel),
                        answer.path("ts").asText(null)),
                token == null ? authorization : "Bearer " + token);
    }

    public SlackReply<String> update(String channel, String ts, String text, List<LayoutBlock> blocks) {
        return call("chat.update", maxRateLimitWait,
                params("channel", channel, "ts", ts, "text", text, "blocks", blocksJson(blocks)),
                answer -> answer.path("ts").asText(null));
    }

    public SlackReply<String> postEphemeral(String channel, String user, String text) {
        return call("chat.postEphemeral", maxRateLimitWait,
                params("channel", channel, "user", user, "text", text),
                answer -> answer.path("message_ts").asText(null));
    }

    /** The user with this email address; {@code users_not_found} when there is none. */
    public SlackReply<String> userIdByEmail(String email) {
        return call("users.lookupByEmail", maxRateLimitWait, params("email", email),
                answer -> answer.path("user").path("id").asText(null));
    }

    public SlackReply<List<String>> usergroupMembers(String usergroupId) {
        return call("usergroups.users.list", maxRateLimitWait, params("usergroup", usergroupId),
                answer -> {
                    List<String> users = new ArrayList<>();
                    answer.path("users").forEach(user -> users.add(user.asText()));
                    return List.copyOf(users);
                });
    }

    /**
     * Posts to a {@code response_url} (valid 30 minutes, 5 posts). {@code inChannel} makes the
     * post visible to everyone in the channel; otherwise only the person sees it.
     */
    public SlackReply<Void> respond(String responseUrl, boolean inChannel, String text,
                               List<LayoutBlock> blocks) {
        long started = System.nanoTime();
        SlackReply<Void> reply = postResponse(responseUrl, inChannel, text, blocks);
        calls.answered("response_url", System.nanoTime() - started, reply.error());
        return reply;
    }

    private SlackReply<Void> postResponse(String responseUrl, boolean inChannel, String text,
                                          List<LayoutBlock> blocks) {
        HttpUrl url = responseUrl == null ? null : HttpUrl.parse(responseUrl);
        if (url == null) {
            return SlackReply.failed("no_response_url");
        }
        ActionResponse response = ActionResponse.builder()
                .responseType(inChannel ? "in_channel" : "ephemeral")
                .replaceOriginal(false)
                .text(text)
                .blocks(blocks)
                .build();
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create(GSON.toJson(response), JSON_TYPE)).build();
        try {
            return exchange("response URL", request, reply -> {
                if (reply.isSuccessful()) {
                    return SlackReply.<Void>ok(null);
                }
                log.warn("response_url post answered HTTP {}", reply.code());
                return SlackReply.<Void>failed("http_" + reply.code());
            });
        } catch (InterruptedIOException e) {
            log.warn("response_url post timed out");
            return SlackReply.failed("timeout");
        } catch (IOException e) {
            log.warn("response_url post failed: {}", e.getClass().getSimpleName());
            return SlackReply.failed("network_error");
        }
    }

    /**
     * Ends a Workflow Builder step's execution: {@code functions.completeSuccess} with its
     * outputs, or {@code functions.completeError} with {@code error} when outputs is null.
     * {@code token} is the execution's own {@code bot_access_token} when still known, else null
     * for the app's bot token.
     */
    public SlackReply<Void> completeFunction(String token, String executionId,
                                             String outputsJson, String error) {
        String authorizationFor = token == null ? authorization : "Bearer " + token;
        return outputsJson != null
                ? call("functions.completeSuccess", maxRateLimitWait, params(
                        "function_execution_id", executionId, "outputs", outputsJson),
                        answer -> null, authorizationFor)
                : call("functions.completeError", maxRateLimitWait, params(
                        "function_execution_id", executionId, "error", error),
                        answer -> null, authorizationFor);
    }

    private <T> SlackReply<T> call(String method, Duration rateLimitBudget, Map<String, String> params,
                              Function<JsonNode, T> value) {
        return call(method, rateLimitBudget, params, value, authorization);
    }

    private <T> SlackReply<T> call(String method, Duration rateLimitBudget,
                                   Map<String, String> params, Function<JsonNode, T> value,
                                   String authorization) {
        long started = System.nanoTime();
        SlackReply<T> reply = callOnce(method, rateLimitBudget, params, value, authorization);
        calls.answered(method, System.nanoTime() - started, reply.error());
        return reply;
    }

    private <T> SlackReply<T> callOnce(String method, Duration rateLimitBudget,
                                       Map<String, String> params, Function<JsonNode, T> value,
                                       String authorization) {
        FormBody.Builder form = new FormBody.Builder();
        params.forEach(form::add);
        Request request = new Request.Builder().url(apiUrl.resolve(method))
                .header("Authorization", authorization).post(form.build()).build();
        for (int attempt = 1; ; attempt++) {
            try {
                int tried = attempt;
                // Rate limited with a wait that fits the budget: waited out with the slot free.
                Attempt<T> answered = exchange(method, request, response -> {
                    if (response.code() == 429) {
                        Optional<Duration> wait = retryAfter(response.header("Retry-After"));
                        if (tried == 1 && wait.isPresent()
                                && wait.get().compareTo(rateLimitBudget) <= 0) {
                            return new Attempt<T>(null, wait.get());
                        }
                        log.warn("Slack {} answered HTTP 429", method);
                        return new Attempt<T>(SlackReply.failed("ratelimited"), null);
                    }
                    if (!response.isSuccessful()) {
                        log.warn("Slack {} answered HTTP {}", method, response.code());
                        return new Attempt<T>(SlackReply.failed("http_" + response.code()), null);
                    }
                    return new Attempt<T>(answer(method, response.body(), value), null);
                });
                if (answered.reply() != null) {
                    return answered.reply();
                }
                log.warn("Slack {} rate limited; retrying in {} s", method,
                        answered.retryIn().toSeconds());
                if (!sleep(answered.retryIn())) {
                    return SlackReply.failed("interrupted");
                }
            } catch (InterruptedIOException e) {
                log.warn("Slack {} timed out", method);
                return SlackReply.failed("timeout");
            } catch (IOException e) {
                log.warn("Slack {} failed: {}", method, e.getClass().getSimpleName());
                return SlackReply.failed("network_error");
            }
        }
    }

    /** One try of a call: Slack's reply, or how long Slack asked us to wait before the next. */
    private record Attempt<T>(SlackReply<T> reply, Duration retryIn) {
    }

    /** Reads one answer; may throw what reading a response throws. */
    @FunctionalInterface
    private interface Reading<T> {
        T read(Response response) throws IOException;
    }

    /**
     * One HTTP exchange, answer read and closed, within the cap on calls in flight. At DEBUG it
     * logs {@code call} (a method name, or "response URL": the URL itself is a credential), the
     * status and the time taken; never a body or a header.
     */
    private <T> T exchange(String call, Request request, Reading<T> reading) throws IOException {
        CallSlots slots = MODAL_OPEN.equals(call) ? opening : inFlight;
        return slots.call(() -> {
            long began = System.nanoTime();
            try (Response response = http.newCall(request).execute()) {
                log.debug("Slack {} answered HTTP {} in {} ms", call, response.code(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                return reading.read(response);
            }
        });
    }

    private static <T> SlackReply<T> answer(String method, ResponseBody body, Function<JsonNode,
            T> value)
            throws IOException {
        JsonNode answer;
        try {
            answer = body == null ? null : JSON.readTree(body.byteStream());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            // A reply that is not Slack's JSON: report, never crash a background flow.
            log.warn("Slack {} reply could not be read", method);
            return SlackReply.failed("bad_reply");
        }
        if (answer.path("ok").asBoolean(false)) {
            try {
                return SlackReply.ok(value.apply(answer));
            } catch (IllegalStateException e) {
                log.warn("Slack {} answered ok without {}", method, e.getMessage());
                return SlackReply.failed("bad_reply");
            }
        }
        String error = answer.path("error").asText("unknown_error");
        log.warn("Slack {} answered ok:false error={}", method, error);
        return SlackReply.failed(error);
    }

    private static ViewRef viewRef(JsonNode answer) {
        JsonNode view = answer.path("view");
        if (!view.path("id").isTextual()) {
            throw new IllegalStateException("view.id");
        }
        return new ViewRef(view.path("id").asText(), view.path("hash").asText(null));
    }

    private static String blocksJson(List<LayoutBlock> blocks) {
        return blocks == null ? null : GSON.toJson(blocks);
    }

    /** Form fields in order, leaving out the null ones (as the SDK does). */
    private static Map<String, String> params(String... namesAndValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                params.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return params;
    }

    private static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException ignored) {
            return Optional.empty();
        }
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // background thread: waiting out Slack's rate limit
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

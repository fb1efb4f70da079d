package dev.countersign.slack;

import com.slack.api.Slack;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.webhook.WebhookResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Countersign's calls to Slack's Web API and to {@code response_url}s, with every failure mode
 * turned into a {@link Reply}: {@code ok:false} answers, HTTP 429 (waited out once when
 * {@code Retry-After} fits the caller's budget), timeouts and network errors. Runs only on
 * background threads, never on the path that acknowledges Slack.
 */
public final class SlackGateway {

    private static final Logger log = LoggerFactory.getLogger(SlackGateway.class);

    private final Slack slack;
    private final MethodsClient methods;
    private final Duration maxRateLimitWait;

    public SlackGateway(Slack slack, String botToken, Duration maxRateLimitWait) {
        this.slack = slack;
        this.methods = slack.methods(botToken);
        this.maxRateLimitWait = maxRateLimitWait;
    }

    /** Slack's answer: a value, or the error Slack (or the network) gave. */
    public record Reply<T>(T value, String error) {
        static <T> Reply<T> ok(T value) {
            return new Reply<>(value, null);
        }

        static <T> Reply<T> failed(String error) {
            return new Reply<>(null, error);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /** A modal as Slack knows it: updates must carry the latest hash. */
    public record ViewRef(String id, String hash) {
    }

    @FunctionalInterface
    private interface Call<R extends SlackApiTextResponse> {
        R run() throws IOException, SlackApiException;
    }

    /** Opens a modal. The trigger lives 3 s, so a rate limit is not waited out. */
    public Reply<ViewRef> openModal(String triggerId, View view) {
        return call("views.open", Duration.ofSeconds(1),
                () -> methods.viewsOpen(r -> r.triggerId(triggerId).view(view)),
                response -> new ViewRef(response.getView().getId(), response.getView().getHash()));
    }

    /** Replaces a modal; {@code hash} may be null to skip Slack's stale-update check. */
    public Reply<ViewRef> updateModal(String viewId, String hash, View view) {
        return call("views.update", maxRateLimitWait,
                () -> methods.viewsUpdate(r -> r.viewId(viewId).hash(hash).view(view)),
                response -> new ViewRef(response.getView().getId(), response.getView().getHash()));
    }

    public Reply<String> publishHome(String userId, View view) {
        return call("views.publish", maxRateLimitWait,
                () -> methods.viewsPublish(r -> r.userId(userId).view(view)),
                response -> response.getView().getId());
    }

    /** Posts a message; returns its {@code ts}. A user id as channel posts in the app's DM. */
    public Reply<String> post(String channel, String text, List<LayoutBlock> blocks) {
        return call("chat.postMessage", maxRateLimitWait,
                () -> methods.chatPostMessage(r -> r.channel(channel).text(text).blocks(blocks)
                        .unfurlLinks(false).unfurlMedia(false)),
                response -> response.getTs());
    }

    public Reply<String> update(String channel, String ts, String text, List<LayoutBlock> blocks) {
        return call("chat.update", maxRateLimitWait,
                () -> methods.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocks(blocks)),
                response -> response.getTs());
    }

    public Reply<String> postEphemeral(String channel, String user, String text) {
        return call("chat.postEphemeral", maxRateLimitWait,
                () -> methods.chatPostEphemeral(r -> r.channel(channel).user(user).text(text)),
                response -> response.getMessageTs());
    }

    public Reply<List<String>> usergroupMembers(String usergroupId) {
        return call("usergroups.users.list", maxRateLimitWait,
                () -> methods.usergroupsUsersList(r -> r.usergroup(usergroupId)),
                response -> response.getUsers() == null ? List.of() : List.copyOf(response.getUsers()));
    }

    /**
     * Posts to a {@code response_url} (valid 30 minutes, 5 posts). {@code inChannel} makes the
     * post visible to everyone in the channel; otherwise only the person sees it.
     */
    public Reply<Void> respond(String responseUrl, boolean inChannel, String text,
                               List<LayoutBlock> blocks) {
        if (responseUrl == null || responseUrl.isBlank()) {
            return Reply.failed("no_response_url");
        }
        ActionResponse response = ActionResponse.builder()
                .responseType(inChannel ? "in_channel" : "ephemeral")
                .replaceOriginal(false)
                .text(text)
                .blocks(blocks)
                .build();
        try {
            WebhookResponse reply = slack.send(responseUrl, toJson(response));
            if (reply.getCode() / 100 == 2) {
                return Reply.ok(null);
            }
            log.warn("response_url post answered HTTP {}", reply.getCode());
            return Reply.failed("http_" + reply.getCode());
        } catch (InterruptedIOException e) {
            log.warn("response_url post timed out");
            return Reply.failed("timeout");
        } catch (IOException e) {
            log.warn("response_url post failed: {}", e.getClass().getSimpleName());
            return Reply.failed("network_error");
        }
    }

    private static String toJson(ActionResponse response) {
        return com.slack.api.util.json.GsonFactory.createSnakeCase().toJson(response);
    }

    private <R extends SlackApiTextResponse, T> Reply<T> call(
            String method, Duration rateLimitBudget, Call<R> call, java.util.function.Function<R, T> value) {
        for (int attempt = 1; ; attempt++) {
            try {
                R response = call.run();
                if (response.isOk()) {
                    return Reply.ok(value.apply(response));
                }
                log.warn("Slack {} answered ok:false error={}", method, response.getError());
                return Reply.failed(response.getError() == null ? "unknown_error" : response.getError());
            } catch (SlackApiException e) {
                Optional<Duration> wait = retryAfter(e);
                if (e.getResponse().code() == 429 && attempt == 1 && wait.isPresent()
                        && wait.get().compareTo(rateLimitBudget) <= 0) {
                    log.warn("Slack {} rate limited; retrying in {} s", method, wait.get().toSeconds());
                    if (!sleep(wait.get())) {
                        return Reply.failed("interrupted");
                    }
                    continue;
                }
                log.warn("Slack {} answered HTTP {}", method, e.getResponse().code());
                return Reply.failed(e.getResponse().code() == 429 ? "ratelimited"
                        : "http_" + e.getResponse().code());
            } catch (InterruptedIOException e) {
                log.warn("Slack {} timed out", method);
                return Reply.failed("timeout");
            } catch (IOException e) {
                log.warn("Slack {} failed: {}", method, e.getClass().getSimpleName());
                return Reply.failed("network_error");
            } catch (RuntimeException e) {
                // A reply the SDK could not parse: report, never crash a background flow.
                log.warn("Slack {} reply could not be read: {}", method, e.getClass().getSimpleName());
                return Reply.failed("bad_reply");
            }
        }
    }

    private static Optional<Duration> retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
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

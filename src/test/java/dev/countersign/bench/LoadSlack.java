package dev.countersign.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Slack's Web API ({@code /api/<method>}) and {@code response_url}s ({@code /response/...}) for
 * load: answers {@code auth.test}, {@code views.open} (a new view id and hash),
 * {@code views.update}, {@code chat.postMessage} and response_url posts after a configurable
 * latency, and tells a {@link Listener} what arrived, and when. Like Slack, it refuses a
 * {@code views.open} whose trigger is more than 3 s old or was used before.
 */
final class LoadSlack implements AutoCloseable {

    static final String TEAM = "T0CSTEAM01";

    /** What arrived at the fake; {@code at} is {@link System#nanoTime()} on arrival. */
    interface Listener {
        void viewOpened(String triggerId, String viewId, String privateMetadata, long at);

        /** A views.open refused as Slack refuses it: trigger older than 3 s, or used before. */
        void triggerRefused(String triggerId, String error, long at);

        void viewUpdated(String viewId, long at);

        void responsePosted(String path, String body, long at);

        void messagePosted(String channel, long at);
    }

    private static final Listener NOBODY = new Listener() {
        @Override
        public void viewOpened(String triggerId, String viewId, String privateMetadata, long at) {
        }

        @Override
        public void triggerRefused(String triggerId, String error, long at) {
        }

        @Override
        public void viewUpdated(String viewId, long at) {
        }

        @Override
        public void responsePosted(String path, String body, long at) {
        }

        @Override
        public void messagePosted(String channel, long at) {
        }
    };

    private final FakeServer server;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Set<String> usedTriggers = ConcurrentHashMap.newKeySet();
    private volatile Listener listener = NOBODY;
    private volatile long triggerTtlMillis = 3_000;

    LoadSlack(ScheduledExecutorService timer) {
        this.server = new FakeServer("fake-slack", this::answer, timer).start();
    }

    void listener(Listener to) {
        this.listener = to;
    }

    void latency(Duration latency) {
        server.latency(latency);
    }

    /**
     * Slack's {@code trigger_id} dies 3 s after the command: a later {@code views.open} gets
     * {@code expired_trigger_id}. Trigger ids must carry the command's epoch millis as their second
     * part ({@code <n>.<epoch ms>.<hex>}); 0 turns the check off.
     */
    void triggerTtl(Duration ttl) {
        this.triggerTtlMillis = ttl.toMillis();
    }

    /** Value for {@code SLACK_API_URL}. */
    String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    String responseUrl(String token) {
        return server.baseUrl() + "/response/" + token;
    }

    FakeServer server() {
        return server;
    }

    /** Calls per Web API method ({@code response_url} for response_url posts) so far. */
    Map<String, Long> calls() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        calls.forEach((method, count) -> counts.put(method, count.sum()));
        return counts;
    }

    private FakeServer.Reply answer(String method, String path, String authorization, String body,
                                    long arrived) {
        if (path.startsWith("/response/")) {
            count("response_url");
            listener.responsePosted(path, body, arrived);
            return new FakeServer.Reply(200, "text/html", "ok");
        }
        if (!path.startsWith("/api/")) {
            return new FakeServer.Reply(404, "text/plain", "not found");
        }
        String apiMethod = path.substring("/api/".length());
        count(apiMethod);
        switch (apiMethod) {
            case "auth.test":
                return FakeServer.Reply.json("{\"ok\":true,\"url\":\"https://bench.slack.com/\","
                        + "\"team\":\"Bench\",\"user\":\"countersign\",\"team_id\":\"" + TEAM
                        + "\",\"user_id\":\"U0CSBOT001\",\"bot_id\":\"B0CSBOT001\","
                        + "\"app_id\":\"A0CSAPP001\"}");
            case "views.open": {
                String trigger = param(body, "trigger_id");
                String refused = refusal(trigger);
                if (refused != null) {
                    listener.triggerRefused(trigger, refused, arrived);
                    return FakeServer.Reply.json("{\"ok\":false,\"error\":\"" + refused + "\"}");
                }
                long id = ids.incrementAndGet();
                String viewId = "V" + String.format("%010d", id);
                String view = param(body, "view");
                listener.viewOpened(trigger, viewId,
                        jsonString(view, "private_metadata"), arrived);
                return view(viewId, id);
            }
            case "views.update": {
                String viewId = param(body, "view_id");
                listener.viewUpdated(viewId, arrived);
                return view(viewId, ids.incrementAndGet());
            }
            case "chat.postMessage": {
                String channel = param(body, "channel");
                listener.messagePosted(channel, arrived);
                return FakeServer.Reply.json("{\"ok\":true,\"channel\":\"" + channel
                        + "\",\"ts\":\"1700000000." + String.format("%06d", ids.incrementAndGet()
                        % 1_000_000) + "\"}");
            }
            default:
                return FakeServer.Reply.json("{\"ok\":true}");
        }
    }

    private String refusal(String trigger) {
        if (trigger == null) {
            return "invalid_trigger_id";
        }
        if (!usedTriggers.add(trigger)) {
            return "exchanged_trigger_id";
        }
        String[] parts = trigger.split("\\.");
        long ttl = triggerTtlMillis;
        if (ttl > 0 && parts.length == 3) {
            try {
                if (System.currentTimeMillis() - Long.parseLong(parts[1]) > ttl) {
                    return "expired_trigger_id";
                }
            } catch (NumberFormatException notOurs) {
                return "invalid_trigger_id";
            }
        }
        return null;
    }

    private void count(String method) {
        calls.computeIfAbsent(method, key -> new LongAdder()).increment();
    }

    private static FakeServer.Reply view(String viewId, long hash) {
        return FakeServer.Reply.json("{\"ok\":true,\"view\":{\"id\":\"" + viewId
                + "\",\"hash\":\"h" + hash + "\"}}");
    }

    /** One field of a form-encoded body, decoded; null when absent. */
    static String param(String body, String name) {
        if (body == null) {
            return null;
        }
        String key = name + "=";
        int from = 0;
        while (from <= body.length()) {
            int at = body.indexOf(key, from);
            if (at < 0) {
                return null;
            }
            if (at == 0 || body.charAt(at - 1) == '&') {
                int end = body.indexOf('&', at);
                String raw = body.substring(at + key.length(), end < 0 ? body.length() : end);
                return URLDecoder.decode(raw, StandardCharsets.UTF_8);
            }
            from = at + 1;
        }
        return null;
    }

    /** A top-level-looking string field of small JSON, without parsing it all. */
    static String jsonString(String json, String field) {
        if (json == null) {
            return null;
        }
        String key = "\"" + field + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    @Override
    public void close() {
        server.close();
    }
}

package dev.countersign.slack;

import java.util.Set;

/** Slack's answer to one call: a value, or the error Slack (or the network) gave. */
public record SlackReply<T>(T value, String error) {

    /** Errors that say "not now" rather than "never": rate limits, timeouts, Slack's outages. */
    private static final Set<String> PASSING = Set.of("ratelimited", "timeout", "network_error",
            "interrupted", "bad_reply", "internal_error", "fatal_error", "service_unavailable",
            "request_timeout");

    static <T> SlackReply<T> ok(T value) {
        return new SlackReply<>(value, null);
    }

    static <T> SlackReply<T> failed(String error) {
        return new SlackReply<>(null, error);
    }

    public boolean ok() {
        return error == null;
    }

    /** Whether the call failed for now only, so the same call is worth another try later. */
    boolean failedForNow() {
        return error != null && (PASSING.contains(error) || error.startsWith("http_5")
                || error.equals("http_429"));
    }
}

package dev.countersign.slack;

/**
 * Hears every call Countersign makes to Slack's Web API and to {@code response_url}s, for
 * counting ({@code GET /metrics}): which method (never the URL, which may carry ids), how long
 * it took, and Slack's error if it failed. Also hears a modal not even attempted because its
 * {@code trigger_id} was too old. Called on background threads; must be quick and not throw.
 */
public interface SlackCalls {

    /** Hears nothing. */
    SlackCalls NONE = new SlackCalls() {
    };

    /**
     * @param method Slack's method name ({@code views.open}), or {@code response_url}
     * @param error  {@code null} when Slack answered ok; else what {@link SlackReply#error()} says
     *               ({@code expired_trigger_id}, {@code ratelimited}, {@code http_500}, …)
     */
    default void answered(String method, long nanos, String error) {
    }

    /** A {@code views.open} not tried: its trigger was older than {@link Trigger#USABLE_FOR}. */
    default void triggerTooOld() {
    }
}

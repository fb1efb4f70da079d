package dev.countersign.web;

/**
 * Whether a request to {@code /slack/events} really comes from Slack, decided on its raw bytes
 * before Bolt parses any of it.
 */
@FunctionalInterface
public interface RequestCheck {

    /**
     * @param timestamp {@code X-Slack-Request-Timestamp}, or null
     * @param signature {@code X-Slack-Signature}, or null
     * @param body      the raw body, exactly as received
     */
    boolean accepts(String timestamp, String signature, String body);
}

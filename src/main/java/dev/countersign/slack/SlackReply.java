package dev.countersign.slack;

/** Slack's answer to one call: a value, or the error Slack (or the network) gave. */
public record SlackReply<T>(T value, String error) {

    static <T> SlackReply<T> ok(T value) {
        return new SlackReply<>(value, null);
    }

    static <T> SlackReply<T> failed(String error) {
        return new SlackReply<>(null, error);
    }

    public boolean ok() {
        return error == null;
    }
}

package dev.countersign.approval;

/**
 * Where the person asked, so results can be posted back there: the channel id and the one-use-ish
 * URL Slack gave with the command (valid 30 minutes, 5 posts). Either may be absent.
 */
public record ReplyTo(String channelId, String responseUrl) {

    public static final ReplyTo NOWHERE = new ReplyTo(null, null);

    @Override
    public String toString() {
        // The response URL is a capability: never print it.
        return "ReplyTo[channel=" + channelId + "]";
    }
}

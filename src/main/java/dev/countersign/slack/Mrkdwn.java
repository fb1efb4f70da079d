package dev.countersign.slack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text for Slack's mrkdwn: what people typed is escaped so it shows exactly as typed. */
final class Mrkdwn {

    private static final DateTimeFormatter FALLBACK = DateTimeFormatter.ofPattern("HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Mrkdwn() {
    }

    /**
     * Slack's three control characters. Without this a payee like {@code <!channel>} would ping a
     * whole channel, and {@code <https://evil|Acme>} would show a different name than the link.
     */
    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">",
                "&gt;");
    }

    /** A time each reader sees in their own time zone. */
    static String time(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{time}|" + FALLBACK.format(at) + ">";
    }
}

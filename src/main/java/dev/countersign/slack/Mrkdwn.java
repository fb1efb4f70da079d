package dev.countersign.slack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Text for Slack's mrkdwn: what people typed is escaped so it shows exactly as typed. */
final class Mrkdwn {

    private static final String ZERO_WIDTH_SPACE = "\u200B";
    private static final Pattern FORMATTING_MARK = Pattern.compile("[*_~`]");
    private static final Pattern QUOTE_AT_LINE_START = Pattern.compile("^&gt;",
            Pattern.MULTILINE);
    private static final DateTimeFormatter FALLBACK = DateTimeFormatter.ofPattern("HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Mrkdwn() {
    }

    /**
     * Typed text that reads as typed in mrkdwn: Slack's three control characters escaped and its
     * formatting marks made inert. Without this a payee like {@code <!channel>} would ping a whole
     * channel, {@code <https://evil|Acme>} would show a different name than the link, and
     * {@code *Acme*} would turn bold. Slack has no escape for {@code * _ ~ `}: a zero-width space
     * on both sides of each keeps it from pairing with another (whether Slack reads that space as
     * part of a word or as a space) and is invisible. One before a {@code >} that starts a line
     * keeps a multi-line reason from turning into a quote.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        escaped = FORMATTING_MARK.matcher(escaped).replaceAll(ZERO_WIDTH_SPACE + "$0"
                + ZERO_WIDTH_SPACE);
        return QUOTE_AT_LINE_START.matcher(escaped).replaceAll(ZERO_WIDTH_SPACE + "$0");
    }

    /** A time each reader sees in their own time zone. */
    static String time(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{time}|" + FALLBACK.format(at) + ">";
    }
}

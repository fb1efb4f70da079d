package dev.countersign.logging;

import dev.countersign.people.PhoneNumber;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence for logs: whatever a library or a careless message prints, Slack
 * tokens, E.164 phone numbers and the password in a JDBC URL ({@code password=…}) come out
 * masked. (Codes can't be recognised generically; they
 * are kept out of logs at the source, and tests scan the logs for them.)
 */
public final class Redaction {

    private static final Pattern SLACK_TOKEN =
            Pattern.compile("\\b(xox[abposr]|xapp)-[A-Za-z0-9-]{6,}");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&\\s]*");
    private static final Pattern PHONE = Pattern.compile(PhoneNumber.E164_REGEX + "\\b");

    private Redaction() {
    }

    public static String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = SLACK_TOKEN.matcher(text).replaceAll("$1-(redacted)");
        masked = URL_PASSWORD.matcher(masked).replaceAll("$1***");
        Matcher phones = PHONE.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (phones.find()) {
            phones.appendReplacement(out, Matcher.quoteReplacement(PhoneNumber.mask(phones.group())));
        }
        phones.appendTail(out);
        return out.toString();
    }
}

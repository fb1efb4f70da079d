package dev.countersign.metrics;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Label values, kept to bounded sets: an enum's name in lower case, or a word that looks like
 * one of Slack's method or error names. Anything else (an id, a URL, free text) becomes
 * {@code other}, so no label can ever carry a person, a phone or a payee, nor grow without end.
 */
final class Labels {

    /** Slack's method names: {@code views.open}, {@code chat.postMessage}. */
    private static final Pattern METHOD = Pattern.compile("[a-z]+(\\.[a-zA-Z]+){1,3}");
    /** Slack's error codes and ours: {@code expired_trigger_id}, {@code http_503}. */
    private static final Pattern ERROR = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final String OTHER = "other";

    private Labels() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static String method(String method) {
        return method != null && (method.equals("response_url") || METHOD.matcher(method)
                .matches()) ? method : OTHER;
    }

    static String error(String error) {
        return error != null && ERROR.matcher(error).matches() ? error : OTHER;
    }
}

package dev.countersign.otp.signalwire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.ProviderFailure.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns SignalWire's error answers and transport errors into {@link ProviderFailure}s. */
final class Failures {

    static final int MAX_DETAIL_CHARS = 200;

    /** Phone-like digit runs, with or without the plus, that a provider may echo back. */
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?\\d{7,15}(?!\\w)");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}+");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

    private Failures() {
    }

    /**
     * The failure for a non-2xx answer.
     *
     * @param code the code being checked, or {@code null}; scrubbed from the detail should the
     *             provider echo it
     */
    static ProviderFailure forStatus(SignalWireReply reply, String code) {
        int status = reply.status();
        String http = "HTTP " + status;
        if (status == 401 || status == 403) {
            String said = clean(reply.body().path("error").asText(""), code);
            return ProviderFailure.of(Kind.UNAUTHORIZED, said.isEmpty() ? http : said);
        }
        if (status == 400 || status == 422) {
            String said = clean(errorText(reply.body()), code);
            return ProviderFailure.of(Kind.REJECTED, said.isEmpty() ? http : said);
        }
        if (status == 429) {
            long waitSec = retryAfterSeconds(reply.retryAfter());
            return new ProviderFailure(Kind.RATE_LIMITED, http, waitSec);
        }
        if (status >= 500 && status < 600) {
            return ProviderFailure.of(Kind.UNAVAILABLE, http);
        }
        return ProviderFailure.of(Kind.BAD_REPLY, http);
    }

    /** A 2xx answer we cannot use. */
    static ProviderFailure badReply(SignalWireReply reply, String why) {
        return ProviderFailure.of(Kind.BAD_REPLY, "HTTP " + reply.status() + ", " + why);
    }

    /**
     * No answer. {@link java.net.SocketTimeoutException} (connect/read/write) and OkHttp's call
     * timeout are both {@link InterruptedIOException}s.
     */
    static ProviderFailure forException(IOException failure) {
        if (failure instanceof InterruptedIOException) {
            return ProviderFailure.of(Kind.TIMEOUT, "no answer in time");
        }
        // The exception's own message may name hosts or addresses: the class name is enough here.
        return ProviderFailure.of(Kind.NETWORK,
                "connection failed (" + failure.getClass().getSimpleName() + ")");
    }

    /** Each {@code errors[]}'s detail, else message, else title; or a lone {@code error}. */
    static String errorText(JsonNode body) {
        List<String> parts = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            String text = firstText(error, "detail", "message", "title");
            if (!text.isEmpty()) {
                parts.add(text);
            }
        }
        return parts.isEmpty() ? firstText(body, "error", "message") : String.join("; ", parts);
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isValueNode() && !value.asText("").isBlank()) {
                return value.asText().strip();
            }
        }
        return "";
    }

    /**
     * Makes provider words safe to log and show: no control characters (log injection), no phone
     * number beyond its last four digits, never the code, at most {@value #MAX_DETAIL_CHARS} chars.
     */
    static String clean(String text, String code) {
        String cleaned = CONTROL.matcher(text).replaceAll(" ").strip();
        if (code != null && code.length() >= 4) {
            cleaned = cleaned.replace(code, "•".repeat(code.length()));
        }
        Matcher phones = PHONE.matcher(cleaned);
        cleaned = phones.replaceAll(
                match -> Matcher.quoteReplacement(PhoneNumber.mask(match.group())));
        if (cleaned.length() > MAX_DETAIL_CHARS) {
            int end = MAX_DETAIL_CHARS - 1;
            if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
                end--; // never cut an emoji or other supplementary character in half
            }
            cleaned = cleaned.substring(0, end).strip() + "…";
        }
        return cleaned;
    }

    /** Delay-seconds only; an HTTP-date or junk counts as "not said". */
    static long retryAfterSeconds(String header) {
        if (header == null || !DIGITS.matcher(header.strip()).matches()) {
            return 0;
        }
        return Long.parseLong(header.strip());
    }
}

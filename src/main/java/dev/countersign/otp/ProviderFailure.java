package dev.countersign.otp;

import java.util.Objects;

/**
 * Why a provider call failed, in terms a user and an operator can act on.
 *
 * @param kind          the category, which decides what the user is told
 * @param detail        provider's own words (e.g. a 422 {@code detail}), safe to log and show;
 * never a
 *                      secret or a full phone number
 * @param retryAfterSec seconds the provider asked us to wait (429), or 0
 */
public record ProviderFailure(Kind kind, String detail, long retryAfterSec) {

    public enum Kind {
        /** 401/403: the project key or token is wrong. An operator must fix the settings. */
        UNAUTHORIZED,
        /** 422: the provider refused the request's content (number, sender, text). */
        REJECTED,
        /** 429: too many requests. */
        RATE_LIMITED,
        /** 5xx: the provider is having trouble. */
        UNAVAILABLE,
        /** No answer in time. For a start: the code may or may not have been sent. */
        TIMEOUT,
        /** The connection failed or dropped. For a start: the code may or may not have been sent. */
        NETWORK,
        /** An answer we cannot understand (not JSON, missing fields, unexpected status). */
        BAD_REPLY
    }

    public ProviderFailure {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    public static ProviderFailure of(Kind kind, String detail) {
        return new ProviderFailure(kind, detail, 0);
    }

    /** One sentence for the person in Slack: what happened and what to do. */
    public String userMessage() {
        return switch (kind) {
            case UNAUTHORIZED -> "The code service rejected Countersign's credentials. "
                    + "Ask your Countersign admin to check the SignalWire settings.";
            case REJECTED -> "The code service refused to send to this phone"
                    + (detail.isBlank() ? "" : " (" + detail + ")")
                    + ". Check the enrolled number or ask your admin.";
            case RATE_LIMITED -> "The code service is busy right now. Wait "
                    + (retryAfterSec > 0 ? retryAfterSec + " seconds" : "a minute")
                            + " and try again.";
            case UNAVAILABLE -> "The code service is having trouble. Try again in a few minutes.";
            case TIMEOUT -> "The code service did not answer in time. "
                    + "If a code arrives, ignore it, and start a new request.";
            case NETWORK -> "Countersign could not reach the code service. "
                    + "If a code arrives, ignore it, and start a new request.";
            case BAD_REPLY -> "The code service sent an answer Countersign could not understand. "
                    + "Try again in a few minutes.";
        };
    }
}

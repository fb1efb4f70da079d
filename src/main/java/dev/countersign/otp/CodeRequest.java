package dev.countersign.otp;

import dev.countersign.people.PhoneNumber;
import java.time.Duration;
import java.util.Objects;

/**
 * What to send: the phone (E.164), by which channel, the text placed before the code, and the
 * code's
 * lifetime and attempt budget.
 *
 * @param message text shown before the code; {@code null} for the provider's default text
 */
public record CodeRequest(String to, DeliveryChannel channel, String message, Duration validFor,
                          int maxAttempts) {

    public static final int CODE_LENGTH = 6;

    public CodeRequest {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(validFor, "validFor");
        if (!PhoneNumber.isE164(to)) {
            throw new IllegalArgumentException("to must be E.164");
        }
        if (validFor.isNegative() || validFor.isZero() || validFor.toSeconds() > 600) {
            throw new IllegalArgumentException("validFor must be 1..600 seconds");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("maxAttempts must be 1..20");
        }
    }

    @Override
    public String toString() {
        // Never print the full number.
        return "CodeRequest[to=" + PhoneNumber.mask(to) + ", channel=" + channel + ", validFor="
                + validFor.toSeconds() + "s, maxAttempts=" + maxAttempts + "]";
    }
}

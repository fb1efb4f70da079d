package dev.countersign.people;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.regex.Pattern;

/**
 * A phone number in E.164 form, {@code +12015550123}. Its {@link #toString()} shows only the last
 * four digits, so a {@code PhoneNumber} is safe to log; ask for {@link #e164()} to send to it.
 * Made by {@code PhonePolicy.check(String)}, which decides which numbers may receive codes.
 *
 * <p>The one home of the E.164 shape and of the mask ({@code •••• 0123}) that people, logs and
 * audit rows see instead of a number.
 */
public record PhoneNumber(String e164) {

    /** E.164 as a regular expression without anchors, for finding numbers inside text. */
    public static final String E164_REGEX = "\\+[1-9][0-9]{6,14}";
    private static final Pattern E164 = Pattern.compile(E164_REGEX);
    /** ISO 3166's "unknown or unspecified country", also what libphonenumber uses for it. */
    private static final String UNKNOWN_REGION = "ZZ";
    private static final String UNKNOWN_DIGITS = "????";

    public PhoneNumber {
        if (!isE164(e164)) {
            // The message must not repeat the number: it may end up in a log.
            throw new IllegalArgumentException("phone number must be E.164, like +12015550123");
        }
    }

    /** Whether {@code text} is a whole E.164 number: {@code +}, 7 to 15 digits, no leading 0. */
    public static boolean isE164(String text) {
        return text != null && E164.matcher(text).matches();
    }

    /** {@code •••• 0123} for any phone-like text: what may be shown or logged instead of it. */
    public static String mask(String phone) {
        return maskLastFour(lastFourOf(phone));
    }

    /** {@code •••• 0123} for the last four digits already kept apart from the number. */
    public static String maskLastFour(String lastFour) {
        return "•••• " + (lastFour == null ? UNKNOWN_DIGITS : lastFour);
    }

    /** The last four digits of phone-like text, {@code ????} if it has too few to hide the rest. */
    public static String lastFourOf(String phone) {
        if (phone == null) {
            return UNKNOWN_DIGITS;
        }
        String digits = phone.replaceAll("[^0-9]", "");
        return digits.length() <= 4 ? UNKNOWN_DIGITS : digits.substring(digits.length() - 4);
    }

    /** {@code 0123}. */
    public String lastFour() {
        return lastFourOf(e164);
    }

    /** {@code •••• 0123}: what people, logs and audit rows see. */
    public String masked() {
        return mask(e164);
    }

    /**
     * The ISO 3166 alpha-2 country the number belongs to, such as {@code US}; {@code ZZ} when it
     * belongs to none (international services like +800, or numbers libphonenumber can't place).
     */
    public String regionCode() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            String region = util.getRegionCodeForNumber(util.parse(e164, null));
            return region == null || region.length() != 2 ? UNKNOWN_REGION : region;
        } catch (NumberParseException e) {
            return UNKNOWN_REGION;
        }
    }

    @Override
    public String toString() {
        return "PhoneNumber[" + masked() + "]";
    }
}

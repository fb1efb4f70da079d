package dev.countersign.enrollment;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.countersign.otp.PhoneMask;
import java.util.regex.Pattern;

/**
 * A phone number in E.164 form, {@code +12015550123}. Its {@link #toString()} shows only the last
 * four digits, so a {@code PhoneNumber} is safe to log; ask for {@link #e164()} to send to it.
 * Made by {@link PhonePolicy#check(String)}, which decides which numbers may receive codes.
 */
public record PhoneNumber(String e164) {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    /** ISO 3166's "unknown or unspecified country", also what libphonenumber uses for it. */
    private static final String UNKNOWN_REGION = "ZZ";

    public PhoneNumber {
        if (e164 == null || !E164.matcher(e164).matches()) {
            // The message must not repeat the number: it may end up in a log.
            throw new IllegalArgumentException("phone number must be E.164, like +12015550123");
        }
    }

    /** {@code 0123}. */
    public String lastFour() {
        return PhoneMask.lastFour(e164);
    }

    /** {@code •••• 0123}: what people, logs and audit rows see. */
    public String masked() {
        return PhoneMask.mask(e164);
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

package dev.countersign.enrollment;

import dev.countersign.people.PhoneNumber;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.countersign.enrollment.PhoneCheck.Accepted;
import dev.countersign.enrollment.PhoneCheck.Refused;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which typed phone numbers may receive one-time codes, checked with Google's libphonenumber. A
 * number must be written in international (E.164) form, be a real, valid number, belong to one of
 * {@code allowedCountries}, and be a mobile or fixed line: premium-rate, shared-cost, toll-free,
 * VoIP, pager and other service numbers are refused. VoIP and forwarding numbers are refused
 * because they can be had in bulk and redirected, which weakens a code as proof of holding a
 * phone (NIST SP 800-63B asks verifiers to check for them); premium-rate and shared-cost numbers
 * are how SMS-pumping fraud earns money from the sender.
 *
 * @param allowedCountries ISO 3166 alpha-2 codes, any case; at least one
 * @see <a href="https://github.com/google/libphonenumber">libphonenumber</a>
 */
public record PhonePolicy(Set<String> allowedCountries) {

    /**
     * Countries with reliable application-to-person SMS delivery and low exposure to SMS-pumping
     * (toll) fraud. Operators widen or narrow the list with {@code ALLOWED_COUNTRIES}.
     */
    public static final Set<String> DEFAULT_COUNTRIES = Set.of(
            "US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "NL", "BE", "ES", "IT", "PT", "AT",
            "CH", "SE", "NO", "DK", "FI", "PL");

    /** Longer text is refused before parsing: no real number, even with spaces, comes close. */
    public static final int MAX_TYPED_LENGTH = 32;

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String EXAMPLE = "+12015550123";
    private static final Set<PhoneNumberType> ACCEPTED_TYPES = Set.of(
            PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE,
            PhoneNumberType.FIXED_LINE);
    private static final Map<PhoneNumberType, String> REFUSED_TYPES = Map.of(
            PhoneNumberType.PREMIUM_RATE, "premium-rate numbers",
            PhoneNumberType.SHARED_COST, "shared-cost numbers",
            PhoneNumberType.TOLL_FREE, "toll-free numbers",
            PhoneNumberType.VOIP, "internet (VoIP) numbers",
            PhoneNumberType.PERSONAL_NUMBER, "personal forwarding numbers",
            PhoneNumberType.PAGER, "pager numbers",
            PhoneNumberType.UAN, "company access numbers (UAN)",
            PhoneNumberType.VOICEMAIL, "voicemail access numbers");

    public PhonePolicy {
        if (allowedCountries == null || allowedCountries.isEmpty()) {
            throw new IllegalArgumentException("allowedCountries must name at least one country");
        }
        Set<String> normalised = new TreeSet<>();
        for (String country : allowedCountries) {
            String code = country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
            if (!UTIL.getSupportedRegions().contains(code)) {
                throw new IllegalArgumentException("allowedCountries: '" + country
                        + "' is not an ISO 3166 alpha-2 country code that has phone numbers");
            }
            normalised.add(code);
        }
        allowedCountries = Set.copyOf(normalised);
    }

    /** Whether {@code typed} may receive codes; the reason when not. Never throws. */
    public PhoneCheck check(String typed) {
        if (typed == null || typed.isBlank()) {
            return new Refused("Type a phone number in international format, like " + EXAMPLE
                    + ".");
        }
        String text = typed.strip();
        if (text.length() > MAX_TYPED_LENGTH) {
            return new Refused("That is too long to be a phone number.");
        }
        if (text.codePoints().anyMatch(Character::isLetter)) {
            return new Refused("Type the number with digits only: letters can't be part of it.");
        }
        if (!text.startsWith("+")) {
            return new Refused("Use the international format with a leading +, like " + EXAMPLE
                    + " (+ then the country code).");
        }
        String digits = withoutSeparators(text.substring(1));
        if (digits == null) {
            return new Refused(
                    "After the +, use only digits, spaces, dashes, dots and parentheses.");
        }
        return parsed("+" + digits);
    }

    private PhoneCheck parsed(String compact) {
        Phonenumber.PhoneNumber number;
        try {
            number = UTIL.parse(compact, null);
        } catch (NumberParseException e) {
            return notValid();
        }
        if (!UTIL.isValidNumber(number)) {
            return notValid();
        }
        String region = UTIL.getRegionCodeForNumber(number);
        if (region == null || !allowedCountries.contains(region)) {
            return new Refused("Codes can only be sent to phones in " + allowedList() + "; "
                    + from(region) + ".");
        }
        PhoneNumberType type = UTIL.getNumberType(number);
        if (!ACCEPTED_TYPES.contains(type)) {
            String kind = REFUSED_TYPES.getOrDefault(type, "numbers of an unknown type");
            return new Refused("That is not a mobile or landline number: " + kind
                    + " can't receive codes. Enroll your mobile number instead.");
        }
        String e164 = UTIL.format(number, PhoneNumberFormat.E164);
        try {
            return new Accepted(new PhoneNumber(e164));
        } catch (IllegalArgumentException e) {
            // libphonenumber calls a few very short numbers valid that E.164 form rules out.
            return notValid();
        }
    }

    /** The digits of {@code text}, without the separators people type; null if anything else. */
    private static String withoutSeparators(String text) {
        StringBuilder digits = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (!isSeparator(c)) {
                return null;
            }
        }
        return digits.toString();
    }

    /** Spaces (also the no-break spaces of copied numbers), dashes, dots and parentheses. */
    private static boolean isSeparator(char c) {
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.DASH_PUNCTUATION
                || c == '.' || c == '(' || c == ')';
    }

    private static Refused notValid() {
        return new Refused("That isn't a valid phone number: check the country code and the number,"
                + " like " + EXAMPLE + ".");
    }

    private String allowedList() {
        return allowedCountries.stream().sorted().collect(Collectors.joining(", "));
    }

    private static String from(String region) {
        if (region == null || region.length() != 2) {
            return "this number belongs to no country";
        }
        return "this number's country is "
                + new Locale("", region).getDisplayCountry(Locale.ENGLISH);
    }
}

package dev.countersign.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.enrollment.PhonePolicy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The limits block of the settings (as in example.env): code lifetime, attempts and sends, the
 * hold after a phone change, which countries phones may be in, and who the admins are. Unset
 * values fall back to {@link ApprovalPolicy#DEFAULTS} and {@link PhonePolicy#DEFAULT_COUNTRIES}.
 */
final class LimitsSection {

    private static final ApprovalPolicy DEFAULTS = ApprovalPolicy.DEFAULTS;

    private LimitsSection() {
    }

    /** The ranges are SignalWire's and NIST SP 800-63B's: a code lives at most 10 minutes. */
    static Settings.Limits read(EnvReader env) {
        return new Settings.Limits(
                env.seconds("CODE_TTL_SECONDS", DEFAULTS.codeTtl(), 60, 600),
                env.integer("MAX_CODE_ATTEMPTS", DEFAULTS.maxAttempts(), 1, 5),
                env.integer("MAX_CODES_PER_USER_PER_HOUR", DEFAULTS.maxCodesPerUserPerHour(), 1,
                        1_000_000),
                env.integer("MAX_CODES_PER_TEAM_PER_DAY", DEFAULTS.maxCodesPerTeamPerDay(), 1,
                        100_000_000),
                DEFAULTS.resendCooldown(),
                env.decimal("NEW_PHONE_HOLD_AMOUNT", DEFAULTS.newPhoneHoldAmount()),
                DEFAULTS.newPhoneHold(),
                // NIST SP 800-63B 5.2.2: limit failed attempts per account, not per code.
                env.integer("MAX_FAILED_CODES_PER_USER_PER_DAY", DEFAULTS.maxFailedCodesPerDay(),
                        1, 1000));
    }

    /** ISO 3166 codes, upper-cased; each one libphonenumber does not know is named. */
    static Set<String> allowedCountries(EnvReader env) {
        if (env.optional("ALLOWED_COUNTRIES").isEmpty()) {
            return PhonePolicy.DEFAULT_COUNTRIES;
        }
        if (env.isWrittenButEmpty("ALLOWED_COUNTRIES")) {
            env.problem("ALLOWED_COUNTRIES must list at least one country code, like US,CA,GB");
        }
        Set<String> supported = PhoneNumberUtil.getInstance().getSupportedRegions();
        Set<String> countries = new LinkedHashSet<>();
        List<String> written = env.list("ALLOWED_COUNTRIES");
        for (String code : written) {
            String upper = code.toUpperCase(Locale.ROOT);
            if (supported.contains(upper)) {
                countries.add(upper);
            } else {
                env.problem("ALLOWED_COUNTRIES: " + EnvReader.quote(code)
                        + " is not an ISO 3166 country code (use two letters, like US,CA,GB)");
            }
        }
        return Set.copyOf(countries);
    }

    static Set<String> adminUserIds(EnvReader env) {
        return env.slackUserIds("ADMIN_USER_IDS");
    }
}

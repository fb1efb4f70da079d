package dev.countersign.config;

import dev.countersign.people.PhoneNumber;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one-time codes block of the settings: which provider, and SignalWire's credentials. */
final class CodeProviderSection {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final String CONSOLE_HINT =
            " (or set OTP_PROVIDER=console to try Countersign without SignalWire)";

    private CodeProviderSection() {
    }

    static Settings.OtpProvider provider(EnvReader env) {
        String value = env.text("OTP_PROVIDER", "signalwire");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "signalwire" -> Settings.OtpProvider.SIGNALWIRE;
            case "console" -> Settings.OtpProvider.CONSOLE;
            default -> {
                env.problem("OTP_PROVIDER must be signalwire or console (got "
                        + EnvReader.quote(value) + ")");
                yield Settings.OtpProvider.SIGNALWIRE;
            }
        };
    }

    /** SignalWire's settings when it makes the codes; nothing is asked of the console one. */
    static Optional<Settings.SignalWireSettings> signalWire(EnvReader env,
                                                            Settings.OtpProvider provider) {
        return switch (provider) {
            case SIGNALWIRE -> Optional.of(signalWire(env));
            case CONSOLE -> Optional.empty();
        };
    }

    private static Settings.SignalWireSettings signalWire(EnvReader env) {
        String space = env.required("SIGNALWIRE_SPACE",
                "your space host, like example.signalwire.com" + CONSOLE_HINT);
        if (space != null && !EnvReader.isHttpUrl(space) && !HOST.matcher(space).matches()) {
            env.problem("SIGNALWIRE_SPACE must be a host like example.signalwire.com or an "
                    + "http(s) URL (got " + EnvReader.quote(space) + ")");
        }
        if (space != null && EnvReader.isHttpUrl(space)
                && !EnvReader.isSecure(URI.create(space))) {
            env.problem("SIGNALWIRE_SPACE must use https:// (http:// is only accepted on this "
                    + "machine, for local trials); got " + EnvReader.quote(space));
        }
        String projectKey = env.required("SIGNALWIRE_PROJECT_KEY",
                "the Project ID from your SignalWire space's API page" + CONSOLE_HINT);
        env.secret("SIGNALWIRE_PROJECT_KEY", projectKey, 1,
                "use the Project ID from your SignalWire space's API page");
        String token = env.required("SIGNALWIRE_TOKEN",
                "an API token from your SignalWire space's API page" + CONSOLE_HINT);
        env.secret("SIGNALWIRE_TOKEN", token, 1,
                "use an API token from your SignalWire space's API page");
        Optional<String> from = env.optional("SIGNALWIRE_FROM");
        if (from.isPresent() && !PhoneNumber.isE164(from.get())) {
            // The number is not repeated: it is a phone number, kept out of logs.
            env.problem("SIGNALWIRE_FROM must be your SignalWire number in E.164 form, like "
                    + "+12015550100");
        }
        return new Settings.SignalWireSettings(space, projectKey, token, from);
    }
}

package dev.countersign.config;

import dev.countersign.keys.SecretKeys;
import dev.countersign.logging.LogFormat;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link Settings} from the environment, with a {@code .env} file in the working directory
 * read as defaults (the environment wins). Every problem is collected, then reported at once by a
 * {@link SettingsException}; secret values never appear in a message. Each block of example.env
 * has its own reader ({@link SlackSection}, {@link CodeProviderSection}, {@link LimitsSection},
 * {@link DualControlSection}, {@link WebhookSection}, {@link ServiceSection},
 * {@link KeysSection}).
 */
public final class SettingsLoader {

    private SettingsLoader() {
    }

    /** Environment over {@code .env} in the working directory. */
    public static Settings fromEnvironment() {
        return load(System.getenv(), Path.of(".env"));
    }

    /** {@code environment} over the {@code dotenvFile} (which may be missing). */
    public static Settings load(Map<String, String> environment, Path dotenvFile) {
        EnvReader env = EnvReader.over(environment, dotenvFile);
        Settings.SlackSettings slack = SlackSection.read(env);
        Settings.OtpProvider provider = CodeProviderSection.provider(env);
        Optional<Settings.SignalWireSettings> signalWire =
                CodeProviderSection.signalWire(env, provider);
        String databaseUrl = ServiceSection.databaseUrl(env);
        int port = ServiceSection.port(env);
        Settings.Limits limits = LimitsSection.read(env);
        Set<String> countries = LimitsSection.allowedCountries(env);
        Set<String> admins = LimitsSection.adminUserIds(env);
        Settings.DualControl dualControl = DualControlSection.read(env);
        Optional<Settings.Webhook> webhook = WebhookSection.read(env);
        String logLevel = ServiceSection.logLevel(env);
        SecretKeys keys = KeysSection.read(env, databaseUrl);
        LogFormat logFormat = ServiceSection.logFormat(env);
        String bindAddress = ServiceSection.bindAddress(env);
        return env.orThrow(() -> new Settings(slack, provider, signalWire, databaseUrl, port,
                limits, countries, admins, dualControl, webhook, logLevel, keys, logFormat,
                bindAddress));
    }

    /** {@link #forTools} on the environment over {@code .env} in the working directory. */
    public static ToolSettings toolsFromEnvironment() {
        return forTools(System.getenv(), Path.of(".env"));
    }

    /**
     * Only {@code DATABASE_URL}, {@code ALLOWED_COUNTRIES} and the keys, read the same way as by
     * {@link #load}, and Slack's bot token and API URL if set: for command-line tools that need
     * neither Slack nor SignalWire to work (a cancelled request's requester is told only when
     * the token is there).
     */
    public static ToolSettings forTools(Map<String, String> environment, Path dotenvFile) {
        EnvReader env = EnvReader.over(environment, dotenvFile);
        String databaseUrl = ServiceSection.databaseUrl(env);
        Set<String> countries = LimitsSection.allowedCountries(env);
        SecretKeys keys = KeysSection.read(env, databaseUrl);
        Optional<String> botToken = env.optional("SLACK_BOT_TOKEN");
        String apiUrl = SlackSection.apiUrl(env);
        return env.orThrow(() -> new ToolSettings(databaseUrl, countries, keys, botToken,
                apiUrl));
    }
}

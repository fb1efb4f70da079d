package dev.countersign.config;

import dev.countersign.people.SlackUserId;
import dev.countersign.people.PhoneNumber;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.countersign.approval.CurrencyCode;
import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@link Settings} from the environment, with a {@code .env} file in the working directory
 * read as defaults (the environment wins). Every problem is collected, then reported at once by a
 * {@link SettingsException}; secret values never appear in a message.
 */
public final class SettingsLoader {

    static final String DEFAULT_COUNTRIES =
            "US,CA,GB,IE,AU,NZ,DE,FR,NL,BE,ES,IT,PT,AT,CH,SE,NO,DK,FI,PL";
    private static final Pattern SLACK_USER_ID = Pattern.compile(SlackUserId.REGEX);
    private static final Pattern SLACK_CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,20}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    private SettingsLoader(Map<String, String> values) {
        this.values = values;
    }

    /** Environment over {@code .env} in the working directory. */
    public static Settings fromEnvironment() {
        return load(System.getenv(), Path.of(".env"));
    }

    /** {@code environment} over the {@code dotenvFile} (which may be missing). */
    public static Settings load(Map<String, String> environment, Path dotenvFile) {
        return merged(environment, dotenvFile).build();
    }

    /** {@link #forTools} on the environment over {@code .env} in the working directory. */
    public static ToolSettings toolsFromEnvironment() {
        return forTools(System.getenv(), Path.of(".env"));
    }

    /**
     * Only {@code DATABASE_URL} and {@code ALLOWED_COUNTRIES}, read the same way as by
     * {@link #load}: for command-line tools that touch neither Slack nor SignalWire.
     */
    public static ToolSettings forTools(Map<String, String> environment, Path dotenvFile) {
        SettingsLoader loader = merged(environment, dotenvFile);
        ToolSettings settings = new ToolSettings(loader.databaseUrl(), loader.countries());
        if (!loader.problems.isEmpty()) {
            throw new SettingsException(loader.problems);
        }
        return settings;
    }

    private static SettingsLoader merged(Map<String, String> environment, Path dotenvFile) {
        Map<String, String> merged = new HashMap<>();
        List<String> fileProblems = new ArrayList<>();
        readDotenv(dotenvFile, merged, fileProblems);
        merged.putAll(environment);
        SettingsLoader loader = new SettingsLoader(merged);
        loader.problems.addAll(fileProblems);
        return loader;
    }

    private static void readDotenv(Path file, Map<String, String> into, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Dotenv dotenv = Dotenv.configure().directory(dir.toString())
                    .filename(file.getFileName().toString()).load();
            for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                into.put(entry.getKey(), entry.getValue());
            }
        } catch (DotenvException e) {
            // The library's message quotes the bad line, which may hold a secret: say where only.
            problems.add(file + " could not be read: a line is not KEY=value (check quotes)");
        }
    }

    private Settings build() {
        Settings.SlackSettings slack = slack();
        Settings.OtpProvider provider = otpProvider();
        Optional<Settings.SignalWireSettings> signalWire =
                provider == Settings.OtpProvider.SIGNALWIRE ? Optional.ofNullable(signalWire())
                        : Optional.empty();
        String databaseUrl = databaseUrl();
        int port = integer("PORT", 3000, 0, 65535); // 0: any free port (tests)
        Settings.Limits limits = limits();
        Set<String> countries = countries();
        Set<String> admins = userIds("ADMIN_USER_IDS");
        Settings.DualControl dualControl = dualControl();
        Optional<Settings.Webhook> webhook = webhook();
        String logLevel = logLevel();
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return new Settings(slack, provider, signalWire, databaseUrl, port, limits, countries,
                admins,
                dualControl, webhook, logLevel);
    }

    private Settings.SlackSettings slack() {
        String botToken = text("SLACK_BOT_TOKEN");
        if (botToken == null) {
            problems.add(
                    "SLACK_BOT_TOKEN is required: the bot token (xoxb-…) from your Slack app's "
                    + "OAuth & Permissions page");
        } else if (!botToken.startsWith("xoxb-")) {
            problems.add("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
        }
        Optional<String> appToken = Optional.ofNullable(text("SLACK_APP_TOKEN"));
        if (appToken.isPresent() && !appToken.get().startsWith("xapp-")) {
            problems.add("SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                    + "(or unset, to serve HTTP)");
        }
        String signingSecret = text("SLACK_SIGNING_SECRET");
        if (signingSecret == null && appToken.isEmpty()) {
            problems.add("SLACK_SIGNING_SECRET is required in HTTP mode: Basic Information → "
                    + "App Credentials → Signing Secret (or set SLACK_APP_TOKEN for Socket Mode)");
        }
        String apiUrl = Optional.ofNullable(text("SLACK_API_URL")).orElse("https://slack.com/api/");
        if (!isHttpUrl(apiUrl)) {
            problems.add("SLACK_API_URL must be an http(s) URL like https://slack.com/api/ (got "
                    + quote(apiUrl) + ")");
        } else if (!apiUrl.endsWith("/")) {
            apiUrl = apiUrl + "/";
        }
        return new Settings.SlackSettings(botToken, signingSecret, appToken, apiUrl);
    }

    private Settings.OtpProvider otpProvider() {
        String value = Optional.ofNullable(text("OTP_PROVIDER")).orElse("signalwire");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "signalwire" -> Settings.OtpProvider.SIGNALWIRE;
            case "console" -> Settings.OtpProvider.CONSOLE;
            default -> {
                problems.add("OTP_PROVIDER must be signalwire or console (got " + quote(value)
                        + ")");
                yield Settings.OtpProvider.SIGNALWIRE;
            }
        };
    }

    private Settings.SignalWireSettings signalWire() {
        String space = text("SIGNALWIRE_SPACE");
        String projectKey = text("SIGNALWIRE_PROJECT_KEY");
        String token = text("SIGNALWIRE_TOKEN");
        String from = text("SIGNALWIRE_FROM");
        String hint = " (or set OTP_PROVIDER=console to try Countersign without SignalWire)";
        if (space == null) {
            problems.add(
                    "SIGNALWIRE_SPACE is required: your space host, like example.signalwire.com"
                    + hint);
        } else if (!isHttpUrl(space) && !HOST.matcher(space).matches()) {
            problems.add(
                    "SIGNALWIRE_SPACE must be a host like example.signalwire.com or an http(s) "
                    + "URL (got " + quote(space) + ")");
        }
        if (projectKey == null) {
            problems.add("SIGNALWIRE_PROJECT_KEY is required: the Project ID from your SignalWire "
                    + "space's API page" + hint);
        }
        if (token == null) {
            problems.add("SIGNALWIRE_TOKEN is required: an API token from your SignalWire space's "
                    + "API page" + hint);
        }
        if (from != null && !PhoneNumber.isE164(from)) {
            problems.add("SIGNALWIRE_FROM must be your SignalWire number in E.164 form, like "
                    + "+12015550100");
        }
        return new Settings.SignalWireSettings(space, projectKey, token, Optional.ofNullable(from));
    }

    private String databaseUrl() {
        String url = Optional.ofNullable(text("DATABASE_URL")).orElse(
                "jdbc:sqlite:data/countersign.db");
        if (!url.startsWith("jdbc:sqlite:") || url.length() == "jdbc:sqlite:".length()) {
            problems.add(
                    "DATABASE_URL must be a SQLite JDBC URL like jdbc:sqlite:data/countersign.db");
        }
        return url;
    }

    private Settings.Limits limits() {
        int ttl = integer("CODE_TTL_SECONDS", 300, 60, 600);
        int attempts = integer("MAX_CODE_ATTEMPTS", 3, 1, 5);
        int perUser = integer("MAX_CODES_PER_USER_PER_HOUR", 10, 1, 1_000_000);
        int perTeam = integer("MAX_CODES_PER_TEAM_PER_DAY", 500, 1, 100_000_000);
        BigDecimal hold = decimal("NEW_PHONE_HOLD_AMOUNT", new BigDecimal("1000"));
        return new Settings.Limits(Duration.ofSeconds(ttl), attempts, perUser, perTeam,
                Duration.ofSeconds(30), hold, Duration.ofHours(24));
    }

    private Set<String> countries() {
        String value = Optional.ofNullable(text("ALLOWED_COUNTRIES")).orElse(DEFAULT_COUNTRIES);
        Set<String> supported = PhoneNumberUtil.getInstance().getSupportedRegions();
        Set<String> countries = new LinkedHashSet<>();
        for (String code : split(value)) {
            String upper = code.toUpperCase(Locale.ROOT);
            if (!supported.contains(upper)) {
                problems.add("ALLOWED_COUNTRIES: " + quote(code)
                        + " is not an ISO 3166 country code "
                        + "(use two letters, like US,CA,GB)");
            } else {
                countries.add(upper);
            }
        }
        if (countries.isEmpty() && split(value).isEmpty()) {
            problems.add("ALLOWED_COUNTRIES must list at least one country code, like US,CA,GB");
        }
        return Set.copyOf(countries);
    }

    private Set<String> userIds(String name) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : split(Optional.ofNullable(text(name)).orElse(""))) {
            if (SLACK_USER_ID.matcher(id).matches()) {
                ids.add(id);
            } else {
                problems.add(name + ": " + quote(id) + " is not a Slack user id (like U024BE7LH)");
            }
        }
        return Set.copyOf(ids);
    }

    private Settings.DualControl dualControl() {
        Map<String, BigDecimal> thresholds = thresholds();
        boolean signatures = bool("DUAL_CONTROL_SIGNATURES", false);
        Set<String> approvers = userIds("APPROVER_USER_IDS");
        Optional<String> group = Optional.ofNullable(text("APPROVER_USERGROUP_ID"));
        if (group.isPresent() && !group.get().matches("S[A-Z0-9]{2,20}")) {
            problems.add("APPROVER_USERGROUP_ID must be a user group id like S0614TZR7");
        }
        Optional<String> channel = Optional.ofNullable(text("APPROVALS_CHANNEL"));
        if (channel.isPresent() && !SLACK_CHANNEL_ID.matcher(channel.get()).matches()) {
            problems.add("APPROVALS_CHANNEL must be a channel id like C0123456789 (in Slack: "
                    + "channel details → About → Channel ID)");
        }
        int ttl = integer("SECOND_APPROVAL_TTL_SECONDS", 86_400, 300, 604_800);
        boolean enabled = !thresholds.isEmpty() || signatures;
        if (enabled && channel.isEmpty()) {
            problems.add("APPROVALS_CHANNEL is required when dual control is on "
                    + "(DUAL_CONTROL_THRESHOLDS or DUAL_CONTROL_SIGNATURES)");
        }
        if (enabled && approvers.isEmpty() && group.isEmpty()) {
            problems.add("APPROVER_USER_IDS or APPROVER_USERGROUP_ID is required when dual control "
                    + "is on: who may give the second approval?");
        }
        return new Settings.DualControl(thresholds, signatures, approvers, group, channel,
                Duration.ofSeconds(ttl));
    }

    private Map<String, BigDecimal> thresholds() {
        Map<String, BigDecimal> thresholds = new LinkedHashMap<>();
        for (String entry
                : split(Optional.ofNullable(text("DUAL_CONTROL_THRESHOLDS")).orElse(""))) {
            String[] parts = entry.split(":", 2);
            String currency = parts[0].trim().toUpperCase(Locale.ROOT);
            BigDecimal amount = parts.length == 2 ? parseDecimal(parts[1].trim()) : null;
            if (!currency.equals("*") && CurrencyCode.of(currency).isEmpty()) {
                problems.add("DUAL_CONTROL_THRESHOLDS: " + quote(parts[0]) + " is not a currency "
                        + "code (use entries like USD:10000,EUR:9000,*:10000)");
            } else if (amount == null || amount.signum() < 0) {
                problems.add("DUAL_CONTROL_THRESHOLDS: " + quote(entry) + " needs a non-negative "
                        + "amount after the colon, like USD:10000");
            } else {
                thresholds.put(currency, amount);
            }
        }
        return Map.copyOf(thresholds);
    }

    private Optional<Settings.Webhook> webhook() {
        String url = text("APPROVAL_WEBHOOK_URL");
        String secret = text("APPROVAL_WEBHOOK_SECRET");
        if (url == null) {
            if (secret != null) {
                problems.add("APPROVAL_WEBHOOK_SECRET is set but APPROVAL_WEBHOOK_URL is not");
            }
            return Optional.empty();
        }
        if (!isHttpUrl(url)) {
            problems.add("APPROVAL_WEBHOOK_URL must be an http(s) URL (got " + quote(url) + ")");
            return Optional.empty();
        }
        if (secret == null || secret.length() < 16) {
            problems.add(
                    "APPROVAL_WEBHOOK_SECRET is required with APPROVAL_WEBHOOK_URL and must be "
                    + "at least 16 characters (e.g. openssl rand -hex 32)");
            return Optional.empty();
        }
        return Optional.of(new Settings.Webhook(URI.create(url), secret));
    }

    private String logLevel() {
        String level = Optional.ofNullable(text("LOG_LEVEL")).orElse("INFO").toUpperCase(
                Locale.ROOT);
        if (!Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(level)) {
            problems.add("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR");
            return "INFO";
        }
        return level;
    }

    // --- small readers -------------------------------------------------------------------------

    /** The trimmed value, or {@code null} when unset or blank. */
    private String text(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private int integer(String name, int fallback, int min, int max) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max + " (got "
                + quote(value) + ")");
        return fallback;
    }

    private BigDecimal decimal(String name, BigDecimal fallback) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        BigDecimal number = parseDecimal(value);
        if (number == null || number.signum() < 0) {
            problems.add(name + " must be a non-negative amount like 1000 (got " + quote(value)
                    + ")");
            return fallback;
        }
        return number;
    }

    private boolean bool(String name, boolean fallback) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problems.add(name + " must be true or false (got " + quote(value) + ")");
                yield fallback;
            }
        };
    }

    private static BigDecimal parseDecimal(String value) {
        if (!value.matches("[0-9]{1,15}(\\.[0-9]{1,2})?")) {
            return null;
        }
        return new BigDecimal(value);
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Non-secret values are echoed to help; long ones are cut so a pasted secret can't spill. */
    private static String quote(String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return "\"" + shown + "\"";
    }
}

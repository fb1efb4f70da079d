package dev.countersign.config;

import dev.countersign.people.SlackUserId;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Named settings from the environment over a {@code .env} file, read by type. A malformed value
 * is not thrown: it is recorded as a problem and the fallback is returned, so that every problem
 * can be reported at once ({@link #orThrow}). Messages quote a value only where it cannot be a
 * secret, and cut it short even then.
 */
final class EnvReader {

    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    private EnvReader(Map<String, String> values) {
        this.values = values;
    }

    /** {@code environment} over the {@code dotenvFile}, which may be missing. */
    static EnvReader over(Map<String, String> environment, Path dotenvFile) {
        Map<String, String> merged = new HashMap<>();
        EnvReader env = new EnvReader(merged);
        env.readDotenv(dotenvFile);
        merged.putAll(environment);
        return env;
    }

    private void readDotenv(Path file) {
        values.putAll(DotenvFile.read(file, this::problem));
    }

    /** How many problems are recorded so far: lets a section tell whether its value passed. */
    int problemCount() {
        return problems.size();
    }

    /** Records a problem that no single accessor can see, such as two settings that clash. */
    void problem(String problem) {
        problems.add(problem);
    }

    /**
     * The settings {@code build} makes when nothing was wrong; otherwise one exception naming
     * every problem (and {@code build} is not run on values that failed).
     */
    <T> T orThrow(Supplier<T> build) {
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return build.get();
    }

    /** The trimmed value; empty when unset or blank. */
    Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The trimmed value, or {@code fallback} when unset or blank. */
    String text(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    /**
     * The trimmed value; when missing, a problem saying what {@code meaning} the setting has and
     * {@code null} (never seen by the caller's caller: the settings are not built then).
     */
    String required(String name, String meaning) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            problem(name + " is required: " + meaning);
        }
        return value.orElse(null);
    }

    /** A whole number from {@code min} to {@code max}. */
    int integer(String name, int fallback, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, like a number out of range
        }
        problem(name + " must be a whole number from " + min + " to " + max + " (got "
                + quote(value.get()) + ")");
        return fallback;
    }

    /** A duration written as whole seconds from {@code min} to {@code max}. */
    Duration seconds(String name, Duration fallback, int min, int max) {
        return Duration.ofSeconds(integer(name, Math.toIntExact(fallback.toSeconds()), min, max));
    }

    /** A non-negative amount with at most two decimals, like {@code 1000} or {@code 19.99}. */
    BigDecimal decimal(String name, BigDecimal fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return amount(value.get()).orElseGet(() -> {
            problem(name + " must be a non-negative amount like 1000 (got " + quote(value.get())
                    + ")");
            return fallback;
        });
    }

    /** {@code true}, {@code yes}, {@code 1}, {@code on} or their opposites, in any case. */
    boolean bool(String name, boolean fallback) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> {
                problem(name + " must be true or false (got " + quote(value.get()) + ")");
                yield fallback;
            }
        };
    }

    /** The comma-separated entries, trimmed, empty ones left out; empty when unset. */
    List<String> list(String name) {
        return optional(name).map(EnvReader::split).orElse(List.of());
    }

    /** {@code list(name)} when it is written but holds no entry, such as {@code ","}. */
    boolean isWrittenButEmpty(String name) {
        return optional(name).isPresent() && list(name).isEmpty();
    }

    /** Slack user ids ({@link SlackUserId}), each malformed one named; empty when unset. */
    Set<String> slackUserIds(String name) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : list(name)) {
            if (SlackUserId.isValid(id)) {
                ids.add(id);
            } else {
                problem(name + ": " + quote(id) + " is not a Slack user id (like U024BE7LH)");
            }
        }
        return Set.copyOf(ids);
    }

    /** An http(s) URL with a host; empty, with a problem naming {@code example}, otherwise. */
    Optional<URI> url(String name, String example) {
        Optional<String> value = optional(name);
        if (value.isPresent() && !isHttpUrl(value.get())) {
            problem(name + " must be an http(s) URL like " + example + " (got "
                    + quote(value.get()) + ")");
            return Optional.empty();
        }
        return value.map(URI::create);
    }

    /**
     * {@link #url}, refused unless it is {@code https://} or points at this machine (tests and
     * local fakes): a token, a code check or a signed approval must not cross a network in the
     * clear.
     */
    Optional<URI> secureUrl(String name, String example) {
        Optional<URI> url = url(name, example);
        if (url.isPresent() && !isSecure(url.get())) {
            problem(name + " must be an https:// URL (http:// is only accepted on this machine, "
                    + "for local trials); got " + quote(url.get().toString()));
            return Optional.empty();
        }
        return url;
    }

    static boolean isSecure(URI url) {
        return "https".equals(url.getScheme()) || isLoopback(url.getHost());
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return bare.equals("localhost") || bare.equals("::1") || bare.startsWith("127.");
    }

    /**
     * A secret: refused when it is still the placeholder shipped in {@code example.env}, or
     * shorter than {@code minLength}. Its value never appears in a message.
     */
    void secret(String name, String value, int minLength, String howToGet) {
        if (value == null) {
            return;
        }
        if (PLACEHOLDERS.contains(value)) {
            problem(name + " still has the example value from example.env: " + howToGet);
        } else if (value.length() < minLength) {
            problem(name + " is too short to be a real secret: it must have at least "
                    + minLength + " characters (" + howToGet + ")");
        }
    }

    /** The values {@code example.env} ships with, which must never reach a running service. */
    static final Set<String> PLACEHOLDERS = Set.of("xoxb-your-bot-token",
            "your-signing-secret", "your-project-id", "your-api-token",
            "generate-with-openssl-rand-hex-32");

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A non-negative amount with at most two decimals; empty when {@code text} is not one. */
    static Optional<BigDecimal> amount(String text) {
        return text.matches("[0-9]{1,15}(\\.[0-9]{1,2})?") ? Optional.of(new BigDecimal(text))
                : Optional.empty();
    }

    /** Non-secret values are echoed to help; long ones are cut so a pasted secret can't spill. */
    static String quote(String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return "\"" + shown + "\"";
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}

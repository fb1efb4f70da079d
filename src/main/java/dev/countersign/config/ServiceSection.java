package dev.countersign.config;

import dev.countersign.logging.LogFormat;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where the service keeps its data, where it listens, and how much it logs and how. */
final class ServiceSection {

    static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/countersign.db";
    static final int DEFAULT_PORT = 3000;
    static final String DEFAULT_LOG_LEVEL = "INFO";
    static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql://";
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN",
            "ERROR");

    private ServiceSection() {
    }

    /**
     * {@code DATABASE_URL}, with {@code DATABASE_USER} and {@code DATABASE_PASSWORD} (PostgreSQL
     * only) added to it as the driver's {@code user} and {@code password} parameters.
     */
    static String databaseUrl(EnvReader env) {
        String url = env.text("DATABASE_URL", DEFAULT_DATABASE_URL);
        Optional<String> user = env.optional("DATABASE_USER");
        Optional<String> password = env.optional("DATABASE_PASSWORD");
        if (url.startsWith(POSTGRESQL_PREFIX) && url.length() > POSTGRESQL_PREFIX.length()) {
            return withCredentials(env, url, user, password);
        }
        if (!url.startsWith(SQLITE_PREFIX) || url.length() == SQLITE_PREFIX.length()) {
            env.problem("DATABASE_URL must be a SQLite JDBC URL like " + DEFAULT_DATABASE_URL
                    + " or a PostgreSQL one like "
                    + "jdbc:postgresql://db.example.com:5432/countersign");
        } else if (user.isPresent() || password.isPresent()) {
            env.problem("DATABASE_USER and DATABASE_PASSWORD are for PostgreSQL only; "
                    + "DATABASE_URL names a SQLite file");
        }
        return url;
    }

    private static String withCredentials(EnvReader env, String url, Optional<String> user,
                                          Optional<String> password) {
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
        StringBuilder full = new StringBuilder(url);
        for (var setting : List.of(Map.entry("user", user), Map.entry("password", password))) {
            if (setting.getValue().isEmpty()) {
                continue;
            }
            String name = setting.getKey();
            if (("&" + query).contains("&" + name + "=")) {
                env.problem("DATABASE_" + name.toUpperCase(Locale.ROOT) + " is set and "
                        + "DATABASE_URL has a " + name + "= too: give it in one place only");
                continue;
            }
            full.append(full.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(setting.getValue().get(), StandardCharsets.UTF_8));
        }
        return full.toString();
    }

    /** {@code 0} takes any free port (the tests' choice). */
    static int port(EnvReader env) {
        return env.integer("PORT", DEFAULT_PORT, 0, 65535);
    }

    static String logLevel(EnvReader env) {
        String level = env.text("LOG_LEVEL", DEFAULT_LOG_LEVEL).toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            env.problem("LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR");
            return DEFAULT_LOG_LEVEL;
        }
        return level;
    }

    /** {@code text} (one line per event, for people) or {@code json} (one object per line). */
    static LogFormat logFormat(EnvReader env) {
        String format = env.text("LOG_FORMAT", "text").toLowerCase(Locale.ROOT);
        return switch (format) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> {
                env.problem("LOG_FORMAT must be text or json (got " + EnvReader.quote(format)
                        + ")");
                yield LogFormat.TEXT;
            }
        };
    }

    /**
     * An IP address of this machine to listen on: {@code 0.0.0.0} (every IPv4 address, the
     * default), {@code ::} (every address), or one of its own, such as {@code 127.0.0.1} behind
     * a proxy on the same host. A host name is refused: what it resolves to can change.
     */
    static String bindAddress(EnvReader env) {
        String address = env.text("BIND_ADDRESS", DEFAULT_BIND_ADDRESS);
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            env.problem("BIND_ADDRESS must be an IP address like 0.0.0.0 (every address) or "
                    + "127.0.0.1 (this machine only), not a host name (got "
                    + EnvReader.quote(address) + ")");
            return DEFAULT_BIND_ADDRESS;
        }
        if (!isOwn(parsed)) {
            env.problem("BIND_ADDRESS " + EnvReader.quote(address) + " is not an address of this "
                    + "machine: use 0.0.0.0, 127.0.0.1 or one of its own addresses");
        }
        return address;
    }

    private static boolean isOwn(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true; // cannot tell: binding will say so if it is not
        }
    }
}

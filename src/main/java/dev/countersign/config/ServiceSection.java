package dev.countersign.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where the service keeps its data, which port it serves and how much it logs. */
final class ServiceSection {

    static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/countersign.db";
    static final int DEFAULT_PORT = 3000;
    static final String DEFAULT_LOG_LEVEL = "INFO";

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
}

package dev.countersign.config;

import java.util.Locale;
import java.util.Set;

/** Where the service keeps its data, which port it serves and how much it logs. */
final class ServiceSection {

    static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/countersign.db";
    static final int DEFAULT_PORT = 3000;
    static final String DEFAULT_LOG_LEVEL = "INFO";

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN",
            "ERROR");

    private ServiceSection() {
    }

    static String databaseUrl(EnvReader env) {
        String url = env.text("DATABASE_URL", DEFAULT_DATABASE_URL);
        if (!url.startsWith(SQLITE_PREFIX) || url.length() == SQLITE_PREFIX.length()) {
            env.problem(
                    "DATABASE_URL must be a SQLite JDBC URL like " + DEFAULT_DATABASE_URL);
        }
        return url;
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

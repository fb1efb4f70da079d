package dev.countersign.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code LOG_LEVEL}. Libraries that print request bodies or headers below INFO (the Slack
 * SDK logs whole requests at DEBUG, including view submissions with codes in them) never go below
 * INFO, whatever the level asked for.
 */
public final class LogLevels {

    private static final List<String> NEVER_BELOW_INFO = List.of(
            "com.slack.api", "okhttp3", "org.eclipse.jetty", "org.glassfish.tyrus", "org.sqlite",
            "com.zaxxer", "jakarta");

    private LogLevels() {
    }

    public static void apply(String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext)) {
            return;
        }
        Level wanted = Level.toLevel(level, Level.INFO);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(wanted);
        Level floor = wanted.isGreaterOrEqual(Level.INFO) ? wanted : Level.INFO;
        for (String name : NEVER_BELOW_INFO) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            if (logger.getLevel() == null || !logger.getLevel().isGreaterOrEqual(floor)) {
                logger.setLevel(floor);
            }
        }
    }
}

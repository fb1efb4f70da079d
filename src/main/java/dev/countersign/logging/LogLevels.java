package dev.countersign.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;

/**
 * Applies {@code LOG_LEVEL}. Libraries that print request bodies or headers below INFO (the Slack
 * SDK logs whole requests at DEBUG, including view submissions with codes in them) never go below
 * INFO, whatever the level asked for. Jetty says nothing below WARN: its INFO lines are a
 * banner and one line per connector and context started or stopped, which our own "ready" and
 * "stopped" lines already say.
 */
public final class LogLevels {

    private static final List<String> NEVER_BELOW_INFO = List.of(
            "com.slack.api", "okhttp3", "org.glassfish.tyrus", "org.sqlite",
            "com.zaxxer", "jakarta");
    private static final List<String> NEVER_BELOW_WARN = List.of("org.eclipse.jetty");

    private LogLevels() {
    }

    public static void apply(String level) {
        LogSetup.context().ifPresent(context -> apply(context, level));
    }

    /**
     * On {@code context} itself: logback's configurator runs while SLF4J is still starting, when
     * asking SLF4J for the context would wait for the very start-up it is part of (that wait
     * once held every start for ten seconds).
     */
    static void apply(LoggerContext context, String level) {
        Level wanted = Level.toLevel(level, Level.INFO);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(wanted);
        raise(context, NEVER_BELOW_INFO, wanted.isGreaterOrEqual(Level.INFO) ? wanted
                : Level.INFO);
        raise(context, NEVER_BELOW_WARN, wanted.isGreaterOrEqual(Level.WARN) ? wanted
                : Level.WARN);
    }

    private static void raise(LoggerContext context, List<String> names, Level floor) {
        for (String name : names) {
            Logger logger = context.getLogger(name);
            if (logger.getLevel() == null || !logger.getLevel().isGreaterOrEqual(floor)) {
                logger.setLevel(floor);
            }
        }
    }
}

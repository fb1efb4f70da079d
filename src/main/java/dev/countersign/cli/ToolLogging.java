package dev.countersign.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.countersign.logging.LogSetup;
import org.slf4j.LoggerFactory;

/**
 * Logging for the operator's tools: warnings and errors only, on standard error. Their results go
 * to standard output ({@code audit export > audit.csv}), where start-up lines would
 * otherwise end up among the rows.
 */
public final class ToolLogging {

    private ToolLogging() {
    }

    /** Replaces the logging set-up of this process; call only when running a tool. */
    public static void toStandardError() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: its own configuration decides
        }
        context.reset();
        LogSetup.console(context, "System.err", "%level %logger{0}: %redactedMsg%n%redactedEx",
                Level.WARN);
    }
}

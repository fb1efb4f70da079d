package dev.countersign.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logging set up in code (found by logback as a service), not from a {@code logback.xml}: reading
 * the XML took 0.6 s of the 2 s start-up budget. Every message passes through {@link Redaction},
 * so tokens and phone numbers never reach the log. A {@code logback-test.xml} on the class path,
 * or an operator's {@code -Dlogback.configurationFile}, still wins.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The server's line: UTC time, level, thread, logger, redacted message and stack trace. */
    static final String SERVER_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX, UTC} %-5level [%thread] %logger{1} - %redactedMsg%n%redactedEx";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (LogSetup.class.getClassLoader().getResource("logback-test.xml") != null
                || System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        asyncConsole(context, SERVER_PATTERN, Level.INFO);
        LogLevels.apply(Level.INFO.levelStr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Writes out queued lines; the last thing a process does before it exits. */
    public static void flush() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    /** Replaces the root logger's output with one console appender writing redacted lines. */
    public static void console(LoggerContext context, String target, String pattern, Level level) {
        useOnly(context, consoleAppender(context, target, pattern), level);
    }

    /**
     * Like {@link #console}, but lines are written by a thread of their own. Writing to the
     * console takes a lock; with hundreds of threads logging, the single database writer (which
     * logs each step of an approval) queued behind it. Nothing is dropped: when the queue is
     * full, callers wait, as they did before.
     */
    static void asyncConsole(LoggerContext context, String pattern, Level level) {
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setMaxFlushTime(2000);
        async.addAppender(consoleAppender(context, "System.out", pattern));
        async.start();
        useOnly(context, async, level);
    }

    private static Appender<ILoggingEvent> consoleAppender(LoggerContext context, String target,
                                                           String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.getInstanceConverterMap().put("redactedMsg", RedactingMessageConverter::new);
        layout.getInstanceConverterMap().put("redactedEx", RedactingThrowableConverter::new);
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget(target);
        console.setEncoder(encoder);
        console.start();
        return console;
    }

    private static void useOnly(LoggerContext context, Appender<ILoggingEvent> appender,
                                Level level) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(level);
        root.addAppender(appender);
    }
}

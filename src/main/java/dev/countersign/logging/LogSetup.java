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
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.SubstituteLoggerFactory;

/**
 * Logging set up in code (found by logback as a service), not from a {@code logback.xml}: reading
 * the XML took 0.6 s of the 2 s start-up budget. Every message passes through {@link Redaction},
 * so tokens and phone numbers never reach the log. A {@code logback-test.xml} on the class path,
 * or an operator's {@code -Dlogback.configurationFile}, still wins (though {@code LOG_FORMAT=json},
 * asked for explicitly, replaces a test configuration's output: see {@link #use}).
 *
 * <p>Lines are UTF-8 whatever the locale: a masked phone ({@code •••• 0123}) must not turn into
 * {@code ???? 0123} under {@code LANG=C} or {@code -Dfile.encoding=COMPAT}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The server's line: UTC time, level, thread, logger, redacted message and stack trace. */
    static final String SERVER_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX, UTC} %-5level [%thread] %logger{1} - %redactedMsg%n%redactedEx";

    /**
     * The MDC key for the short reference ({@code CS-7K3P9Q}) of the request a thread works for;
     * {@code LOG_FORMAT=json} writes it as the line's {@code reference} field.
     */
    public static final String REFERENCE = "reference";
    /** Far longer than SLF4J and logback take to start, even on a busy two-core machine. */
    private static final Duration INITIALIZATION_WAIT = Duration.ofSeconds(10);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (LogSetup.class.getClassLoader().getResource("logback-test.xml") != null
                || System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        asyncConsole(context, SERVER_PATTERN, Level.INFO);
        LogLevels.apply(context, Level.INFO.levelStr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Writes the server's lines in {@code format} from now on. Text is what {@link #configure}
     * already set up, so it changes nothing; JSON replaces the output unless an operator's
     * {@code -Dlogback.configurationFile} is in charge, which is left alone.
     */
    public static void use(LogFormat format) {
        Optional<LoggerContext> started = context();
        if (started.isEmpty()) {
            return;
        }
        LoggerContext context = started.get();
        switch (format) {
            case TEXT -> { }
            case JSON -> {
                if (System.getProperty("logback.configurationFile") != null) {
                    context.getLogger(LogSetup.class).warn("LOG_FORMAT=json ignored: "
                            + "-Dlogback.configurationFile decides how lines are written");
                    return;
                }
                asyncConsole(context, JsonLines.encoder(context),
                        context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
            }
        }
    }

    /**
     * Logback's context once SLF4J has finished starting, on whichever thread began it (often
     * Warmup's, loading classes with loggers in parallel with start-up). Until then SLF4J hands
     * other threads a stand-in factory, and a level or format set on it would be lost: that is
     * how LOG_LEVEL=DEBUG was once ignored. Empty when logback is not the logging back end.
     */
    static Optional<LoggerContext> context() {
        long deadline = System.nanoTime() + INITIALIZATION_WAIT.toNanos();
        while (true) {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            if (factory instanceof LoggerContext context) {
                return Optional.of(context);
            }
            if (!(factory instanceof SubstituteLoggerFactory) || System.nanoTime() > deadline) {
                return Optional.empty();
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos()); // bounded by the deadline
        }
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
        asyncConsole(context, textEncoder(context, pattern), level);
    }

    static void asyncConsole(LoggerContext context, Encoder<ILoggingEvent> encoder, Level level) {
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setMaxFlushTime(2000);
        async.addAppender(consoleAppender(context, "System.out", encoder));
        async.start();
        useOnly(context, async, level);
    }

    private static Appender<ILoggingEvent> consoleAppender(LoggerContext context, String target,
                                                           String pattern) {
        return consoleAppender(context, target, textEncoder(context, pattern));
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context, String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.getInstanceConverterMap().put("redactedMsg", RedactingMessageConverter::new);
        layout.getInstanceConverterMap().put("redactedEx", RedactingThrowableConverter::new);
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    private static Appender<ILoggingEvent> consoleAppender(LoggerContext context, String target,
                                                           Encoder<ILoggingEvent> encoder) {
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

package dev.countersign.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.JsonWritingUtils;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * {@code LOG_FORMAT=json}: one object per line, {@code {"timestamp":"2026-11-01T10:00:00.123Z",
 * "level":"INFO","logger":"…","thread":"…","message":"…","reference":"CS-7K3P9Q",
 * "exception":"…"}}, the last two only when there is one. The message and the stack trace pass
 * through {@link Redaction}, exactly as in the text lines; of the MDC only {@code reference}
 * is written, so nothing put there for another purpose can leak.
 */
final class JsonLines {

    private JsonLines() {
    }

    static LoggingEventCompositeJsonEncoder encoder(LoggerContext context) {
        LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
        LoggingEventFormattedTimestampJsonProvider timestamp =
                new LoggingEventFormattedTimestampJsonProvider();
        timestamp.setFieldName("timestamp");
        timestamp.setPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        timestamp.setTimeZone("UTC");
        providers.addTimestamp(timestamp);
        LogLevelJsonProvider level = new LogLevelJsonProvider();
        level.setFieldName("level");
        providers.addLogLevel(level);
        LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
        logger.setFieldName("logger");
        providers.addLoggerName(logger);
        LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName("thread");
        providers.addThreadName(thread);
        providers.addMessage(new RedactedMessage());
        MdcJsonProvider mdc = new MdcJsonProvider();
        mdc.addIncludeMdcKeyName(LogSetup.REFERENCE);
        providers.addMdc(mdc);
        StackTraceJsonProvider exception = new StackTraceJsonProvider();
        exception.setFieldName("exception");
        exception.setThrowableConverter(new RedactingThrowableConverter());
        providers.addStackTrace(exception);

        LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
        encoder.setContext(context);
        encoder.setProviders(providers);
        encoder.start();
        return encoder;
    }

    /** The formatted message, redacted. */
    private static final class RedactedMessage extends MessageJsonProvider {
        @Override
        public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
            JsonWritingUtils.writeStringField(generator, getFieldName(),
                    Redaction.apply(event.getFormattedMessage()));
        }
    }
}

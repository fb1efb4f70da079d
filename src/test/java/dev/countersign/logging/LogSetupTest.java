package dev.countersign.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The server's own logging set-up (no logback.xml, lines written from a queue): every line goes
 * through Redaction.
 */
class LogSetupTest {

    /** Shaped like a bot token so Redaction catches it; obviously not a real one. */
    private static final String FAKE_TOKEN = "xoxb-" + "fake-test-token";

    @Test
    void serverLinesAreRedactedAndStampedInUtc() {
        String line = logThroughServerSetup("posting with " + FAKE_TOKEN + " for +12015550123",
                new IllegalStateException("token " + FAKE_TOKEN + " refused"));

        assertThat(line).doesNotContain("fake-test-token").doesNotContain("2015550123")
                .contains("•••• 0123").contains("xoxb-(redacted)")
                .contains("IllegalStateException")
                .matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[main\\] "
                        + "d\\.c\\.l\\.LogSetupTest - posting.*");
    }

    @Test
    void jsonLinesAreRedactedInMessageAndExceptionAndCarryTheReference() throws Exception {
        String output = logThroughJson("posting with " + FAKE_TOKEN + " for +12015550123",
                new IllegalStateException("token " + FAKE_TOKEN + " refused for +12015550123"));

        assertThat(output).endsWith("\n").doesNotContain("fake-test-token")
                .doesNotContain("2015550123");
        JsonNode line = new ObjectMapper().readTree(output);
        assertThat(line.path("message").asText())
                .isEqualTo("posting with xoxb-(redacted) for •••• 0123");
        assertThat(line.path("exception").asText()).startsWith(
                "java.lang.IllegalStateException: token xoxb-(redacted) refused for •••• 0123");
        assertThat(line.path("reference").asText()).isEqualTo("CS-7K3P9Q");
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("logger").asText()).isEqualTo(LogSetupTest.class.getName());
        assertThat(line.path("thread").asText()).isEqualTo("main");
        assertThat(line.path("timestamp").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(output).as("only the reference is taken from the MDC")
                .doesNotContain("never-written");
    }

    @Test
    void aDatabaseUrlsPasswordIsMaskedInAnyLine() {
        String line = logThroughServerSetup("cannot reach jdbc:postgresql://db/countersign?user=cs"
                + "&password=hunter2-fake&ssl=true", new IllegalStateException(
                "refused for jdbc:postgresql://db/cs?PASSWORD=hunter2-fake"));

        assertThat(line).doesNotContain("hunter2-fake")
                .contains("?user=cs&password=***&ssl=true").contains("?PASSWORD=***");
    }

    @Test
    void stepsBackForATestConfigurationOnTheClassPath() {
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);

        assertThat(setup.configure(context))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }

    private static String logThroughJson(String message, Throwable failure) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        LogbackMDCAdapter mdc = new LogbackMDCAdapter();
        try {
            context.setMDCAdapter(mdc);
            context.start();
            LogSetup.asyncConsole(context, JsonLines.encoder(context), Level.INFO);
            mdc.put(LogSetup.REFERENCE, "CS-7K3P9Q");
            mdc.put("secret", "never-written");
            context.getLogger(LogSetupTest.class).info(message, failure);
        } finally {
            mdc.clear();
            context.stop();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static String logThroughServerSetup(String message, Throwable failure) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        try {
            context.setMDCAdapter(new LogbackMDCAdapter());
            context.start();
            LogSetup.asyncConsole(context, LogSetup.SERVER_PATTERN, Level.INFO);
            context.getLogger(LogSetupTest.class).info(message, failure);
        } finally {
            context.stop();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}

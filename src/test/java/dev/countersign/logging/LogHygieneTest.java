package dev.countersign.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs real flows (enroll, wrong code, right code, resend, a failed send) with every logger at
 * DEBUG and scans everything logged: no code, token, secret, full phone number or request body.
 */
class LogHygieneTest {

    @TempDir
    Path dir;

    @Test
    void nothingSecretIsLoggedAtDebug() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (TestApp app = TestApp.start(dir, Map.of("LOG_LEVEL", "DEBUG"))) {
            String user = "U0LOGS0001";
            app.enroll(user, TestApp.PHONE);
            TestApp.Pending pending = app.request("pay 2500 USD to Acme Corp for INV-1042", user);
            app.client.submitCode(pending.viewId(), pending.requestId(), user, "000000");
            app.client.submitCode(pending.viewId(), pending.requestId(), user,
                    FakeSignalWire.DEFAULT_CODE);
            TestApp.Pending second = app.request("pay 10 USD to Initech", user);
            app.client.modalButton(second.viewId(), second.requestId(), user, "countersign_resend_call");
            app.signalWire.failNextStart(422);
            SlackClient.Reply failing = app.client.command("pay 20 USD to Hooli", user);
            assertThat(failing.status()).isEqualTo(200);
            app.slack.await("views.update", call -> call.text().contains("could not be sent"),
                    TestApp.WAIT);

            List<String> lines = lines(captured.list);
            assertThat(lines).as("something was logged at DEBUG").isNotEmpty();
            assertThat(root.getLevel().levelStr).isEqualTo("DEBUG");
            String everything = String.join("\n", lines);
            assertThat(everything)
                    .doesNotContain(FakeSignalWire.DEFAULT_CODE)
                    .doesNotContain("000000")
                    .doesNotContain("2015550123")
                    .doesNotContain(app.env.get("SLACK_BOT_TOKEN"))
                    .doesNotContain(app.env.get("SLACK_SIGNING_SECRET"))
                    .doesNotContain(FakeSignalWire.TOKEN)
                    .doesNotContain("trigger_id=")
                    .doesNotContain("payload=")
                    .doesNotContain("response_url")
                    .doesNotContain("/response/");
        } finally {
            root.detachAppender(captured);
            LogLevels.apply("INFO");
        }
    }

    private static List<String> lines(List<ILoggingEvent> events) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(events)) {
            lines.add(event.getLoggerName() + " " + event.getFormattedMessage());
            for (IThrowableProxy error = event.getThrowableProxy(); error != null;
                 error = error.getCause()) {
                lines.add(error.getClassName() + ": " + error.getMessage());
            }
        }
        return lines;
    }
}

package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real server on a free port, a temp SQLite file, and a Slack Web API that answers 300 ms
 * late: the command's acknowledgement must not wait for Slack. Shown causally: the ack comes back
 * while Slack is still holding the {@code views.open} it was sent.
 */
class EndToEndAckTest {

    private static final Logger log = LoggerFactory.getLogger(EndToEndAckTest.class);

    @TempDir
    Path dir;

    @Test
    void acknowledgementDoesNotWaitForSlowSlack() throws Exception {
        FakeSlackApi slack = FakeSlackApi.start().latency(Duration.ofMillis(300));
        try (TestApp app = TestApp.start(dir, Map.of(), slack)) {
            String user = "U0E2E00001";
            app.enroll(user, TestApp.PHONE);
            CountDownLatch release = new CountDownLatch(1);
            slack.holdNext("views.open", release);

            SlackClient.Reply ack = app.client.command("pay 2500 USD to Acme Corp", user);

            FakeSlackApi.Call open = slack.await("views.open",
                    call -> ack.triggerId().equals(call.params().get("trigger_id")), TestApp.WAIT);
            assertThat(ack.status()).isEqualTo(200);
            assertThat(ack.body()).isEmpty();
            assertThat(open.answered()).as("views.open still unanswered when the ack arrived").isNull();
            release.countDown();
            slack.await("views.update", call -> call.text().contains("We sent a 6-digit code"),
                    TestApp.WAIT);
            log.info("ack latency with Slack answering 300 ms late: {} ms", ack.elapsed().toMillis());
        }
    }
}

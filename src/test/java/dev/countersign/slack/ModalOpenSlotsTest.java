package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewTitle;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.TestApp;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code views.open} never waits for a slot behind other Slack calls: its trigger dies 3 s
 * after the click, while updates and posts can wait. Under overload (300 commands/s with Slack
 * answering in 300 ms) every slot was taken by updates and response_urls, and modals opened too
 * late or not at all.
 */
class ModalOpenSlotsTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private FakeSlackApi slack;
    private SlackGateway gateway;

    @BeforeEach
    void start() {
        slack = FakeSlackApi.start();
        gateway = new SlackGateway(new OkHttpClient(), slack.apiUrl(), "xoxb-test-slots",
                Duration.ZERO, SlackCalls.NONE, 2);
    }

    @AfterEach
    void stop() {
        release.countDown();
        callers.close();
        slack.close();
    }

    @Test
    void aModalOpensWhileEveryOtherSlotIsTaken() {
        slack.lose(release, "views.update");
        for (int i = 0; i < 2; i++) {
            String viewId = "V0HELD" + i;
            callers.submit(() -> gateway.updateModal(viewId, null, modal()));
        }
        TestApp.awaitCondition(() -> slack.lostCalls().size() == 2, "both updates held by Slack");

        SlackReply<SlackGateway.ViewRef> opened = gateway.openModal("1.2.3", modal());

        assertThat(opened.ok()).as("views.open answered: %s", opened.error()).isTrue();
        assertThat(slack.calls("views.open")).hasSize(1);
    }

    @Test
    void nearCapacityWhileThreeQuartersOfTheOtherSlotsAreTaken() {
        SlackGateway four = new SlackGateway(new OkHttpClient(), slack.apiUrl(),
                "xoxb-test-slots", Duration.ZERO, SlackCalls.NONE, 4);
        slack.lose(release, "views.update");
        assertThat(four.nearCapacity()).as("idle").isFalse();
        for (int i = 0; i < 3; i++) {
            String viewId = "V0HELD" + i;
            callers.submit(() -> four.updateModal(viewId, null, modal()));
        }
        TestApp.awaitCondition(() -> slack.lostCalls().size() == 3, "three updates held by Slack");

        assertThat(four.nearCapacity()).isTrue();
        assertThat(gateway.nearCapacity()).as("another gateway's slots are its own").isFalse();
    }

    private static View modal() {
        return View.builder().type("modal").title(ViewTitle.builder().type("plain_text")
                .text("Slots").build()).build();
    }
}

package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a decision must tell people is recorded with it and given again when Slack failed to take
 * it for now, and never again once Slack says it can't be (the modal is gone). Runs on a clock
 * the test moves, so retry delays pass at once.
 */
class NoticeRedeliveryTest {

    @TempDir
    static Path dir;
    static TestApp app;
    static MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(dir, Map.of(), FakeSlackApi.start(), clock);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aModalUpdateSlackFailedForNowIsGivenAgainOnceWhenItComesDue() {
        TestApp.Pending pending = expiredWhileSlackAnswers("internal_error", "U0REDO", 41,
                "Pendant Publishing");
        assertThat(expiredScreens(pending)).as("the failed try").hasSize(1);
        clock.advance(Duration.ofSeconds(6));
        app.app.redeliverNoticesNow();

        FakeSlackApi.Call shown = app.slack.await("views.update",
                call -> pending.viewId().equals(call.params().get("view_id"))
                        && call.text().contains("Expired")
                        && call.answered().path("ok").asBoolean(), TestApp.WAIT);
        assertThat(shown.text()).contains("Nothing was approved");
        clock.advance(Duration.ofMinutes(5));
        app.app.redeliverNoticesNow();
        assertThat(expiredScreens(pending)).as("the failed try and the one that worked")
                .hasSize(2);
        assertThat(app.slack.calls("response_url")).as("the requester is told once")
                .filteredOn(call -> call.text().contains("Pendant Publishing")
                        && call.text().contains("expired")).hasSize(1);
    }

    @Test
    void aModalSlackNoLongerKnowsIsGivenUpNotTriedAgain() {
        TestApp.Pending pending = expiredWhileSlackAnswers("not_found", "U0GONE", 42,
                "Vandelay Imports");
        clock.advance(Duration.ofMinutes(10));
        app.app.redeliverNoticesNow();

        assertThat(expiredScreens(pending)).as("one try, never repeated").hasSize(1);
    }

    @Test
    void aNoticeSlackKeepsFailingIsGivenUpHalfAnHourAfterTheDecision() {
        String user = app.enrolledUser("U0STUCK");
        TestApp.Pending pending = app.request("pay 43 USD to Kruger Industrial", user);
        app.slack.failNext("views.update", "internal_error", 1_000);
        try {
            clock.advance(Duration.ofMinutes(6));
            app.app.sweepExpiredNow();
            for (int minutes = 0; minutes <= 32; minutes += 2) {
                clock.advance(Duration.ofMinutes(2));
                app.app.redeliverNoticesNow();
            }
            int tries = expiredScreens(pending).size();
            clock.advance(Duration.ofMinutes(10));
            app.app.redeliverNoticesNow();

            assertThat(tries).as("tried again while worth it").isGreaterThan(5);
            assertThat(expiredScreens(pending)).as("never after half an hour").hasSize(tries);
        } finally {
            app.slack.failNext("views.update", "internal_error", 0);
        }
    }

    /**
     * A payment to {@code payee} left to expire while Slack answers the modal's one update with
     * {@code error}; returns once the requester has been told it expired.
     */
    private static TestApp.Pending expiredWhileSlackAnswers(String error, String userPrefix,
                                                            int amount, String payee) {
        String user = app.enrolledUser(userPrefix);
        TestApp.Pending pending = app.request("pay " + amount + " USD to " + payee, user);
        app.slack.failNext("views.update", error, 1);

        clock.advance(Duration.ofMinutes(6));
        app.app.sweepExpiredNow();
        app.slack.await("response_url", call -> call.text().contains(payee)
                && call.text().contains("expired"), TestApp.WAIT);
        return pending;
    }

    private static List<FakeSlackApi.Call> expiredScreens(TestApp.Pending pending) {
        return app.slack.calls("views.update").stream()
                .filter(call -> pending.viewId().equals(call.params().get("view_id"))
                        && call.text().contains("Expired"))
                .toList();
    }
}

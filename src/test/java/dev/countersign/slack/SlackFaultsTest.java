package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.testing.AppPerClass;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What people see when Slack or SignalWire misbehave, and what is stored. */
class SlackFaultsTest extends AppPerClass {

    private static String enrolledUser() {
        return app.enrolledUser("U0FAULT");
    }

    @Test
    void expiredTriggerEndsTheRequestTellsTheUserAndSendsNothing() {
        String user = enrolledUser();
        int startsBefore = app.signalWire.starts().size();
        app.slack.failNext("views.open", "expired_trigger_id", 1);

        SlackClient.Reply ack = app.client.command("pay 100 USD to Umbrella", user);

        FakeSlackApi.Call told = app.slack.await("response_url",
                call -> call.text().contains("expired_trigger_id"), TestApp.WAIT);
        assertThat(ack.status()).isEqualTo(200);
        assertThat(told.text()).contains("run the command again").contains("Nothing was sent");
        assertThat(told.json().path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(app.signalWire.starts()).hasSize(startsBefore);
        assertThat(app.client.command("status", user).body()).contains("failed")
                .doesNotContain("waiting for a code");
    }

    @Test
    void rateLimitedModalUpdateIsRetriedAfterRetryAfter() {
        String user = enrolledUser();
        app.slack.rateLimitNext("views.update", 1);

        TestApp.Pending pending = app.request("pay 7 USD to Soylent", user);

        FakeSlackApi.Call shown = app.slack.await("views.update",
                call -> pending.viewId().equals(call.params().get("view_id"))
                        && call.text().contains("We sent a 6-digit code") && call.answered() != null
                        && call.answered().path("ok").asBoolean(), TestApp.WAIT);
        long attempts = app.slack.calls("views.update").stream()
                .filter(call -> pending.viewId().equals(call.params().get("view_id"))).count();
        assertThat(shown).isNotNull();
        assertThat(attempts).as("refused once with 429, then sent again").isEqualTo(2);
    }

    @Test
    void hashConflictIsRetriedOnce() {
        String user = enrolledUser();
        app.slack.failNext("views.update", "hash_conflict", 1);

        TestApp.Pending pending = app.request("pay 8 USD to Gekko", user);

        app.slack.await("views.update", call -> pending.viewId().equals(call.params().get("view_id"))
                && call.text().contains("We sent a 6-digit code") && call.answered() != null
                && call.answered().path("ok").asBoolean(), TestApp.WAIT);
        assertThat(app.slack.calls("views.update").stream()
                .filter(call -> pending.viewId().equals(call.params().get("view_id"))).count())
                .isEqualTo(2);
    }

    @Test
    void failedSendShowsWhatToDoAndEndsTheRequest() {
        for (int status : new int[] {401, 422, 429, 500}) {
            String user = enrolledUser();
            app.signalWire.failNextStart(status);
            int startsBefore = app.signalWire.starts().size();

            SlackClient.Reply ack = app.client.command("pay 42 USD to Cyberdyne " + status, user);

            FakeSlackApi.Call update = app.slack.await("views.update",
                    call -> call.text().contains("could not be sent")
                            && call.text().contains("Cyberdyne " + status), TestApp.WAIT);
            assertThat(ack.status()).isEqualTo(200);
            assertThat(update.text()).contains("Nothing was approved");
            assertThat(app.signalWire.starts()).as("never retried").hasSize(startsBefore + 1);
            assertThat(app.client.command("status", user).body()).contains("*failed*");
        }
    }

    @Test
    void slowCheckAnswersCheckingThenUpdatesTheModal() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 64 USD to Wonka", user);
        app.signalWire.delayVerify(Duration.ofMillis(3500));
        try {
            SlackClient.Reply reply = app.client.submitCode(pending.viewId(), pending.requestId(),
                    user, FakeSignalWire.DEFAULT_CODE);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.elapsed()).isLessThan(Duration.ofMillis(2900));
            JsonNode answer = reply.json();
            assertThat(answer.path("response_action").asText()).isEqualTo("update");
            assertThat(answer.toString()).contains("Checking your code");
            app.slack.await("views.update", call -> pending.viewId().equals(call.params().get("view_id"))
                    && call.text().contains("*Approved.*"), TestApp.WAIT);
            app.slack.await("response_url", call -> call.text().contains("Wonka")
                    && call.text().contains("Approved by"), TestApp.WAIT);
        } finally {
            app.signalWire.delayVerify(Duration.ZERO);
        }
    }

    @Test
    void failedCheckIsNotCountedAsAnAttempt() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 65 USD to Tyrell", user);
        app.signalWire.failNextVerify(503);

        SlackClient.Reply failed = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                "111111");
        SlackClient.Reply wrong = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                "222222");

        assertThat(failed.json().path("errors").path("code").asText()).contains("wasn't counted");
        assertThat(wrong.json().path("errors").path("code").asText()).contains("2 attempts left");
    }

    @Test
    void usedUpAttemptsLockTheRequest() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 66 USD to Oscorp", user);

        app.client.submitCode(pending.viewId(), pending.requestId(), user, "111111");
        app.client.submitCode(pending.viewId(), pending.requestId(), user, "222222");
        SlackClient.Reply third = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                "333333");
        SlackClient.Reply right = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);

        assertThat(third.body()).contains("Locked");
        assertThat(right.body()).contains("Locked").doesNotContain("*Approved.*");
        assertThat(app.client.command("status", user).body()).contains("*locked*");
    }

    @Test
    void malformedCodeUsesNoAttemptAndAsksForDigits() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 67 USD to Gringotts", user);
        int verifiesBefore = app.signalWire.verifies().size();

        SlackClient.Reply reply = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                "12ab");

        assertThat(reply.json().path("errors").path("code").asText()).contains("6-digit");
        assertThat(app.signalWire.verifies()).hasSize(verifiesBefore);
    }
}

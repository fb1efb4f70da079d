package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phones and accounts through Slack: changing a phone (two codes, a DM, the hold), admin reset,
 * resend and voice call, expiry, limits, cancel, and the Home tab. The server runs on a clock the
 * test moves, so cooldowns and expiry need no waiting.
 */
class AccountFlowsTest {

    static final String ADMIN = "U0ADMIN001";

    @TempDir
    static Path dir;
    static TestApp app;
    static MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(dir, Map.of("ADMIN_USER_IDS", ADMIN, "MAX_CODES_PER_USER_PER_HOUR", "4"),
                FakeSlackApi.start(), clock);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String newUser() {
        return app.newUser("U0ACCT");
    }

    @Test
    void changingPhoneNeedsCurrentThenNewPhoneAndHoldsLargePayments() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);
        clock.advance(Duration.ofMinutes(1));
        int startsBefore = app.signalWire.starts().size();

        TestApp.Pending change = app.request("enroll +12015550456", user);
        assertThat(app.signalWire.starts().get(startsBefore).text("to")).isEqualTo(TestApp.PHONE);
        SlackClient.Reply first = app.client.submitCode(change.viewId(), change.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(first.body()).contains("Sending a code").contains("•••• 0456");
        TestApp.awaitCondition(() -> app.signalWire.starts().size() > startsBefore + 1, "second code");
        assertThat(app.signalWire.starts().get(startsBefore + 1).text("to")).isEqualTo("+12015550456");
        assertThat(app.client.command("status", user).body()).contains("•••• 0123");
        app.slack.await("views.update", call -> change.viewId().equals(call.params().get("view_id"))
                && call.text().contains("We sent a 6-digit code by SMS to •••• 0456"), TestApp.WAIT);

        SlackClient.Reply second = app.client.submitCode(change.viewId(), change.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);

        assertThat(second.body()).contains("is now your Countersign phone");
        assertThat(app.client.command("status", user).body()).contains("•••• 0456");
        app.slack.await("chat.postMessage", call -> user.equals(call.params().get("channel"))
                && call.text().contains("•••• 0456"), TestApp.WAIT);
        SlackClient.Reply large = app.client.command("pay 5000 USD to Big Vendor", user);
        assertThat(large.json().path("text").asText()).contains("on hold");
        assertThat(app.client.command("pay 500 USD to Small Vendor", user).body()).isEmpty();
    }

    @Test
    void adminResetRemovesPhoneAndTellsTheUser() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);

        SlackClient.Reply refused = app.client.command("admin reset <@" + user + "|someone>", newUser());
        SlackClient.Reply reset = app.client.command("admin reset <@" + user + "|someone>", ADMIN);

        assertThat(refused.json().path("text").asText()).contains("Only Countersign admins");
        assertThat(reset.json().path("text").asText()).contains("Removed");
        app.slack.await("chat.postMessage", call -> user.equals(call.params().get("channel"))
                && call.text().contains("removed your enrolled phone"), TestApp.WAIT);
        assertThat(app.client.command("pay 5 USD to Acme", user).json().path("text").asText())
                .contains("enroll");
    }

    @Test
    void resendIsRefusedDuringCooldownThenCallsInstead() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);
        TestApp.Pending pending = app.request("pay 31 USD to Vandelay", user);
        int startsBefore = app.signalWire.starts().size();

        app.client.modalButton(pending.viewId(), pending.requestId(), user, "countersign_resend_sms");
        app.slack.await("views.update", call -> pending.viewId().equals(call.params().get("view_id"))
                && call.text().contains("Wait "), TestApp.WAIT);
        assertThat(app.signalWire.starts()).hasSize(startsBefore);

        clock.advance(Duration.ofSeconds(31));
        app.client.modalButton(pending.viewId(), pending.requestId(), user, "countersign_resend_call");
        TestApp.awaitCondition(() -> app.signalWire.starts().size() > startsBefore, "a call");
        assertThat(app.signalWire.starts().get(startsBefore).path()).endsWith("/mfa/call");
        app.slack.await("views.update", call -> pending.viewId().equals(call.params().get("view_id"))
                && call.text().contains("We're calling"), TestApp.WAIT);

        SlackClient.Reply approved = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(approved.body()).contains("*Approved.*");
        app.slack.await("response_url", call -> call.text().contains("Vandelay")
                && call.text().contains("voice call"), TestApp.WAIT);
    }

    @Test
    void expiredRequestIsEndedAndTheModalAndRequesterAreTold() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);
        TestApp.Pending pending = app.request("pay 32 USD to Kramerica", user);

        clock.advance(Duration.ofMinutes(6));
        int expired = app.app.sweepExpiredNow();

        assertThat(expired).isGreaterThanOrEqualTo(1);
        app.slack.await("views.update", call -> pending.viewId().equals(call.params().get("view_id"))
                && call.text().contains("Expired"), TestApp.WAIT);
        app.slack.await("response_url", call -> call.text().contains("Kramerica")
                && call.text().contains("expired"), TestApp.WAIT);
        SlackClient.Reply late = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(late.body()).contains("Expired").doesNotContain("*Approved.*");
    }

    @Test
    void sendLimitRefusesWithWhenToRetryAndSendsNothing() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);
        for (int i = 0; i < 3; i++) {
            app.request("pay " + (i + 1) + " USD to Limit " + i, user);
        }
        int startsBefore = app.signalWire.starts().size();

        SlackClient.Reply refused = app.client.command("pay 9 USD to One Too Many", user);

        assertThat(refused.json().path("text").asText()).contains("limit").contains("Try again after");
        assertThat(app.signalWire.starts()).hasSize(startsBefore);
    }

    @Test
    void cancelByReferenceEndsTheRequestAndItsModal() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);
        TestApp.Pending pending = app.request("sign NDA with Pendant Publishing", user);
        String reference = app.client.command("status", user).body().replaceAll("(?s).*?`(CS-[A-Z0-9]{6})`.*", "$1");

        SlackClient.Reply cancelled = app.client.command("cancel " + reference.toLowerCase(), user);
        SlackClient.Reply again = app.client.command("cancel " + reference, user);

        assertThat(cancelled.json().path("text").asText()).contains("Cancelled " + reference);
        assertThat(again.json().path("text").asText()).contains("already cancelled");
        app.slack.await("views.update", call -> pending.viewId().equals(call.params().get("view_id"))
                && call.text().contains("Cancelled"), TestApp.WAIT);
    }

    @Test
    void homeTabShowsMaskedPhoneAndOpenRequestsWithCancel() {
        String user = newUser();
        app.enroll(user, TestApp.PHONE);
        TestApp.Pending pending = app.request("pay 33 USD to Bluth Company", user);
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", "app_home_opened").put("user", user).put("channel", "D0HOME").put("tab", "home")
                .put("event_ts", "1700000000.1");

        assertThat(app.client.event(event).status()).isEqualTo(200);

        FakeSlackApi.Call home = app.slack.await("views.publish",
                call -> user.equals(call.params().get("user_id")), TestApp.WAIT);
        String shown = home.jsonParam("view").toString();
        assertThat(shown).contains("•••• 0123").contains("Bluth Company").contains("Cancel")
                .doesNotContain("2015550123");

        ObjectNode click = JsonNodeFactory.instance.objectNode();
        click.put("type", "block_actions").put("api_app_id", "A0CSAPP001").put("token", "t")
                .put("trigger_id", "1.2.3");
        click.putObject("team").put("id", FakeSlackApi.TEAM);
        click.putObject("user").put("id", user).put("team_id", FakeSlackApi.TEAM);
        click.putObject("container").put("type", "view").put("view_id", "VHOME");
        click.putObject("view").put("id", "VHOME").put("type", "home");
        click.putArray("actions").addObject().put("action_id", "countersign_home_cancel")
                .put("block_id", "open_x").put("type", "button").put("value", pending.requestId());
        assertThat(app.client.interact(click).status()).isEqualTo(200);

        app.slack.await("views.publish", call -> user.equals(call.params().get("user_id"))
                && call.text().contains("cancelled"), TestApp.WAIT);
        assertThat(app.client.command("status", user).body()).contains("*cancelled*");
    }
}

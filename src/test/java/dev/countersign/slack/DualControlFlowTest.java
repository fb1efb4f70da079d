package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Four-eyes through the real Bolt app: both codes needed, approver ≠ requester, Reject. */
class DualControlFlowTest {

    static final String CHANNEL = "C0APPROVALS";
    static final String APPROVER = "U0APPROVER1";
    static final String APPROVER_PHONE = "+12015550456";
    static final String OUTSIDER = "U0OUTSIDER1";

    @TempDir
    static Path dir;
    static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(dir, Map.of(
                "DUAL_CONTROL_THRESHOLDS", "USD:10000,*:10000",
                "DUAL_CONTROL_SIGNATURES", "true",
                "APPROVALS_CHANNEL", CHANNEL,
                "APPROVER_USER_IDS", APPROVER + ",U0REQUEST01",
                "ADMIN_USER_IDS", "U0REQUEST01"));
        app.enroll(APPROVER, APPROVER_PHONE);
        app.enroll(OUTSIDER, "+12015550789");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** Requester confirms a large payment; returns the approvals-channel message. */
    private static FakeSlackApi.Call requestAboveThreshold(String requester, String payee) {
        app.enroll(requester, TestApp.PHONE);
        TestApp.Pending pending = app.request("pay 12,000 USD to " + payee, requester);
        SlackClient.Reply confirmed = app.client.submitCode(pending.viewId(), pending.requestId(),
                requester, FakeSignalWire.DEFAULT_CODE);
        assertThat(confirmed.body()).contains("second approver").doesNotContain("*Approved.*");
        app.slack.await("response_url", call -> call.text().contains(payee)
                && call.text().contains("waiting for a second approver"), TestApp.WAIT);
        return app.slack.await("chat.postMessage", call -> CHANNEL.equals(call.params().get("channel"))
                && call.text().contains(payee) && call.answered() != null, TestApp.WAIT);
    }

    @Test
    void secondApproverWithOwnCodeApproves() {
        String requester = "U0REQUEST01";
        FakeSlackApi.Call posted = requestAboveThreshold(requester, "Acme Holdings");
        String ts = posted.answered().path("ts").asText();
        String requestId = posted.jsonParam("blocks").findValue("value").asText();
        int startsBefore = app.signalWire.starts().size();

        SlackClient.Reply self = app.client.messageButton(CHANNEL, ts, requester,
                "countersign_second_approve", requestId);
        app.slack.await("response_url", call -> call.text().contains("can't be its second approver"),
                TestApp.WAIT);
        SlackClient.Reply outsider = app.client.messageButton(CHANNEL, ts, OUTSIDER,
                "countersign_second_approve", requestId);
        app.slack.await("response_url", call -> call.text().contains("Only designated approvers"),
                TestApp.WAIT);
        assertThat(self.status()).isEqualTo(200);
        assertThat(outsider.status()).isEqualTo(200);
        assertThat(app.signalWire.starts()).as("no code for refused clicks").hasSize(startsBefore);

        SlackClient.Reply click = app.client.messageButton(CHANNEL, ts, APPROVER,
                "countersign_second_approve", requestId);
        FakeSlackApi.Call modal = app.slack.await("views.open",
                call -> click.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, TestApp.WAIT);
        TestApp.awaitCondition(() -> app.signalWire.starts().size() > startsBefore, "approver's code");
        assertThat(app.signalWire.starts().get(startsBefore).text("to")).isEqualTo(APPROVER_PHONE);
        assertThat(modal.jsonParam("view").toString()).contains("Acme Holdings")
                .contains("USD 12,000.00").contains("second approval");
        app.slack.await("views.update", call -> modal.viewId().equals(call.params().get("view_id"))
                && call.text().contains("We sent"), TestApp.WAIT);

        SlackClient.Reply approved = app.client.submitCode(modal.viewId(), requestId, APPROVER,
                FakeSignalWire.DEFAULT_CODE);

        assertThat(approved.body()).contains("*Approved.*");
        FakeSlackApi.Call updated = app.slack.await("chat.update",
                call -> ts.equals(call.params().get("ts")) && call.text().contains("Approved"),
                TestApp.WAIT);
        assertThat(updated.text()).contains("<@" + APPROVER + ">");
        app.slack.await("response_url", call -> call.text().contains("Acme Holdings")
                && call.text().contains("Approved by") && call.text().contains("<@" + APPROVER + ">")
                && call.text().contains("<@" + requester + ">"), TestApp.WAIT);
    }

    @Test
    void rejectAsksForReasonAndEndsTheRequest() {
        String requester = "U0REQUEST02";
        FakeSlackApi.Call posted = requestAboveThreshold(requester, "Initech Capital");
        String ts = posted.answered().path("ts").asText();
        String requestId = posted.jsonParam("blocks").findValue("value").asText();

        SlackClient.Reply rejected = reject(ts, requestId, "Vendor not on the approved list");

        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.body()).doesNotContain("errors");
        app.slack.await("chat.update", call -> ts.equals(call.params().get("ts"))
                && call.text().contains("Rejected") && call.text().contains("Vendor not on"), TestApp.WAIT);
        app.slack.await("response_url", call -> call.text().contains("Initech Capital")
                && call.text().contains("rejected"), TestApp.WAIT);
        assertThat(app.client.command("status", requester).body()).contains("*rejected*");
    }

    @Test
    void aRejectionWhileTheApprovalsPostIsOnItsWayStillEndsUpOnTheMessage() throws Exception {
        String requester = "U0REQUEST04";
        app.enroll(requester, TestApp.PHONE);
        TestApp.Pending pending = app.request("pay 15,000 USD to Umbrella Supply", requester);
        CountDownLatch release = new CountDownLatch(1);
        app.slack.holdNext("chat.postMessage", release);

        SlackClient.Reply confirmed = app.client.submitCode(pending.viewId(), pending.requestId(),
                requester, FakeSignalWire.DEFAULT_CODE);
        assertThat(confirmed.body()).contains("second approver");
        app.slack.await("chat.postMessage", call -> CHANNEL.equals(call.params().get("channel"))
                && call.text().contains("Umbrella Supply"), TestApp.WAIT);
        // The approver acts from the Home tab while Slack is still posting the message.
        SlackClient.Reply rejected = reject("1700000000.000100", pending.requestId(),
                "Duplicate of last week's payment");
        assertThat(rejected.body()).doesNotContain("errors");
        assertThat(app.client.command("status", requester).body()).contains("*rejected*");
        assertThat(app.slack.calls("chat.update")).noneMatch(call -> call.text()
                .contains("Duplicate of last week"));

        release.countDown();

        FakeSlackApi.Call posted = app.slack.await("chat.postMessage",
                call -> CHANNEL.equals(call.params().get("channel"))
                        && call.text().contains("Umbrella Supply") && call.answered() != null,
                TestApp.WAIT);
        String ts = posted.answered().path("ts").asText();
        FakeSlackApi.Call shown = app.slack.await("chat.update",
                call -> ts.equals(call.params().get("ts")) && call.text().contains("Rejected"),
                TestApp.WAIT);
        assertThat(shown.text()).contains("Duplicate of last week");
        assertThat(shown.jsonParam("blocks").toString())
                .as("no live Approve/Reject buttons").doesNotContain("countersign_second_");
    }

    /** Reject pressed on message {@code ts}, then the reason typed and submitted. */
    private static SlackClient.Reply reject(String ts, String requestId, String reason) {
        SlackClient.Reply click = app.client.messageButton(CHANNEL, ts, APPROVER,
                "countersign_second_reject", requestId);
        FakeSlackApi.Call modal = app.slack.await("views.open",
                call -> click.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, TestApp.WAIT);
        assertThat(modal.jsonParam("view").path("callback_id").asText())
                .isEqualTo("countersign_reject");
        var payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        payload.put("type", "view_submission");
        payload.putObject("team").put("id", FakeSlackApi.TEAM);
        payload.putObject("user").put("id", APPROVER).put("team_id", FakeSlackApi.TEAM);
        payload.put("api_app_id", "A0CSAPP001").put("token", "legacy-verification-token");
        payload.putObject("view").put("id", modal.viewId()).put("type", "modal")
                .put("callback_id", "countersign_reject")
                .put("private_metadata", requestId).putObject("state").putObject("values")
                .putObject("reason").putObject("value").put("type", "plain_text_input")
                .put("value", reason);
        return app.client.interact(payload);
    }

    @Test
    void smallPaymentNeedsNoSecondApprover() {
        String requester = "U0REQUEST03";
        app.enroll(requester, TestApp.PHONE);
        TestApp.Pending pending = app.request("pay 9,999.99 USD to Small Vendor", requester);

        SlackClient.Reply reply = app.client.submitCode(pending.viewId(), pending.requestId(),
                requester, FakeSignalWire.DEFAULT_CODE);

        assertThat(reply.body()).contains("*Approved.*");
    }
}

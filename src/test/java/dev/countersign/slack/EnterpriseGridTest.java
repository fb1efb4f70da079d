package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.SlackClient.Origin;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An org-wide install in Enterprise Grid: the same person ({@code W…}) shows up under the team id
 * of whichever workspace they act in. They are one person all the same: one phone, one hold, and
 * never the second approver of their own request.
 */
class EnterpriseGridTest {

    static final String ORG = "E0CSGRID01";
    static final String CHANNEL = "C0GRIDAPPR";
    static final String APPROVER = "W0APPROVER1";
    static final String OTHER_APPROVER = "W0APPROVER2";
    static final String OTHER_PHONE = "+12015550456";

    @TempDir
    static Path dir;
    static TestApp app;
    static SlackClient firstWorkspace;
    static SlackClient secondWorkspace;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start(dir, Map.of(
                "DUAL_CONTROL_THRESHOLDS", "USD:10000,*:10000",
                "APPROVALS_CHANNEL", CHANNEL,
                "APPROVER_USER_IDS", APPROVER + "," + OTHER_APPROVER),
                FakeSlackApi.start().enterprise(ORG, true));
        firstWorkspace = app.client.from(new Origin(FakeSlackApi.APP, "T0GRIDWS01", ORG));
        secondWorkspace = app.client.from(new Origin(FakeSlackApi.APP, "T0GRIDWS02", ORG));
        app.enroll(firstWorkspace, APPROVER, TestApp.PHONE);
        app.enroll(secondWorkspace, OTHER_APPROVER, OTHER_PHONE);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theRequesterCannotBeTheirOwnSecondApproverFromAnotherWorkspaceOfTheOrg() {
        TestApp.Pending pending = app.request(firstWorkspace, "pay 50,000 USD to Acme Corp",
                APPROVER);
        SlackClient.Reply confirmed = firstWorkspace.submitCode(pending.viewId(),
                pending.requestId(), APPROVER, FakeSignalWire.DEFAULT_CODE);
        assertThat(confirmed.body()).contains("second approver").doesNotContain("*Approved.*");
        FakeSlackApi.Call posted = app.slack.await("chat.postMessage",
                call -> CHANNEL.equals(call.params().get("channel"))
                        && call.text().contains("Acme Corp") && call.answered() != null,
                TestApp.WAIT);
        String ts = posted.answered().path("ts").asText();
        int startsBefore = app.signalWire.starts().size();

        SlackClient.Reply self = secondWorkspace.messageButton(CHANNEL, ts, APPROVER,
                "countersign_second_approve", pending.requestId());

        assertThat(self.status()).isEqualTo(200);
        app.slack.await("response_url", call -> call.text().contains("can't be its second "
                + "approver"), TestApp.WAIT);
        assertThat(app.signalWire.starts()).as("no code for the requester's own click")
                .hasSize(startsBefore);
        assertThat(app.slack.calls("views.open")).noneMatch(call -> self.triggerId()
                .equals(call.params().get("trigger_id")));

        // Another approver, from any workspace of the org, still can.
        SlackClient.Reply other = secondWorkspace.messageButton(CHANNEL, ts, OTHER_APPROVER,
                "countersign_second_approve", pending.requestId());
        FakeSlackApi.Call modal = app.slack.await("views.open",
                call -> other.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, TestApp.WAIT);
        TestApp.awaitCondition(() -> app.signalWire.starts().size() > startsBefore,
                "the other approver's code");
        assertThat(app.signalWire.starts().get(startsBefore).text("to")).isEqualTo(OTHER_PHONE);
        app.slack.await("views.update", call -> modal.viewId().equals(call.params()
                .get("view_id")) && call.text().contains("We sent"), TestApp.WAIT);
        SlackClient.Reply approved = firstWorkspace.submitCode(modal.viewId(),
                pending.requestId(), OTHER_APPROVER, FakeSignalWire.DEFAULT_CODE);
        assertThat(approved.body()).contains("*Approved.*");
    }

    @Test
    void enrollingFromAnotherWorkspaceIsAPhoneChangeConfirmedOnTheOldPhoneAndHeld() {
        String user = "W0MOVER001";
        app.enroll(firstWorkspace, user, TestApp.PHONE);
        int startsBefore = app.signalWire.starts().size();

        TestApp.Pending change = app.request(secondWorkspace, "enroll +12015550999", user);

        assertThat(app.signalWire.starts().get(startsBefore).text("to"))
                .as("the first code goes to the phone already enrolled").isEqualTo(TestApp.PHONE);
        SlackClient.Reply first = secondWorkspace.submitCode(change.viewId(), change.requestId(),
                user, FakeSignalWire.DEFAULT_CODE);
        assertThat(first.body()).contains("•••• 0999");
        TestApp.awaitCondition(() -> app.signalWire.starts().size() > startsBefore + 1,
                "the code to the new phone");
        app.slack.await("views.update", call -> change.viewId().equals(call.params()
                .get("view_id")) && call.text().contains("by SMS to •••• 0999"), TestApp.WAIT);
        SlackClient.Reply second = secondWorkspace.submitCode(change.viewId(),
                change.requestId(), user, FakeSignalWire.DEFAULT_CODE);
        assertThat(second.body()).contains("is now your Countersign phone");

        SlackClient.Reply large = firstWorkspace.command("pay 9,000 USD to Big Vendor", user);
        assertThat(large.json().path("text").asText()).contains("on hold");
        assertThat(firstWorkspace.command("status", user).body()).contains("•••• 0999");
    }
}

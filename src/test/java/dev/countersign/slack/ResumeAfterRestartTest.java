package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.people.Actor;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestOpening;
import dev.countersign.approval.RequestStatus;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.console.ConsoleCodes;
import dev.countersign.store.Database;
import dev.countersign.store.JdbcSlackSurfaces;
import dev.countersign.store.SqliteStore;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import dev.countersign.testing.TestPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop between storing a request and sending its code: at the next start the code goes out if
 * its modal is open, and a request whose modal never opened ends with the requester told.
 */
class ResumeAfterRestartTest {

    private static final Actor ALICE = new Actor(FakeSlackApi.TEAM, "U0RESUME01");

    @TempDir
    Path dir;

    @Test
    void unsentCodesAreSentOrTheirRequestsEndedAtStart() throws Exception {
        FakeSlackApi slack = FakeSlackApi.start();
        String url = "jdbc:sqlite:" + dir.resolve("countersign.db");
        String shownId;
        String unshownId;
        try (Database database = Database.open(url)) {
            ApprovalServices before = ApprovalServices.create(new SqliteStore(database), new ConsoleCodes(Clock.systemUTC()),
                    new TestPolicy().build(), Clock.systemUTC(), ApproverDirectory.NOBODY,
                    ApprovalOutbox.NONE, new ActionBinding(database.keys()));
            before.phones().enrollDirectly("test", ALICE, new PhoneNumber(TestApp.PHONE));
            RequestOpening.Opening.Ready shown = (RequestOpening.Opening.Ready) before.opening().requestApproval(
                    ALICE, new Action.Generic("rotate the production keys"),
                    new ReplyTo("C0001", slack.responseUrl("shown")));
            new JdbcSlackSurfaces(database).modalOpened("V0RESUME01", shown.request().id(), ALICE,
                    Instant.now());
            RequestOpening.Opening.Ready unshown = (RequestOpening.Opening.Ready) before.opening()
                    .requestApproval(ALICE, new Action.Generic("restart the billing cluster"),
                            new ReplyTo("C0001", slack.responseUrl("unshown")));
            shownId = shown.request().id();
            unshownId = unshown.request().id();
        }

        try (TestApp app = TestApp.start(dir, Map.of(), slack)) {
            TestApp.awaitCondition(() -> app.signalWire.starts().size() == 1, "the interrupted code");
            assertThat(app.signalWire.starts().get(0).text("to")).isEqualTo(TestApp.PHONE);
            slack.await("views.update", call -> "V0RESUME01".equals(call.params().get("view_id"))
                    && call.text().contains("We sent"), TestApp.WAIT);
            slack.await("response_url", call -> call.text().contains("restarted before your approval"),
                    TestApp.WAIT);

            SlackClient.Reply approved = app.client.submitCode("V0RESUME01", shownId, ALICE.userId(),
                    FakeSignalWire.DEFAULT_CODE);
            assertThat(approved.body()).contains("*Approved.*");
            assertThat(app.client.command("status", ALICE.userId()).body()).contains("*failed*");
        }
        try (Database database = Database.open(url)) {
            SqliteStore store = new SqliteStore(database);
            assertThat(store.read(tx -> tx.requests().find(unshownId)).map(ApprovalRequest::status))
                    .contains(RequestStatus.FAILED);
            assertThat(store.read(tx -> tx.requests().find(shownId)).map(ApprovalRequest::status))
                    .contains(RequestStatus.APPROVED);
        }
    }
}

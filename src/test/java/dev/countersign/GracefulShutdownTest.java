package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.FollowUp;
import dev.countersign.approval.RequestStatus;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import dev.countersign.testing.ChildServer;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a code is being checked: the person still gets the answer, the approval is
 * posted, the process stops taking new requests and exits 0 (issue 10 part 6).
 */
class GracefulShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String USER = "U0GRACE001";

    @TempDir
    Path dir;
    private FakeSlackApi slack;
    private FakeSignalWire signalWire;
    private ChildServer child;
    private SlackClient client;

    @AfterEach
    void stop() {
        if (child != null) {
            child.close();
        }
        signalWire.close();
        slack.close();
    }

    @Test
    void aCheckInFlightAtSigtermIsAnsweredAndPostedAndTheProcessExitsZero() throws Exception {
        String databaseUrl = "jdbc:sqlite:" + dir.resolve("countersign.db");
        start(databaseUrl);
        approve("enroll " + TestApp.PHONE);
        SlackClient.Reply ack = client.command("pay 300 USD to Umbrella Corp", USER);
        FakeSlackApi.Call opened = slack.await("views.open",
                call -> ack.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, WAIT);
        String viewId = opened.viewId();
        String requestId = opened.jsonParam("view").path("private_metadata").asText();
        slack.await("views.update", call -> viewId.equals(call.params().get("view_id"))
                && call.text().contains("We sent"), WAIT);
        signalWire.delayVerify(Duration.ofMillis(1500));
        int verifiesBefore = signalWire.verifies().size();

        CompletableFuture<SlackClient.Reply> submitted = CompletableFuture.supplyAsync(() ->
                client.submitCode(viewId, requestId, USER, FakeSignalWire.DEFAULT_CODE));
        TestApp.awaitCondition(() -> signalWire.verifies().size() > verifiesBefore,
                "the check reached SignalWire");
        int exit = child.stop();

        SlackClient.Reply answer = submitted.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("Approved");
        assertThat(exit).as("a clean stop\n" + child.logTail()).isZero();
        assertThat(slack.calls("response_url")).anySatisfy(call ->
                assertThat(call.text()).contains("Umbrella Corp", "Approved"));
        try (Database database = Database.open(databaseUrl)) {
            SqliteStore store = new SqliteStore(database);
            assertThat(store.read(tx -> tx.requests().find(requestId))
                    .map(ApprovalRequest::status)).contains(RequestStatus.APPROVED);
            List<FollowUp> undone = store.read(tx -> tx.followUps().pendingOf(requestId));
            assertThat(undone).as("notices left undone by the stop").isEmpty();
        }
    }

    private void approve(String command) {
        SlackClient.Reply ack = client.command(command, USER);
        FakeSlackApi.Call opened = slack.await("views.open",
                call -> ack.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, WAIT);
        String viewId = opened.viewId();
        slack.await("views.update", call -> viewId.equals(call.params().get("view_id"))
                && call.text().contains("We sent"), WAIT);
        SlackClient.Reply done = client.submitCode(viewId,
                opened.jsonParam("view").path("private_metadata").asText(), USER,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(done.body()).doesNotContain("\"errors\"");
    }

    private void start(String databaseUrl) {
        slack = FakeSlackApi.start();
        signalWire = FakeSignalWire.start();
        Map<String, String> env = ChildServer.envFor(slack, signalWire, databaseUrl);
        child = new ChildServer(env, ChildServer.freePort(), dir);
        child.start();
        client = new SlackClient(child.baseUrl(), env.get("SLACK_SIGNING_SECRET"), slack);
    }
}

package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.api.ApiKeys;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.otp.console.ConsoleCodes;
import dev.countersign.people.Actor;
import dev.countersign.people.PhoneNumber;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.TestApp;
import dev.countersign.testing.TestPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What other systems asked for survives a restart: an API request still waits for its person
 * (its unsent code is not abandoned), and a workflow step's outcome that Slack had not taken
 * yet is sent by the next process, once.
 */
class RestartFollowUpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Actor BOB = new Actor(FakeSlackApi.TEAM, "U0RESTART1");
    private static final String KEY = ApiKeys.newKey();

    @TempDir
    Path dir;

    @Test
    void apiRequestStillWaitsForItsPersonAfterARestart() throws Exception {
        prepareDatabase();
        String id;
        try (TestApp before = TestApp.start(dir)) {
            HttpResponse<String> created = post(before, """
                    {"requester": {"slack_user_id": "%s"},
                     "action": {"type": "generic", "description": "rotate the keys"}}"""
                    .formatted(BOB.userId()));
            assertThat(created.statusCode()).isEqualTo(201);
            id = JSON.readTree(created.body()).path("id").asText();
            before.slack.await("chat.postMessage", call -> call.text().contains(
                    "Review and approve"), TestApp.WAIT);
        }

        try (TestApp after = TestApp.start(dir)) {
            assertThat(JSON.readTree(get(after, id).body()).path("status").asText())
                    .isEqualTo("pending");
            FakeSlackApi.Call open = after.review(BOB.userId(), "1700000000.1", id, 1);
            after.client.submitCode(open.viewId(), id, BOB.userId(),
                    FakeSignalWire.DEFAULT_CODE);
            assertThat(JSON.readTree(get(after, id).body()).path("status").asText())
                    .isEqualTo("approved");
        }
    }

    @Test
    void workflowOutcomeSlackHadNotTakenIsSentAfterARestartOnce() throws Exception {
        prepareDatabase();
        try (TestApp before = TestApp.start(dir)) {
            before.slack.failNext("functions.completeSuccess", "internal_error", 1000);
            before.client.event(functionExecuted("Fx0RESTART1", BOB.userId()));
            FakeSlackApi.Call dm = before.slack.await("chat.postMessage", call ->
                    call.text().contains("Review and approve"), TestApp.WAIT);
            String requestId = dm.jsonParam("blocks").findValue("value").asText();
            FakeSlackApi.Call open = before.review(BOB.userId(),
                    dm.answered().path("ts").asText(), requestId, 1);
            before.client.submitCode(open.viewId(), requestId, BOB.userId(),
                    FakeSignalWire.DEFAULT_CODE);
            before.slack.await("functions.completeSuccess", TestApp.WAIT);
        }

        try (TestApp after = TestApp.start(dir)) {
            FakeSlackApi.Call completed = after.slack.await("functions.completeSuccess",
                    TestApp.WAIT);
            assertThat(completed.params().get("function_execution_id")).isEqualTo("Fx0RESTART1");
            assertThat(completed.jsonParam("outputs").path("approved").asBoolean()).isTrue();
            assertThat(completed.authorization()).as("the step's token was never stored")
                    .isEqualTo("Bearer " + after.env.get("SLACK_BOT_TOKEN"));
            after.app.sweepExpiredNow();
            assertThat(after.slack.calls("functions.completeSuccess")).hasSize(1);
        }
    }

    /** Bob enrolled, and an API key for "erp", before any server starts. */
    private void prepareDatabase() {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("countersign.db"))) {
            SqliteStore store = new SqliteStore(database);
            ApprovalServices.create(store, new ConsoleCodes(Clock.systemUTC()),
                    new TestPolicy().build(), Clock.systemUTC(), ApproverDirectory.NOBODY,
                    ApprovalOutbox.NONE, new ActionBinding(database.keys())).phones().enrollDirectly("test", BOB,
                    new PhoneNumber(TestApp.PHONE));
            store.apiClients().create("erp", ApiKeys.hash(KEY), Instant.now());
        }
    }

    private static HttpResponse<String> post(TestApp app, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + app.app.port() + "/api/v1/approvals"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(TestApp app, String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + app.app.port() + "/api/v1/approvals/" + id))
                .header("Authorization", "Bearer " + KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode functionExecuted(String executionId, String requester) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "function_executed");
        event.putObject("function").put("id", "Fn0CS00001")
                .put("callback_id", "approve_with_code").put("title", "Approve with a code")
                .put("type", "app").put("app_id", "A0CSAPP001");
        event.putObject("inputs").put("requester", requester).put("action_type", "generic")
                .put("description", "restart the billing cluster");
        event.put("function_execution_id", executionId);
        event.put("workflow_execution_id", "Wx0RESTART1");
        event.put("event_ts", "1700000000.000100");
        event.put("bot_access_token", "xwfp-gone-after-restart");
        return event;
    }
}

package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Workflow Builder step {@code approve_with_code}, from a signed {@code function_executed}
 * event to {@code functions.completeSuccess} (or {@code completeError}) on the fake Slack.
 */
class WorkflowStepFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEP_TOKEN = "xwfp-step-token-0001";

    @TempDir
    Path dir;

    @Test
    void approvedStepCompletesOnceWithItsOutputsUsingTheStepsToken() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = app.enrolledUser("UFLOW");
            ObjectNode event = functionExecuted("Fx0CS0000001", Map.of("requester", user,
                    "action_type", "payment", "amount", "2500", "currency", "USD",
                    "payee", "Acme Corp", "memo", "INV-1042"));

            SlackClient.Reply ack = app.client.event(event);

            assertThat(ack.status()).isEqualTo(200);
            FakeSlackApi.Call dm = app.slack.await("chat.postMessage", call ->
                    user.equals(call.params().get("channel"))
                            && call.text().contains("Review and approve"), TestApp.WAIT);
            assertThat(dm.text()).contains("A workflow", "Acme Corp", "USD 2,500.00");
            assertThat(dm.authorization()).as("the step's own token").isEqualTo("Bearer "
                    + STEP_TOKEN);
            assertThat(app.client.event(event).status()).as("Slack delivers it again")
                    .isEqualTo(200);
            String requestId = dm.jsonParam("blocks").findValue("value").asText();
            String ts = dm.answered().path("ts").asText();

            FakeSlackApi.Call open = app.review(user, ts, requestId, 2);
            app.client.submitCode(open.viewId(), requestId, user, FakeSignalWire.DEFAULT_CODE);

            FakeSlackApi.Call completed = app.slack.await("functions.completeSuccess",
                    TestApp.WAIT);
            assertThat(completed.params().get("function_execution_id")).isEqualTo("Fx0CS0000001");
            assertThat(completed.authorization()).isEqualTo("Bearer " + STEP_TOKEN);
            JsonNode outputs = completed.jsonParam("outputs");
            assertThat(outputs.path("approved").asBoolean()).isTrue();
            assertThat(outputs.path("status").asText()).isEqualTo("approved");
            assertThat(outputs.path("approved_by").asText()).isEqualTo(user);
            assertThat(outputs.path("reference").asText()).matches("CS-[A-Z0-9]{6}");
            app.app.sweepExpiredNow(); // runs the follow-ups again: nothing is owed any more
            assertThat(app.slack.calls("functions.completeSuccess")).hasSize(1);
            assertThat(app.slack.calls("chat.postMessage").stream()
                    .filter(call -> call.text().contains("Review and approve")))
                    .as("one review message for the redelivered event").hasSize(1);
        }
    }

    @Test
    void cancelledStepCompletesWithApprovedFalse() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = app.enrolledUser("UCANC");
            app.client.event(functionExecuted("Fx0CS0000002", Map.of("requester", user,
                    "action_type", "signature", "document", "Master Services Agreement")));
            FakeSlackApi.Call dm = app.slack.await("chat.postMessage", call ->
                    call.text().contains("Review and approve"), TestApp.WAIT);
            String requestId = dm.jsonParam("blocks").findValue("value").asText();
            SlackClient.Reply click = app.client.messageButton(user,
                    dm.answered().path("ts").asText(), user, "review_request", requestId);
            FakeSlackApi.Call open = app.slack.await("views.open", call ->
                    click.triggerId().equals(call.params().get("trigger_id"))
                            && call.answered() != null, TestApp.WAIT);

            app.client.closeView(open.viewId(), requestId, user);

            FakeSlackApi.Call completed = app.slack.await("functions.completeSuccess",
                    TestApp.WAIT);
            JsonNode outputs = completed.jsonParam("outputs");
            assertThat(outputs.path("approved").asBoolean()).isFalse();
            assertThat(outputs.path("status").asText()).isEqualTo("cancelled");
            assertThat(outputs.has("approved_by")).isFalse();
        }
    }

    @Test
    void invalidInputsFailTheStepWithAMessageForTheWorkflowAuthor() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = app.enrolledUser("UBAD");

            app.client.event(functionExecuted("Fx0CS0000003", Map.of("requester", user,
                    "action_type", "payment", "amount", "lots", "currency", "USD")));

            FakeSlackApi.Call failed = app.slack.await("functions.completeError", TestApp.WAIT);
            assertThat(failed.params().get("function_execution_id")).isEqualTo("Fx0CS0000003");
            assertThat(failed.params().get("error")).contains("amount", "payee");
            assertThat(app.slack.calls("chat.postMessage")).noneMatch(call ->
                    call.text().contains("Review and approve"));
            assertThat(app.signalWire.starts()).hasSize(1); // the enrollment's only
        }
    }

    private static ObjectNode functionExecuted(String executionId, Map<String, String> inputs) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", "function_executed");
        ObjectNode function = event.putObject("function");
        function.put("id", "Fn0CS00001").put("callback_id", "approve_with_code")
                .put("title", "Approve with a code").put("type", "app")
                .put("app_id", "A0CSAPP001").put("date_created", 1700000000)
                .put("date_updated", 1700000000).put("date_deleted", 0);
        function.putArray("input_parameters");
        function.putArray("output_parameters");
        ObjectNode values = event.putObject("inputs");
        inputs.forEach(values::put);
        event.put("function_execution_id", executionId);
        event.put("workflow_execution_id", "Wx" + executionId.substring(2));
        event.put("event_ts", "1700000000.000100");
        event.put("bot_access_token", STEP_TOKEN);
        return event;
    }
}

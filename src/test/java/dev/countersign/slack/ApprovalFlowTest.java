package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.testing.AppPerClass;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import org.junit.jupiter.api.Test;

/**
 * The whole Slack side through real HTTP, Jetty and Bolt: signed commands and interactions in,
 * Web API calls out to a fake Slack, codes through a fake SignalWire, state in a SQLite file.
 */
class ApprovalFlowTest extends AppPerClass {

    private static String newUser() {
        return app.newUser("U0FLOW");
    }

    private static String enrolledUser() {
        return app.enrolledUser("U0FLOW");
    }

    @Test
    void paymentOpensModalWithTriggerShowingAmountAndPayee() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 2500 USD to Acme Corp for INV-1042", user);

        assertThat(pending.ack().status()).isEqualTo(200);
        assertThat(pending.ack().body()).isEmpty();
        String shown = pending.view().toString();
        assertThat(shown).contains("Acme Corp").contains("USD 2,500.00").contains("INV-1042");
        assertThat(pending.view().path("private_metadata").asText()).isEqualTo(pending.requestId());
        assertThat(app.signalWire.starts().get(app.signalWire.starts().size() - 1).text("to"))
                .isEqualTo(TestApp.PHONE);
    }

    @Test
    void codeTextNamesAmountAndPayee() {
        String user = enrolledUser();
        app.request("pay 2500 USD to Acme Corp", user);

        FakeSignalWire.Call start = app.signalWire.starts().get(app.signalWire.starts().size() - 1);
        assertThat(start.text("message")).contains("USD 2,500.00").contains("Acme Corp")
                .containsIgnoringCase("approve");
        assertThat(start.text("valid_for")).isEqualTo("300");
        assertThat(start.text("from")).isEqualTo(FakeSignalWire.FROM);
    }

    @Test
    void wrongCodeAnswersErrorsWithAttemptsLeft() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 10 EUR to Initech", user);

        SlackClient.Reply reply = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                "000000");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.path("response_action").asText()).isEqualTo("errors");
        assertThat(json.path("errors").path("code").asText()).contains("2 attempts left");
    }

    @Test
    void rightCodeApprovesOnceAndPostsResultInChannel() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 2500 USD to Acme Corp for INV-1042", user);

        SlackClient.Reply reply = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);

        assertThat(reply.json().path("response_action").asText()).isEqualTo("update");
        assertThat(reply.body()).contains("Approved");
        FakeSlackApi.Call result = app.slack.await("response_url",
                call -> call.text().contains("Acme Corp") && call.text().contains("Approved"),
                TestApp.WAIT);
        assertThat(result.json().path("response_type").asText()).isEqualTo("in_channel");
        assertThat(result.text()).contains("<@" + user + ">").contains("SMS").contains("USD 2,500.00");

        SlackClient.Reply replay = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).doesNotContain("\"errors\"");
        assertThat(app.slack.calls("response_url").stream()
                .filter(call -> call.text().contains(pending.requestId().substring(0, 0) + "Acme Corp")
                        && call.text().contains("Approved by <@" + user + ">"))
                .count()).isEqualTo(1);
    }

    @Test
    void submissionByAnotherUserApprovesNothing() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 99 USD to Hooli", user);
        int verifiesBefore = app.signalWire.verifies().size();

        SlackClient.Reply reply = app.client.submitCode(pending.viewId(), pending.requestId(),
                newUser(), FakeSignalWire.DEFAULT_CODE);

        assertThat(reply.json().path("errors").path("code").asText()).contains("someone else");
        assertThat(app.signalWire.verifies()).hasSize(verifiesBefore);
        SlackClient.Reply status = app.client.command("status", user);
        assertThat(status.body()).contains("waiting for a code");
    }

    @Test
    void closingTheModalCancelsAndLaterSubmissionApprovesNothing() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("sign Master Services Agreement with Globex", user);

        assertThat(app.client.closeView(pending.viewId(), pending.requestId(), user).status())
                .isEqualTo(200);
        SlackClient.Reply late = app.client.submitCode(pending.viewId(), pending.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);

        assertThat(late.body()).contains("Cancelled").doesNotContain("*Approved.*");
        assertThat(app.client.command("status", user).body()).contains("cancelled");
    }

    @Test
    void userWithoutPhoneIsToldHowToEnrollAndNothingIsSent() {
        int startsBefore = app.signalWire.starts().size();
        int opensBefore = app.slack.calls("views.open").size();

        SlackClient.Reply reply = app.client.command("pay 5 USD to Acme", newUser());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("text").asText()).contains("/approve enroll");
        assertThat(app.signalWire.starts()).hasSize(startsBefore);
        assertThat(app.slack.calls("views.open")).hasSize(opensBefore);
    }

    @Test
    void malformedCommandGetsSpecificEphemeralAnswer() {
        SlackClient.Reply reply = app.client.command("pay -5 USD to Acme", newUser());

        assertThat(reply.status()).isEqualTo(200);
        String text = reply.json().path("text").asText();
        assertThat(text).contains("more than zero").contains("/approve pay");
        assertThat(reply.json().path("response_type").asText("ephemeral")).isEqualTo("ephemeral");
    }

    @Test
    void invalidPhoneIsRefusedBeforeAnythingIsSent() {
        int startsBefore = app.signalWire.starts().size();

        SlackClient.Reply reply = app.client.command("enroll +15555550123", newUser());

        assertThat(reply.json().path("text").asText()).containsIgnoringCase("valid");
        assertThat(app.signalWire.starts()).hasSize(startsBefore);
    }

    @Test
    void unsignedRequestIsRefused() {
        SlackClient.Reply reply = app.client.post("command=%2Fapprove&text=status",
                "application/x-www-form-urlencoded", SlackClient.now(), false);

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void staleRequestIsRefused() {
        SlackClient.Reply reply = app.client.post("command=%2Fapprove&text=status",
                "application/x-www-form-urlencoded", SlackClient.now() - 600, true);

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void requestStampedInTheFutureIsRefused() {
        SlackClient.Reply reply = app.client.post("command=%2Fapprove&text=status&user_id=U1&team_id=T1",
                "application/x-www-form-urlencoded", SlackClient.now() + 600, true);

        assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void malformedSignedPayloadsGetAClear400NotA500() {
        for (String body : new String[] {"payload=%7B%22type%22%3A%22view_submission%22%7D",
                "payload=not-json", "payload=%7B%7D", "garbage"}) {
            SlackClient.Reply reply = app.client.post(body, "application/x-www-form-urlencoded",
                    SlackClient.now(), true);

            assertThat(reply.status()).as(body).isBetween(200, 499);
        }
    }

    @Test
    void emptyCommandOpensFormThatBecomesTheCodeModal() {
        String user = enrolledUser();
        SlackClient.Reply ack = app.client.command("", user);
        FakeSlackApi.Call open = app.slack.await("views.open",
                call -> ack.triggerId().equals(call.params().get("trigger_id")) && call.answered() != null,
                TestApp.WAIT);
        assertThat(ack.body()).isEmpty();
        JsonNode form = open.jsonParam("view");
        assertThat(form.path("callback_id").asText()).isEqualTo("countersign_request_form");

        var payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        payload.put("type", "view_submission").put("api_app_id", "A0CSAPP001").put("token", "t");
        payload.putObject("team").put("id", FakeSlackApi.TEAM);
        payload.putObject("user").put("id", user).put("team_id", FakeSlackApi.TEAM);
        var view = payload.putObject("view").put("id", open.viewId()).put("type", "modal")
                .put("callback_id", "countersign_request_form")
                .put("private_metadata", form.path("private_metadata").asText());
        var values = view.putObject("state").putObject("values");
        values.putObject("kind").putObject("value").put("type", "static_select")
                .putObject("selected_option").put("value", "payment");
        values.putObject("amount").putObject("value").put("type", "plain_text_input").put("value", "1,250.50");
        values.putObject("currency").putObject("value").put("type", "plain_text_input").put("value", "eur");
        values.putObject("subject").putObject("value").put("type", "plain_text_input")
                .put("value", "Fund for Children & Co");
        values.putObject("detail").putObject("value").put("type", "plain_text_input").put("value", "Q4 gift");

        SlackClient.Reply submitted = app.client.interact(payload);

        assertThat(submitted.json().path("response_action").asText()).isEqualTo("update");
        JsonNode modal = submitted.json().path("view");
        assertThat(modal.toString()).contains("EUR 1,250.50").contains("Fund for Children & Co");
        String requestId = modal.path("private_metadata").asText();
        app.slack.await("views.update", call -> open.viewId().equals(call.params().get("view_id"))
                && call.text().contains("We sent"), TestApp.WAIT);
        SlackClient.Reply approved = app.client.submitCode(open.viewId(), requestId, user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(approved.body()).contains("*Approved.*");
        FakeSlackApi.Call result = app.slack.await("response_url",
                call -> call.text().contains("Fund for Children") && call.text().contains("Approved"),
                TestApp.WAIT);
        assertThat(result.json().path("response_type").asText()).isEqualTo("in_channel");
    }

    @Test
    void formWithBadAmountAnswersFieldErrors() {
        String user = enrolledUser();
        var payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        payload.put("type", "view_submission").put("api_app_id", "A0CSAPP001").put("token", "t");
        payload.putObject("team").put("id", FakeSlackApi.TEAM);
        payload.putObject("user").put("id", user).put("team_id", FakeSlackApi.TEAM);
        var values = payload.putObject("view").put("id", "VFORM").put("type", "modal")
                .put("callback_id", "countersign_request_form").put("private_metadata", "{}")
                .putObject("state").putObject("values");
        values.putObject("kind").putObject("value").put("type", "static_select")
                .putObject("selected_option").put("value", "payment");
        values.putObject("amount").putObject("value").put("type", "plain_text_input").put("value", "-3");
        values.putObject("currency").putObject("value").put("type", "plain_text_input").put("value", "USD");
        values.putObject("subject").putObject("value").put("type", "plain_text_input").put("value", "Acme");

        SlackClient.Reply reply = app.client.interact(payload);

        assertThat(reply.json().path("response_action").asText()).isEqualTo("errors");
        assertThat(reply.json().path("errors").path("amount").asText()).contains("more than zero");
    }

    @Test
    void slackEscapedTextIsShownExactlyAsTyped() {
        String user = enrolledUser();
        TestApp.Pending pending = app.request("pay 5 USD to AT&amp;T &lt;script&gt;", user);

        assertThat(pending.view().toString()).contains("Payee: AT&T <script>");
    }

    @Test
    void healthIsOkWhileDatabaseAnswers() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + app.app.port() + "/healthz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ok");
    }
}

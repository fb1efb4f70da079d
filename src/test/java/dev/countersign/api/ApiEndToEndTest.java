package dev.countersign.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.cli.CountersignCommand;
import dev.countersign.config.ToolSettings;
import dev.countersign.keys.SecretKeys;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import dev.countersign.webhook.WebhookSigner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The REST API end to end, against the real server (Jetty, Bolt, SQLite file) with a fake Slack
 * and a fake SignalWire: a key made by the command line, an approval asked for, the person's
 * review message and button, the code typed in the modal, the answer by GET and by the signed
 * webhook; and every error answer, each checked against the served OpenAPI document.
 */
class ApiEndToEndTest {

    private static final String SECRET = "webhook-secret-0123456789abcdef-0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYMENT = """
            {"requester": {"slack_user_id": "%s"},
             "action": {"type": "payment", "amount": "2500.00", "currency": "USD",
                        "payee": "Acme Corp", "memo": "INV-1042"},
             "external_id": "erp-payment-77",
             "expires_in_seconds": 900}""";

    @TempDir
    Path dir;

    @Test
    void approvalAskedByApiIsReviewedInSlackConfirmedByCodeAndDelivered() throws Exception {
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.enqueue(new MockResponse().setResponseCode(204));
            receiver.start();
            try (TestApp app = TestApp.start(dir, Map.of(
                    "APPROVAL_WEBHOOK_URL", receiver.url("/countersign").toString(),
                    "APPROVAL_WEBHOOK_SECRET", SECRET))) {
                String user = app.enrolledUser("UAPI");
                String key = createKey(app, "erp");
                ApiClientForTests api = new ApiClientForTests(app.app.port());

                ApiClientForTests.Answer created = api.post(key, PAYMENT.formatted(user), "k-1");

                assertThat(created.status()).isEqualTo(201);
                JsonNode approval = created.json();
                String id = approval.path("id").asText();
                assertThat(approval.path("status").asText()).isEqualTo("pending");
                assertThat(approval.path("reference").asText()).matches("CS-[A-Z0-9]{6}");
                assertThat(Instant.parse(approval.path("expires_at").asText()))
                        .isAfter(Instant.parse(approval.path("created_at").asText())
                                .plusSeconds(899));
                assertThat(created.header("Location")).isEqualTo("/api/v1/approvals/" + id);

                FakeSlackApi.Call dm = app.slack.await("chat.postMessage",
                        call -> user.equals(call.params().get("channel"))
                                && call.text().contains("Review and approve"), TestApp.WAIT);
                assertThat(dm.text()).contains("erp", "USD 2,500.00", "Acme Corp", "INV-1042",
                        approval.path("reference").asText());
                assertThat(app.signalWire.starts()).as("no code before the person opens it")
                        .hasSize(1); // the enrollment's
                String ts = dm.answered().path("ts").asText();

                SlackClient.Reply stranger = app.client.messageButton(user, ts, "UOTHER0001",
                        "review_request", id);
                assertThat(stranger.status()).isEqualTo(200);
                app.slack.await("chat.postEphemeral", call -> "UOTHER0001".equals(
                        call.params().get("user")) && call.text().contains("Only"),
                        TestApp.WAIT);
                assertThat(app.slack.calls("views.open").stream()
                        .filter(call -> stranger.triggerId().equals(
                                call.params().get("trigger_id")))).isEmpty();

                FakeSlackApi.Call open = app.review(user, ts, id, 2);
                String viewId = open.viewId();
                assertThat(open.text()).contains("Acme Corp");

                SlackClient.Reply submitted = app.client.submitCode(viewId, id, user,
                        FakeSignalWire.DEFAULT_CODE);
                assertThat(submitted.status()).isEqualTo(200);
                assertThat(submitted.body()).doesNotContain("\"errors\"");

                ApiClientForTests.Answer shown = api.get(key, id);
                assertThat(shown.status()).isEqualTo(200);
                assertThat(shown.json().path("status").asText()).isEqualTo("approved");
                assertThat(shown.json().path("decided_by").asText()).isEqualTo(user);
                assertThat(shown.json().path("channel").asText()).isEqualTo("sms");
                assertThat(shown.json().path("decided_at").isTextual()).isTrue();
                assertThat(shown.json().path("external_id").asText()).isEqualTo("erp-payment-77");

                RecordedRequest delivered = receiver.takeRequest(10, TimeUnit.SECONDS);
                assertThat(delivered).as("webhook delivered").isNotNull();
                String body = delivered.getBody().readUtf8();
                assertThat(WebhookSigner.verify(SECRET,
                        delivered.getHeader("Countersign-Timestamp"), body,
                        delivered.getHeader("Countersign-Signature"), Instant.now())).isTrue();
                JsonNode event = JSON.readTree(body);
                assertThat(event.path("id").asText()).isEqualTo(id);
                assertThat(event.path("source").asText()).isEqualTo("api");
                assertThat(event.path("client").asText()).isEqualTo("erp");
                assertThat(event.path("external_id").asText()).isEqualTo("erp-payment-77");
                assertThat(event.path("payee").asText()).isEqualTo("Acme Corp");

                app.slack.await("chat.update", call -> ts.equals(call.params().get("ts"))
                        && call.text().contains("Approved"), TestApp.WAIT);

                ApiClientForTests.Answer again = api.post(key, PAYMENT.formatted(user), "k-1");
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.json().path("id").asText()).isEqualTo(id);
                assertThat(again.json().path("status").asText()).isEqualTo("approved");
                ApiClientForTests.Answer reused = api.post(key,
                        PAYMENT.formatted(user).replace("2500.00", "2600.00"), "k-1");
                assertThat(reused.status()).isEqualTo(409);
                assertThat(app.slack.calls("chat.postMessage").stream()
                        .filter(call -> call.text().contains("Review and approve")))
                        .as("one review message for the one approval").hasSize(1);

                new OpenApiDocument(api.raw("GET", "/api/v1/openapi.json",
                        "/api/v1/openapi.json", null, null).body()).assertDescribes(api.answers);
            }
        }
    }

    @Test
    void everyErrorIsProblemJsonNamingWhatIsWrongAndDocumented() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = app.enrolledUser("UERR");
            String key = createKey(app, "erp");
            String other = createKey(app, "bank");
            String revoked = createKey(app, "old");
            assertThat(cli(app, "api-key", "revoke", "old").status()).isZero();
            app.slack.knowsEmail("nobody-enrolled@example.com", "UNOPHONE01");
            ApiClientForTests api = new ApiClientForTests(app.app.port());
            String valid = PAYMENT.formatted(user);

            assertThat(api.post(null, valid, null).status()).isEqualTo(401);
            assertThat(api.post("cs_not-a-key", valid, null).status()).isEqualTo(401);
            ApiClientForTests.Answer revokedAnswer = api.post(revoked, valid, null);
            assertThat(revokedAnswer.status()).isEqualTo(401);
            assertThat(revokedAnswer.json().path("detail").asText()).contains("revoked");

            ApiClientForTests.Answer invalid = api.post(key, """
                    {"requester": {"slack_user_id": "not-a-user"},
                     "action": {"type": "payment", "amount": "-5", "currency": "XYZ",
                                "payee": ""},
                     "expires_in_seconds": 5}""", null);
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.contentType()).startsWith("application/problem+json");
            List<String> fields = new ArrayList<>();
            invalid.json().path("errors").forEach(error -> fields.add(error.path("field")
                    .asText()));
            assertThat(fields).containsExactlyInAnyOrder("requester.slack_user_id",
                    "action.amount", "action.currency", "action.payee", "expires_in_seconds");

            ApiClientForTests.Answer malformed = api.post(key, "{\"requester\": ", null);
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.json().path("title").asText()).isEqualTo("Malformed JSON");

            ApiClientForTests.Answer huge = api.post(key, "{\"x\":\"" + "a".repeat(70_000)
                    + "\"}", null);
            assertThat(huge.status()).isEqualTo(413);
            assertThat(huge.contentType()).startsWith("application/problem+json");

            ApiClientForTests.Answer unknownRoute = api.raw("GET", "/api/v1/nothing-here", null,
                    key, null);
            assertThat(unknownRoute.status()).isEqualTo(404);
            ApiClientForTests.Answer wrongMethod = api.raw("PUT", "/api/v1/approvals",
                    "/api/v1/approvals", key, "{}");
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.header("Allow")).isEqualTo("POST");

            int messagesBefore = app.slack.calls("chat.postMessage").size();
            ApiClientForTests.Answer unknownEmail = api.post(key, """
                    {"requester": {"email": "stranger@example.com"},
                     "action": {"type": "generic", "description": "deploy billing v2"}}""",
                    null);
            assertThat(unknownEmail.status()).isEqualTo(422);
            ApiClientForTests.Answer unenrolled = api.post(key, """
                    {"requester": {"email": "nobody-enrolled@example.com"},
                     "action": {"type": "signature", "document": "MSA"}}""", null);
            assertThat(unenrolled.status()).isEqualTo(422);
            assertThat(unenrolled.json().path("detail").asText()).contains("UNOPHONE01",
                    "not enrolled");
            assertThat(app.slack.calls("chat.postMessage")).as("nothing sent to anyone")
                    .hasSize(messagesBefore);

            ApiClientForTests.Answer created = api.post(key, valid, null);
            assertThat(created.status()).isEqualTo(201);
            String id = created.json().path("id").asText();
            assertThat(api.get(other, id).status()).as("another client's approval")
                    .isEqualTo(404);
            assertThat(api.delete(other, id).status()).isEqualTo(404);
            FakeSlackApi.Call dm = app.slack.await("chat.postMessage", call ->
                    call.text().contains("Review and approve"), TestApp.WAIT);
            String ts = dm.answered().path("ts").asText();

            ApiClientForTests.Answer cancelled = api.delete(key, id);
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
            app.slack.await("chat.update", call -> ts.equals(call.params().get("ts"))
                    && call.text().contains("Cancelled") && call.text().contains("erp"),
                    TestApp.WAIT);
            assertThat(api.delete(key, id).status()).as("already cancelled").isEqualTo(409);

            ApiClientForTests.Answer limited = null;
            for (int i = 0; i < 40 && limited == null; i++) {
                ApiClientForTests.Answer answer = api.get(other,
                        "0a1b2c3d-0000-0000-0000-0123456789ab");
                if (answer.status() == 429) {
                    limited = answer;
                }
            }
            assertThat(limited).as("429 once over 10 requests a second").isNotNull();
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isPositive();

            assertThat(api.answers).allSatisfy(answer -> {
                assertThat(answer.status()).isLessThan(500);
                assertThat(answer.body()).doesNotContain("Exception", "at dev.countersign");
            });
            assertThat(api.answers.stream().filter(answer -> answer.status() >= 400))
                    .allSatisfy(answer -> assertThat(answer.contentType())
                            .startsWith("application/problem+json"));
            new OpenApiDocument(new String(ApiServlet.openApiDocument()))
                    .assertDescribes(api.answers);
        }
    }

    @Test
    void apiKeyCreatePrintsTheKeyAloneAndKeepsOnlyItsHash() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            Cli created = cli(app, "api-key", "create", "erp");

            assertThat(created.status()).isZero();
            assertThat(created.out().lines().toList()).hasSize(1);
            String key = created.out().strip();
            assertThat(key).startsWith("cs_").hasSizeGreaterThan(40);
            Cli listed = cli(app, "api-key", "list");
            assertThat(listed.out()).contains("erp").doesNotContain(key);
            byte[] database = Files.readAllBytes(dir.resolve("countersign.db"));
            assertThat(new String(database, StandardCharsets.ISO_8859_1))
                    .doesNotContain(key);
            assertThat(cli(app, "api-key", "create", "erp").status()).as("name taken")
                    .isEqualTo(CountersignCommand.USAGE);
        }
    }

    record Cli(int status, String out, String err) {
    }

    private static String createKey(TestApp app, String name) {
        Cli created = cli(app, "api-key", "create", name);
        assertThat(created.status()).as(created.err()).isZero();
        return created.out().strip();
    }

    private static Cli cli(TestApp app, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new CountersignCommand(() -> 0,
                () -> new ToolSettings(app.env.get("DATABASE_URL"), Set.of(),
                        SecretKeys.FROM_FILE)));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(args);
        return new Cli(status, out.toString(), err.toString());
    }
}

package dev.countersign.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on the real server (Jetty, Bolt, SQLite file, fake Slack and SignalWire
 * on loopback), scraped over real HTTP with no Slack signature, after real flows: each counter
 * moved by exactly what the flow did, the JVM's and Jetty's meters are there under the same
 * prefix, and no label carries a person, a phone or a payee.
 */
class MetricsEndpointTest {

    /** What a Slack user or team id, a phone number or a Countersign reference looks like. */
    private static final Pattern PERSONAL = Pattern.compile(
            "U[0-9A-Z]{8,}|T[0-9A-Z]{8,}|\\+?[0-9]{7,}|CS-[0-9A-Z]{6}");

    @TempDir
    Path dir;

    @Test
    void anApprovalMovesEachCounterByExactlyWhatTheFlowDid() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = "U0METRIC01";
            app.enroll(user, TestApp.PHONE);
            TestApp.Pending pending = app.request("pay 2500 USD to Acme Corp for INV-1042", user);
            SlackClient.Reply approved = app.client.submitCode(pending.viewId(),
                    pending.requestId(), user, FakeSignalWire.DEFAULT_CODE);
            assertThat(approved.status()).isEqualTo(200);

            Exposition metrics = Exposition.scrape(app.app.port());

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
            assertThat(metrics.value("countersign_requests_opened_total", Map.of("kind",
                    "payment"))).isEqualTo(1);
            assertThat(metrics.value("countersign_requests_opened_total", Map.of("kind",
                    "enrollment"))).isEqualTo(1);
            assertThat(metrics.value("countersign_requests_opened_total")).isEqualTo(2);
            assertThat(metrics.value("countersign_requests_ended_total", Map.of("kind", "payment",
                    "outcome", "approved"))).isEqualTo(1);
            assertThat(metrics.value("countersign_requests_ended_total")).isEqualTo(2);
            assertThat(metrics.value("countersign_code_checks_total", Map.of("result",
                    "approved"))).isEqualTo(1);
            assertThat(metrics.value("countersign_code_checks_total", Map.of("result",
                    "enrolled"))).isEqualTo(1);
            assertThat(metrics.value("countersign_code_checks_total")).isEqualTo(2);
            assertThat(metrics.value("countersign_code_sends_total", Map.of("channel", "sms",
                    "result", "sent"))).isEqualTo(2);
            assertThat(metrics.value("countersign_code_sends_total")).isEqualTo(2);
            assertThat(metrics.value("countersign_provider_requests_seconds_count", Map.of(
                    "provider", "signalwire", "operation", "start", "outcome", "ok")))
                    .isEqualTo(2);
            assertThat(metrics.value("countersign_provider_requests_seconds_count", Map.of(
                    "operation", "verify", "outcome", "ok"))).isEqualTo(2);
            assertThat(metrics.value("countersign_provider_errors_total")).isZero();
            assertThat(metrics.value("countersign_slack_api_calls_seconds_count", Map.of(
                    "method", "views.open", "outcome", "ok"))).isGreaterThanOrEqualTo(1);
            assertThat(metrics.all("countersign_slack_api_calls_seconds_bucket", Map.of(
                    "method", "views.open", "le", "+Inf"))).isNotEmpty();
            assertThat(metrics.value("countersign_slack_triggers_expired_total")).isZero();
            assertThat(metrics.all("countersign_slack_triggers_expired_total", Map.of()))
                    .as("shown at 0 before the first").hasSize(2);
            assertThat(metrics.value("countersign_outbox_pending")).isZero();
            assertThat(metrics.hasName("countersign_store_writes_waiting")).isTrue();
            assertThat(metrics.value("countersign_store_commits_seconds_count")).isPositive();
            noLabelIsPersonal(metrics, List.of(user, FakeSlackApi.TEAM, TestApp.PHONE,
                    "2015550123", "Acme", "INV-1042", pending.requestId()));
        }
    }

    @Test
    void jvmAndJettyMetricsAreServedUnderThePrefixWithoutASlackSignature() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            app.enroll("U0METRIC02", TestApp.PHONE);

            Exposition metrics = Exposition.scrape(app.app.port());

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.samples()).allSatisfy(sample ->
                    assertThat(sample.name()).startsWith("countersign_"));
            assertThat(metrics.value("countersign_jvm_memory_used_bytes", Map.of("area", "heap")))
                    .isPositive();
            assertThat(metrics.hasName("countersign_jvm_gc_live_data_size_bytes")).isTrue();
            assertThat(metrics.value("countersign_jvm_threads_live_threads")).isPositive();
            assertThat(metrics.value("countersign_jvm_classes_loaded_classes")).isPositive();
            assertThat(metrics.value("countersign_system_cpu_count")).isPositive();
            assertThat(metrics.value("countersign_process_uptime_seconds")).isPositive();
            assertThat(metrics.hasName("countersign_jetty_threads_busy")).isTrue();
            assertThat(metrics.hasName("countersign_jetty_connections_current_connections"))
                    .isTrue();
            assertThat(metrics.value("countersign_jetty_server_requests_seconds_count", Map.of(
                    "route", "/slack/events", "method", "POST", "status", "200")))
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void anExpiredTriggerAndACodeTheProviderRefusedAreCounted() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = app.enrolledUser("U0METRIC");
            app.slack.failNext("views.open", "expired_trigger_id", 1);
            app.client.command("pay 100 USD to Umbrella", user);
            app.slack.await("response_url", call -> call.text().contains("expired_trigger_id"),
                    TestApp.WAIT);
            app.signalWire.failNextStart(503);
            app.client.command("pay 200 USD to Initech", user);
            app.slack.await("views.update", call -> call.text().contains("could not be sent"),
                    TestApp.WAIT);

            Exposition metrics = awaitScrape(app, scraped -> scraped.value(
                    "countersign_code_sends_total", Map.of("result", "failed")) >= 1);

            assertThat(metrics.value("countersign_slack_triggers_expired_total", Map.of("reason",
                    "slack"))).isEqualTo(1);
            assertThat(metrics.value("countersign_slack_triggers_expired_total", Map.of("reason",
                    "too_old"))).isZero();
            assertThat(metrics.value("countersign_slack_api_errors_total", Map.of("method",
                    "views.open", "error", "expired_trigger_id"))).isEqualTo(1);
            assertThat(metrics.value("countersign_provider_errors_total", Map.of("provider",
                    "signalwire", "operation", "start", "kind", "unavailable"))).isEqualTo(1);
            assertThat(metrics.value("countersign_provider_requests_seconds_count", Map.of(
                    "operation", "start", "outcome", "error"))).isEqualTo(1);
            assertThat(metrics.value("countersign_code_sends_total", Map.of("channel", "sms",
                    "result", "failed"))).isEqualTo(1);
            assertThat(metrics.value("countersign_requests_ended_total", Map.of("kind", "payment",
                    "outcome", "failed"))).isEqualTo(2);
            assertThat(metrics.value("countersign_requests_opened_total", Map.of("kind",
                    "payment"))).isEqualTo(2);
        }
    }

    @Test
    void aResendHeldBackByTheCooldownCountsAsRefusedAndSendsNothing() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            String user = app.enrolledUser("U0METRIC");
            TestApp.Pending pending = app.request("pay 31 USD to Vandelay", user);
            int startsBefore = app.signalWire.starts().size();

            app.client.modalButton(pending.viewId(), pending.requestId(), user,
                    "countersign_resend_sms");
            app.slack.await("views.update", call -> pending.viewId().equals(
                    call.params().get("view_id")) && call.text().contains("Wait "), TestApp.WAIT);

            Exposition metrics = Exposition.scrape(app.app.port());
            assertThat(app.signalWire.starts()).hasSize(startsBefore);
            assertThat(metrics.value("countersign_code_sends_total", Map.of("channel", "sms",
                    "result", "refused"))).isEqualTo(1);
            assertThat(metrics.value("countersign_code_sends_total", Map.of("result", "sent")))
                    .isEqualTo(2);
        }
    }

    @Test
    void aWebhookThatKeepsFailingShowsAsRetriesAndAnOutboxBacklog() throws Exception {
        try (MockWebServer receiver = new MockWebServer()) {
            for (int i = 0; i < 5; i++) {
                receiver.enqueue(new MockResponse().setResponseCode(500));
            }
            receiver.start();
            try (TestApp app = TestApp.start(dir, Map.of(
                    "APPROVAL_WEBHOOK_URL", receiver.url("/countersign").toString(),
                    "APPROVAL_WEBHOOK_SECRET", "webhook-secret-0123456789abcdef-0123"))) {
                String user = app.enrolledUser("U0METRIC");
                TestApp.Pending pending = app.request("pay 75 USD to Hooli", user);
                app.client.submitCode(pending.viewId(), pending.requestId(), user,
                        FakeSignalWire.DEFAULT_CODE);

                Exposition metrics = awaitScrape(app, scraped -> scraped.value(
                        "countersign_webhook_deliveries_total", Map.of("result", "retry")) >= 1);

                assertThat(metrics.value("countersign_webhook_deliveries_total", Map.of("result",
                        "delivered"))).isZero();
                assertThat(metrics.value("countersign_outbox_pending")).isEqualTo(1);
                assertThat(metrics.value("countersign_outbox_oldest_age_seconds"))
                        .isGreaterThanOrEqualTo(0).isLessThan(60);
            }
        }
    }

    private static Exposition awaitScrape(TestApp app,
                                          java.util.function.Predicate<Exposition> done) {
        Exposition[] last = new Exposition[1];
        TestApp.awaitCondition(() -> done.test(last[0] = Exposition.scrape(app.app.port())),
                "the counters to move");
        return last[0];
    }

    private static void noLabelIsPersonal(Exposition metrics, List<String> personal) {
        for (Exposition.Sample sample : metrics.samples()) {
            for (String value : sample.labels().values()) {
                assertThat(value).as("label of %s", sample.name())
                        .doesNotContainPattern(PERSONAL);
                for (String secret : personal) {
                    assertThat(value).as("label of %s", sample.name()).doesNotContain(secret);
                }
            }
        }
    }
}

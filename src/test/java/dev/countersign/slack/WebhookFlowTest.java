package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.TestApp;
import dev.countersign.webhook.WebhookSigner;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An approval made in Slack reaches the webhook receiver, signed, once. */
class WebhookFlowTest {

    private static final String SECRET = "webhook-secret-0123456789abcdef-0123";

    @TempDir
    Path dir;

    @Test
    void approvedPaymentIsPostedSignedToTheWebhook() throws Exception {
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.enqueue(new MockResponse().setResponseCode(500));
            receiver.enqueue(new MockResponse().setResponseCode(204));
            receiver.start();
            try (TestApp app = TestApp.start(dir, Map.of(
                    "APPROVAL_WEBHOOK_URL", receiver.url("/countersign").toString(),
                    "APPROVAL_WEBHOOK_SECRET", SECRET))) {
                String user = "U0HOOK0001";
                app.enroll(user, TestApp.PHONE);
                TestApp.Pending pending = app.request("pay 2,500.00 USD to Acme <Corp> & Sons", user);
                app.client.submitCode(pending.viewId(), pending.requestId(), user,
                        FakeSignalWire.DEFAULT_CODE);

                RecordedRequest first = receiver.takeRequest(10, TimeUnit.SECONDS);
                RecordedRequest delivered = receiver.takeRequest(20, TimeUnit.SECONDS);

                assertThat(first).isNotNull();
                assertThat(delivered).as("retried after the 500").isNotNull();
                String body = delivered.getBody().readUtf8();
                assertThat(WebhookSigner.verify(SECRET, delivered.getHeader("Countersign-Timestamp"),
                        body, delivered.getHeader("Countersign-Signature"), Instant.now())).isTrue();
                assertThat(delivered.getHeader("Idempotency-Key")).isEqualTo(pending.requestId());
                JsonNode event = new ObjectMapper().readTree(body);
                assertThat(event.path("type").asText()).isEqualTo("payment.approved");
                assertThat(event.path("amount").asText()).isEqualTo("2500.00");
                assertThat(event.path("payee").asText()).isEqualTo("Acme <Corp> & Sons");
                assertThat(event.path("approvers").get(0).path("user_id").asText()).isEqualTo(user);
                assertThat(receiver.takeRequest(1, TimeUnit.SECONDS)).as("delivered once").isNull();
            }
        }
    }
}

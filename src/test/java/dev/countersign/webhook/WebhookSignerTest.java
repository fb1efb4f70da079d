package dev.countersign.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final String SECRET = "whsec-test-0123456789abcdef";
    private static final Instant SENT = Instant.ofEpochSecond(1_793_527_200L);
    /** Non-ASCII on purpose: the HMAC is over the body's UTF-8 bytes. */
    private static final String BODY =
            "{\"id\":\"3f1c\",\"type\":\"payment.approved\",\"payee\":\"Société Générale\"}";
    /** Computed independently: Python's hmac.new(secret, b"v1:1793527200:" + body, sha256). */
    private static final String VECTOR =
            "v1=93ec059d6bdec8dc5433756a849776fb2e2fa93e0a98c0a90443142559e77f1b";

    private final WebhookSigner signer = new WebhookSigner(SECRET);

    @Test
    void signatureIsHexHmacSha256OfVersionTimestampAndBody() {
        WebhookSigner.Signature signature = signer.sign(BODY, SENT.plusMillis(999));

        assertThat(signature.timestamp()).isEqualTo("1793527200");
        assertThat(signature.header()).isEqualTo(VECTOR);
    }

    @Test
    void receiverAcceptsAGenuineSignatureWithinFiveMinutesEitherWay() {
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, VECTOR, SENT)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, VECTOR,
                SENT.plus(Duration.ofMinutes(5)))).isTrue();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, VECTOR,
                SENT.minus(Duration.ofMinutes(5)))).isTrue();
    }

    @Test
    void receiverRefusesATimestampMoreThanFiveMinutesAway() {
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, VECTOR,
                SENT.plus(Duration.ofSeconds(301)))).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, VECTOR,
                SENT.minus(Duration.ofSeconds(301)))).isFalse();
    }

    @Test
    void receiverRefusesAnyChangedPart() {
        assertThat(WebhookSigner.verify("another-secret-0123456", "1793527200", BODY, VECTOR,
                SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY.replace("Société", "Societe"),
                VECTOR, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527201", BODY, VECTOR, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, VECTOR.replace("v1=", "v0="),
                SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY,
                VECTOR.substring(0, VECTOR.length() - 1) + "0", SENT)).isFalse();
    }

    @Test
    void receiverRefusesMissingOrMalformedHeadersWithoutThrowing() {
        assertThat(WebhookSigner.verify(SECRET, null, BODY, VECTOR, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, null, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", null, VECTOR, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "-1793527200", BODY, VECTOR, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1.7e9", BODY, VECTOR, SENT)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "99999999999999999999", BODY, VECTOR, SENT))
                .isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1793527200", BODY, "", SENT)).isFalse();
    }

    @Test
    void secretIsRequiredAndNeverShown() {
        assertThatThrownBy(() -> new WebhookSigner(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(signer.toString()).doesNotContain(SECRET);
    }
}

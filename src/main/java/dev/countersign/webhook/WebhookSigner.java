package dev.countersign.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on every webhook POST, in the same shape as Slack's request signing.
 *
 * <p>Algorithm (version {@code v1}):
 * <ol>
 *   <li>{@code timestamp} is the time of sending in whole Unix seconds, sent as the header
 *       {@code Countersign-Timestamp: 1793527200}.</li>
 *   <li>The signed text is {@code "v1:" + timestamp + ":" + body}, where {@code body} is the raw
 *       request body exactly as sent (UTF-8 JSON; do not re-serialise it before checking).</li>
 *   <li>The signature is the lower-case hex HMAC-SHA256 of that text's UTF-8 bytes, keyed with
 *       the UTF-8 bytes of {@code APPROVAL_WEBHOOK_SECRET}, sent as
 *       {@code Countersign-Signature: v1=<64 hex digits>}.</li>
 * </ol>
 * A receiver recomputes the signature, compares it in constant time, and rejects a timestamp more
 * than five minutes from its own clock in either direction, so a captured request cannot be
 * replayed later. Each retry is signed afresh with a new timestamp; the {@code Idempotency-Key}
 * header (the request id) stays the same, so a receiver acts once per approval. In Java:
 * <pre>{@code
 * boolean genuine = WebhookSigner.verify(secret,
 *         request.getHeader("Countersign-Timestamp"), rawBody,
 *         request.getHeader("Countersign-Signature"), Instant.now(), WebhookSigner.TOLERANCE);
 * }</pre>
 */
public final class WebhookSigner {

    public static final String TIMESTAMP_HEADER = "Countersign-Timestamp";
    public static final String SIGNATURE_HEADER = "Countersign-Signature";
    public static final String VERSION = "v1";
    /** How far a timestamp may be from the receiver's clock, either way. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static final String ALGORITHM = "HmacSHA256";
    /** Up to 12 digits: any date until the year 33658, and no overflow on parsing. */
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

    private final byte[] key;

    public WebhookSigner(String secret) {
        this.key = keyOf(secret);
    }

    /** The two headers for {@code body} sent at {@code at}. */
    public record Signature(String timestamp, String header) {
    }

    public Signature sign(String body, Instant at) {
        Objects.requireNonNull(body, "body");
        String timestamp = Long.toString(at.getEpochSecond());
        return new Signature(timestamp, VERSION + "=" + hex(key, timestamp, body));
    }

    /**
     * Whether {@code signatureHeader} is our signature of {@code body} made at {@code timestamp},
     * and {@code timestamp} lies within {@code tolerance} of {@code now}. Never throws on what a
     * sender controls: any missing or malformed part is simply not genuine.
     */
    public static boolean verify(String secret, String timestamp, String body,
                                 String signatureHeader, Instant now, Duration tolerance) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(tolerance, "tolerance");
        if (timestamp == null || body == null || signatureHeader == null
                || !TIMESTAMP.matcher(timestamp).matches()) {
            return false;
        }
        Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(sent, now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        String expected = VERSION + "=" + hex(keyOf(secret), timestamp, body);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signatureHeader.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #verify(String, String, String, String, Instant, Duration)} with five minutes. */
    public static boolean verify(String secret, String timestamp, String body,
                                 String signatureHeader, Instant now) {
        return verify(secret, timestamp, body, signatureHeader, now, TOLERANCE);
    }

    private static String hex(byte[] key, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            String signed = VERSION + ":" + timestamp + ":" + body;
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] keyOf(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the webhook secret must not be empty");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WebhookSigner[v1]"; // never the secret
    }
}

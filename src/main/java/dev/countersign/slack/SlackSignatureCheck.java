package dev.countersign.slack;

import dev.countersign.web.RequestCheck;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's request signature, checked in front of Bolt: {@code v0=} + hex HMAC-SHA256 of
 * {@code "v0:" + timestamp + ":" + body} under the signing secret, compared in constant time
 * ({@link MessageDigest#isEqual}; Bolt's own check compares strings, which returns sooner the
 * earlier they differ), with the timestamp within 300 s of now in either direction (Bolt only
 * refuses old ones; a future stamp would let a captured request be replayed later).
 */
public final class SlackSignatureCheck implements RequestCheck {

    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Clock clock;

    public SlackSignatureCheck(String signingSecret, Clock clock) {
        this.key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.clock = clock;
    }

    @Override
    public boolean accepts(String timestamp, String signature, String body) {
        if (timestamp == null || signature == null || body == null) {
            return false;
        }
        long stamp;
        try {
            stamp = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(clock.instant().getEpochSecond() - stamp) > MAX_SKEW.toSeconds()) {
            return false;
        }
        byte[] expected = ("v0=" + HexFormat.of().formatHex(mac("v0:" + timestamp + ":" + body)))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(String base) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(base.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}

package dev.countersign.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs as Slack does: {@code v0=} + hex HMAC-SHA256(signing secret,
 * {@code "v0:" + timestamp + ":" + body}). One {@link Mac} per thread.
 */
final class SlackSigner {

    private final ThreadLocal<Mac> macs;

    SlackSigner(String signingSecret) {
        SecretKeySpec key = new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8),
                "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is always available", e);
            }
        });
    }

    String sign(String timestamp, String body) {
        Mac mac = macs.get();
        byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body)
                .getBytes(StandardCharsets.UTF_8));
        return "v0=" + HexFormat.of().formatHex(digest);
    }
}

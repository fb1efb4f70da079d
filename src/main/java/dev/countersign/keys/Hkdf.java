package dev.countersign.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869): extract with a fixed salt, expand to one 32-byte block. Written out
 * because the JDK has no HKDF before 24's preview and the 20 lines over {@link Mac} are easier
 * to audit than a dependency; {@code HkdfTest} checks RFC 5869's test case 1.
 */
final class Hkdf {

    private static final byte[] SALT = "countersign".getBytes(StandardCharsets.UTF_8);

    private Hkdf() {
    }

    static byte[] derive(byte[] master, String info) {
        return expand(extract(SALT, master), info.getBytes(StandardCharsets.UTF_8), 32);
    }

    static byte[] extract(byte[] salt, byte[] inputKey) {
        return hmac(salt, inputKey);
    }

    static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) {
        byte[] out = new byte[length];
        byte[] block = new byte[0];
        int done = 0;
        for (int counter = 1; done < length; counter++) {
            byte[] input = new byte[block.length + info.length + 1];
            System.arraycopy(block, 0, input, 0, block.length);
            System.arraycopy(info, 0, input, block.length, info.length);
            input[input.length - 1] = (byte) counter;
            block = hmac(pseudoRandomKey, input);
            int take = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, take);
            done += take;
        }
        return out;
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}

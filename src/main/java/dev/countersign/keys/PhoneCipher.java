package dev.countersign.keys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Phone numbers at rest: AES-256-GCM under the {@link Purpose#PHONE_ENCRYPTION} key, a random
 * 96-bit nonce per value, and associated data naming the row it belongs to, so a ciphertext
 * copied to another person's row does not decrypt. Stored as {@code v1:<base64(nonce|ct)>}.
 * Previous keys still decrypt after a rotation.
 */
public final class PhoneCipher {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DerivedKeys keys;

    public PhoneCipher(KeyRing ring) {
        this.keys = ring.derive(Purpose.PHONE_ENCRYPTION);
    }

    /** Whether a stored value is already encrypted (older rows hold the number itself). */
    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    public String encrypt(String phone, String boundTo) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, keys.raw().getFirst(), nonce, boundTo,
                phone.getBytes(StandardCharsets.UTF_8));
        return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length
                + sealed.length).put(nonce).put(sealed).array());
    }

    /** The number, or empty when no known key opens it for this row (moved, changed, or lost). */
    public Optional<String> decrypt(String stored, String boundTo) {
        if (!isEncrypted(stored)) {
            return Optional.empty();
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (all.length <= NONCE_BYTES) {
            return Optional.empty();
        }
        byte[] nonce = Arrays.copyOf(all, NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(all, NONCE_BYTES, all.length);
        for (byte[] key : keys.raw()) {
            try {
                return Optional.of(new String(run(Cipher.DECRYPT_MODE, key, nonce, boundTo,
                        sealed), StandardCharsets.UTF_8));
            } catch (IllegalStateException wrongKey) {
                // try the next (older) key
            }
        }
        return Optional.empty();
    }

    private static byte[] run(int mode, byte[] key, byte[] nonce, String boundTo, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS,
                    nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("not this key, or not this row", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }
}

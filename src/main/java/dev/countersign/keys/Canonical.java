package dev.countersign.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The text MACs and digests are taken over: each field as {@code |<length>:<text>}, an absent
 * one as {@code |-}, so no two different field lists encode alike. One encoding for the keyed
 * MACs ({@link DerivedKeys}) and for the plain SHA-256 digests made before the server had a key
 * ({@code ActionDigest}, {@code AuditChain.legacyHashOf}), which must stay what they were.
 */
public final class Canonical {

    private Canonical() {
    }

    public static String of(String... fields) {
        StringBuilder canonical = new StringBuilder();
        for (String field : fields) {
            if (field == null) {
                canonical.append("|-");
            } else {
                canonical.append('|').append(field.length()).append(':').append(field);
            }
        }
        return canonical.toString();
    }

    /** Hex SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

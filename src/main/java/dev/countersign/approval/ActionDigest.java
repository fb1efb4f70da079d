package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * SHA-256 over a canonical encoding of what is being approved, by whom and when (PSD2 "dynamic
 * linking": the approval is bound to these exact details). Fields are length-prefixed so no two
 * different requests encode alike.
 */
public final class ActionDigest {

    private ActionDigest() {
    }

    public static String of(String requestId, Actor requester, Action action, Instant createdAt) {
        StringBuilder canonical = new StringBuilder("countersign-v1");
        field(canonical, requestId);
        field(canonical, requester.installationId());
        field(canonical, requester.userId());
        field(canonical, Long.toString(createdAt.toEpochMilli()));
        field(canonical, action.kind());
        for (var entry : action.fields().entrySet()) {
            field(canonical, entry.getKey());
            field(canonical, entry.getValue());
        }
        return sha256(canonical.toString());
    }

    private static void field(StringBuilder canonical, String value) {
        if (value == null) {
            canonical.append("|-");
        } else {
            canonical.append('|').append(value.length()).append(':').append(value);
        }
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

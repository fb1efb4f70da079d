package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A canonical encoding of what is being approved, by whom and when (PSD2 "dynamic linking": the
 * approval is bound to these exact details). Fields are length-prefixed so no two different
 * requests encode alike.
 *
 * <p>{@link #of} is the plain SHA-256 of it, as requests were bound before the server had a key:
 * anyone who can write the database can recompute it, so it only identifies requests made
 * before the upgrade ({@code KeyedMigrations} re-binds those). New requests are bound with a
 * keyed MAC of the same fields, {@link ActionBinding}.
 */
public final class ActionDigest {

    private ActionDigest() {
    }

    /** The legacy, unkeyed digest. */
    public static String of(String requestId, Actor requester, Action action, Instant createdAt) {
        StringBuilder canonical = new StringBuilder("countersign-v1");
        for (String value : fields(requestId, requester, action, createdAt)) {
            field(canonical, value);
        }
        return sha256(canonical.toString());
    }

    /** The fields a binding covers, in order. */
    static String[] fields(String requestId, Actor requester, Action action, Instant createdAt) {
        List<String> fields = new ArrayList<>();
        fields.add(requestId);
        fields.add(requester.installationId());
        fields.add(requester.userId());
        fields.add(Long.toString(createdAt.toEpochMilli()));
        fields.add(action.kind());
        for (var entry : action.fields().entrySet()) {
            fields.add(entry.getKey());
            fields.add(entry.getValue());
        }
        return fields.toArray(String[]::new);
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

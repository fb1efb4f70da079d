package dev.countersign.approval;

import dev.countersign.keys.Canonical;
import dev.countersign.people.Actor;
import java.time.Instant;
import java.util.ArrayList;
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
        return Canonical.sha256("countersign-v1"
                + Canonical.of(fields(requestId, requester, action, createdAt)));
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
}

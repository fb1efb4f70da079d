package dev.countersign.approval;

import dev.countersign.keys.DerivedKeys;
import dev.countersign.keys.KeyRing;
import dev.countersign.keys.Purpose;
import dev.countersign.people.Actor;
import java.time.Instant;

/**
 * Binds a request to its exact details with HMAC-SHA256 under the server's
 * {@link Purpose#ACTION_BINDING} key: someone who can write the database but has not the key
 * cannot change an amount or a payee and make the binding match again. Stored as the request's
 * {@code digest}; checked before anything is approved and again before the webhook is sent.
 * Bindings made under a previous key (before a rotation) still verify.
 */
public final class ActionBinding {

    private static final String VERSION = "countersign-binding-v2";

    private final DerivedKeys keys;

    public ActionBinding(KeyRing ring) {
        this.keys = ring.derive(Purpose.ACTION_BINDING);
    }

    public String of(String requestId, Actor requester, Action action, Instant createdAt) {
        return keys.mac(withVersion(ActionDigest.fields(requestId, requester, action,
                createdAt)));
    }

    /** Whether the request's stored details are the ones it was bound to. */
    public boolean verifies(ApprovalRequest request) {
        return keys.verifies(request.digest(), withVersion(ActionDigest.fields(request.id(),
                request.requester(), request.action(), request.createdAt())));
    }

    private static String[] withVersion(String[] fields) {
        String[] all = new String[fields.length + 1];
        all[0] = VERSION;
        System.arraycopy(fields, 0, all, 1, fields.length);
        return all;
    }
}

package dev.countersign.approval;

import java.util.UUID;

/** Request ids: unguessable, unlike references, which people type. */
final class Ids {

    private Ids() {
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }
}

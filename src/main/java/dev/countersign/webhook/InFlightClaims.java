package dev.countersign.webhook;

import dev.countersign.approval.OutboxMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The outbox messages that deliveries are working on, claimed under one lock together with the
 * read of the due ones. A delivery gives its claim back only after its outcome is stored, so a
 * read that misses that outcome still sees the claim: no message is sent twice at once.
 */
final class InFlightClaims {

    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Long> held = new HashSet<>();

    /** The messages {@code due} reads that no one holds, each now held by the caller. */
    List<OutboxMessage> claim(Supplier<List<OutboxMessage>> due) {
        lock.lock();
        try {
            List<OutboxMessage> claimed = new ArrayList<>();
            for (OutboxMessage message : due.get()) {
                if (held.add(message.id())) {
                    claimed.add(message);
                }
            }
            return claimed;
        } finally {
            lock.unlock();
        }
    }

    void release(List<OutboxMessage> messages) {
        lock.lock();
        try {
            messages.forEach(message -> held.remove(message.id()));
        } finally {
            lock.unlock();
        }
    }
}

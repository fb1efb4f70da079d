package dev.countersign.approval;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per request, held while a code is checked. Without it, a second submission could hear
 * "404 already verified" from the provider while the first is still committing its approval, and
 * lock a request that is in fact approved.
 *
 * <p>Exactly one lock per request id, not stripes: a check holds its lock for as long as the
 * provider takes (seconds), so with hundreds of checks in flight, striping made unrelated
 * requests queue behind one another (the benchmark saw approvals seconds late). A lock lives
 * only while someone holds or waits for it.
 */
final class RequestLocks {

    private static final class Entry {
        private final ReentrantLock lock = new ReentrantLock();
        private int users; // changed only inside the map's atomic compute calls
    }

    private final ConcurrentHashMap<String, Entry> locks = new ConcurrentHashMap<>();

    <T> T with(String requestId, Supplier<T> work) {
        Entry entry = locks.compute(requestId, (id, existing) -> {
            Entry found = existing == null ? new Entry() : existing;
            found.users++;
            return found;
        });
        entry.lock.lock();
        try {
            return work.get();
        } finally {
            entry.lock.unlock();
            locks.computeIfPresent(requestId, (id, found) -> --found.users == 0 ? null : found);
        }
    }

    /** Requests whose lock is held or awaited right now. */
    int inUse() {
        return locks.size();
    }
}

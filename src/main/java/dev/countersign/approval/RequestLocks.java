package dev.countersign.approval;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per request (striped), held while a code is checked. Without it, a second submission
 * could hear "404 already verified" from the provider while the first is still committing its
 * approval, and lock a request that is in fact approved.
 */
final class RequestLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[256];

    RequestLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T with(String requestId, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(requestId.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}

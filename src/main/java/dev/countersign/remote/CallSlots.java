package dev.countersign.remote;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many calls a remote (Slack, SignalWire) may have from us at once. Work after the ack runs
 * on virtual threads, so nothing else limits them: without a cap a slow remote would get a new
 * connection per waiting call. A call that finds no slot within the wait fails as a timeout
 * ({@link InterruptedIOException}), like a call the remote did not answer.
 */
public final class CallSlots {

    private final String remote;
    private final int size;
    private final Duration wait;
    private final Semaphore free;

    /** {@code remote} names it in the time-out's message: "no Slack call slot free". */
    public CallSlots(String remote, int size, Duration wait) {
        this.remote = remote;
        this.size = size;
        this.wait = wait;
        this.free = new Semaphore(size);
    }

    /** One call, made within a slot. */
    @FunctionalInterface
    public interface Call<T> {
        T make() throws IOException;
    }

    public <T> T call(Call<T> call) throws IOException {
        boolean slot;
        try {
            slot = free.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a " + remote
                    + " call slot");
        }
        if (!slot) {
            throw new InterruptedIOException("no " + remote + " call slot free");
        }
        try {
            return call.make();
        } finally {
            free.release();
        }
    }

    /**
     * Three quarters or more of the slots are taken: the calls already under way will need the
     * rest, so new work is better turned away than admitted to wait for one.
     */
    public boolean nearlyFull() {
        return free.availablePermits() <= size / 4;
    }
}

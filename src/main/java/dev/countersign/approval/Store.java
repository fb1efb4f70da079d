package dev.countersign.approval;

import java.util.function.Function;

/** Where requests, enrollments, the audit trail and the outbox live. */
public interface Store {

    /** Runs {@code work} in one write transaction; an exception rolls everything back. */
    <T> T write(Function<Transaction, T> work);

    /**
     * Like {@link #write}, but returns once committed, before the disk has it: for writes that
     * decide nothing and have caused nothing outside yet (a new request, before its modal or
     * code). A crash of the process loses nothing; a power cut may lose it, and the person
     * asks again. The next ordinary write puts it on disk with its own.
     */
    default <T> T writeSoon(Function<Transaction, T> work) {
        return write(work);
    }

    /** Runs {@code work} on a consistent read-only snapshot. */
    <T> T read(Function<Transaction, T> work);
}

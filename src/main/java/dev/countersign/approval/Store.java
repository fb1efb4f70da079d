package dev.countersign.approval;

import java.util.function.Function;

/** Where requests, enrollments, the audit trail and the outbox live. */
public interface Store {

    /** Runs {@code work} in one write transaction; an exception rolls everything back. */
    <T> T write(Function<Transaction, T> work);

    /** Runs {@code work} on a consistent read-only snapshot. */
    <T> T read(Function<Transaction, T> work);
}

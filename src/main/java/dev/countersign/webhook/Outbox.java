package dev.countersign.webhook;

import java.time.Instant;
import java.util.List;

/**
 * Approved actions waiting for delivery: written in the same transaction as the approval, so an
 * approval is never lost between the database and the receiver. Part of a {@code Transaction}.
 */
public interface Outbox {

    void enqueue(String requestId, String payload, Instant at);

    /** Pending messages due at {@code now}, oldest first. */
    List<OutboxMessage> due(Instant now, int limit);

    /** The earliest time a pending message is due, if any is pending. */
    java.util.Optional<Instant> nextDue();

    void delivered(long id, int attempts, Instant at);

    void retryLater(long id, int attempts, Instant next, String error);

    void dead(long id, int attempts, Instant at, String error);
}

package dev.countersign.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Approved actions waiting for delivery: written in the same transaction as the approval, so an
 * approval is never lost between the database and the receiver. Part of a {@code Transaction}.
 *
 * <p>The three outcomes change a message only while it is {@code PENDING} and say whether this call
 * made the change, so an outcome is audited once even if two dispatchers race on one message.
 */
public interface Outbox {

    void enqueue(String requestId, String payload, Instant at);

    /** Pending messages due at {@code now}, oldest first. */
    List<OutboxMessage> due(Instant now, int limit);

    /** The earliest time a pending message is due, if any is pending. */
    Optional<Instant> nextDue();

    boolean delivered(long id, int attempts, Instant at);

    boolean retryLater(long id, int attempts, Instant next, String error);

    boolean dead(long id, int attempts, Instant at, String error);
}

package dev.countersign.approval;

import java.time.Instant;

/** One approved action waiting to be delivered to the webhook. */
public record OutboxMessage(long id, String requestId, String payload, int attempts,
                            Instant createdAt, Instant nextAttemptAt) {
}

package dev.countersign.approval;

import java.time.Instant;

/**
 * One approved action waiting to be delivered to the webhook.
 *
 * @param sealed whether the entry's seal verified under the server's key when it was read: an
 *               entry that someone without the key added or changed is never sent
 */
public record OutboxMessage(long id, String requestId, String payload, int attempts,
                            Instant createdAt, Instant nextAttemptAt, boolean sealed) {
}

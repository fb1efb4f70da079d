package dev.countersign.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Webhook messages still waiting for delivery: how many, and when the oldest was approved.
 *
 * @param pending how many messages are {@code PENDING}
 * @param oldest  the creation time of the oldest pending message, if any is pending
 */
public record OutboxBacklog(long pending, Optional<Instant> oldest) {
}

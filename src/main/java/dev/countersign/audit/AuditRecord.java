package dev.countersign.audit;

import java.time.Instant;

/**
 * One stored audit row, exactly as kept: {@code details} is the stored JSON text, and {@code hash}
 * covers this row's fields plus the previous row's hash.
 */
public record AuditRecord(long id, Instant at, String type, String requestId, String teamId,
                          String actor, String details, String previousHash, String hash) {
}

package dev.countersign.audit;

import java.time.Instant;
import java.util.List;

/** The append-only, hash-chained audit trail. Part of a {@code Transaction}. */
public interface AuditTrail {

    AuditRecord append(AuditEvent event, Instant at);

    /** Rows with an id above {@code afterId}, in id order, at most {@code limit}. */
    List<AuditRecord> after(long afterId, int limit);

    List<AuditRecord> ofRequest(String requestId);
}

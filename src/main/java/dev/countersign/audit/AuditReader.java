package dev.countersign.audit;

import java.util.List;

/**
 * Reads the stored audit trail page by page, each page on a consistent snapshot. What
 * {@link AuditVerification} and {@link AuditExport} need of a store, and nothing more: the audit
 * package knows no request or transaction.
 */
@FunctionalInterface
public interface AuditReader {

    /** Rows with an id above {@code afterId}, in id order, at most {@code limit}. */
    List<AuditRecord> after(long afterId, int limit);
}

package dev.countersign.audit;

import java.util.List;
import java.util.Optional;

/**
 * Reads the stored audit trail page by page, each page on a consistent snapshot. What
 * {@link AuditVerification} and {@link AuditExport} need of a store, and nothing more: the audit
 * package knows no request or transaction.
 */
@FunctionalInterface
public interface AuditReader {

    /** Rows with an id above {@code afterId}, in id order, at most {@code limit}. */
    List<AuditRecord> after(long afterId, int limit);

    /** The last row, if any. Pages through the trail; stores answer it with one query. */
    default Optional<AuditRecord> last() {
        Optional<AuditRecord> last = Optional.empty();
        while (true) {
            List<AuditRecord> page = after(last.map(AuditRecord::id).orElse(0L), 1000);
            if (page.isEmpty()) {
                return last;
            }
            last = Optional.of(page.getLast());
        }
    }
}

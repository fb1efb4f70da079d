package dev.countersign.approval;

import java.time.Instant;
import java.util.List;

/**
 * Told about every approval inside the transaction that makes it, so whatever it records (the
 * webhook outbox) commits together with the approval or not at all.
 */
@FunctionalInterface
public interface ApprovedActions {

    ApprovedActions NONE = (tx, request, verified, at) -> {
    };

    void approved(Transaction tx, ApprovalRequest request, List<CodeChallenge> verified, Instant at);
}

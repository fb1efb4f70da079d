package dev.countersign.approval;

import java.time.Instant;
import java.util.List;

/**
 * What an approval puts in the outbox for the systems that carry it out (the signed webhook).
 * Called by {@link RequestTransitions} inside the transaction that approves, so the entry commits
 * together with the approval or not at all.
 */
@FunctionalInterface
public interface ApprovalOutbox {

    /** For installations with no webhook: an approval records nothing more. */
    ApprovalOutbox NONE = (tx, request, verified, at) -> {
    };

    void recordApproval(Transaction tx, ApprovalRequest request, List<CodeChallenge> verified,
                        Instant at);
}

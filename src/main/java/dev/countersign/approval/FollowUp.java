package dev.countersign.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * One {@link Notice} still to be given for a request. {@code status} is the status the move went
 * to: a notice about a status the request has since left may be stale.
 */
public record FollowUp(long id, String requestId, Notice notice, RequestStatus status,
                       int attempts, Instant createdAt, Instant nextAttemptAt) {

    public FollowUp {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }

    /** Whether its next try is due at {@code now} (it is not waiting out a retry delay). */
    public boolean dueAt(Instant now) {
        return !nextAttemptAt.isAfter(now);
    }
}

package dev.countersign.approval;

import java.time.Instant;
import java.util.List;

/**
 * Notices waiting to be given, written in the same transaction as the move they follow (like the
 * {@link Outbox}), so no decision commits without them. Part of a {@code Transaction}. A notice
 * is {@code PENDING} until it is done or given up; the three outcomes change only a pending one.
 */
public interface FollowUps {

    /** A notice for {@code requestId}, tried at once and, failing that, from {@code dueAt}. */
    void record(String requestId, Notice notice, RequestStatus status, Instant at, Instant dueAt);

    /** The request's pending notices, in the order they were recorded. */
    List<FollowUp> pendingOf(String requestId);

    /** Requests with a pending notice due at {@code now}, the longest waiting first. */
    List<String> requestsDue(Instant now, int limit);

    boolean done(long id, int attempts, Instant at);

    boolean retryLater(long id, int attempts, Instant next, String error);

    boolean abandoned(long id, int attempts, Instant at, String error);
}

package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Stored approval requests. Part of a {@link Transaction}. */
public interface Requests {

    /** Stores a new request; {@code pendingPhone} (E.164) only for enrollments, else null. */
    void insert(ApprovalRequest request, String pendingPhone);

    Optional<ApprovalRequest> find(String id);

    Optional<ApprovalRequest> findByReference(String reference);

    /** Whether the reference is taken (references are short, so collisions are checked). */
    boolean referenceExists(String reference);

    /** The phone an enrollment request will store once verified. */
    Optional<String> pendingPhone(String id);

    /**
     * Moves the request to {@code to} only if its status is one of {@code from}; a terminal status
     * also drops any pending phone. Returns whether this call made the change.
     */
    boolean transition(String id, Set<RequestStatus> from, RequestStatus to, Instant at,
                       String decidedBy, String detail);

    void updateExpiry(String id, Instant expiresAt);

    /** Drops the response_url of requests made before {@code before}; returns how many. */
    int forgetResponseUrls(Instant before);

    /** Open requests of the person, newest first. */
    List<ApprovalRequest> openOf(Actor requester);

    /** Decided requests of the person, newest decision first. */
    List<ApprovalRequest> decidedOf(Actor requester, int limit);

    /** Open requests whose expiry has passed. */
    List<ApprovalRequest> dueToExpire(Instant now, int limit);

    /** Requests waiting for a second approver, oldest first. */
    List<ApprovalRequest> awaitingSecondApprover(String teamId, int limit);
}

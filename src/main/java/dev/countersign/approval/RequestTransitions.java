package dev.countersign.approval;

import dev.countersign.audit.AuditEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every move of a request from one status to another, and everything that must commit with it:
 * the conditional update (only from a status the caller expects and {@link RequestStatus}'s table
 * allows), the codes it ends, its audit row and, for an approval, its outbox entry. All inside the
 * caller's write transaction, so a move happens whole or not at all, and once.
 */
public final class RequestTransitions {

    private static final Logger log = LoggerFactory.getLogger(RequestTransitions.class);

    private final ApprovalOutbox outbox;
    private final ApprovalEvents events;

    public RequestTransitions(ApprovalOutbox outbox) {
        this(outbox, ApprovalEvents.NONE);
    }

    public RequestTransitions(ApprovalOutbox outbox, ApprovalEvents events) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * One move. {@code auditDetails} are written as the audit row's details;
     * {@code expiresAt}, when set, becomes the request's new deadline.
     */
    record Move(Set<RequestStatus> from, RequestStatus to, String by, String detail,
                String auditEvent, Map<String, String> auditDetails, Instant expiresAt,
                List<CodeChallenge> verified) {

        Move {
            from = Set.copyOf(from);
            for (RequestStatus status : from) {
                if (!status.canMoveTo(to)) {
                    // A programming error: the table in RequestStatus is the rule.
                    throw new IllegalArgumentException(status + " may not move to " + to);
                }
            }
            Objects.requireNonNull(auditEvent, "auditEvent");
            // In order, and absent values kept: the audit row shows them as written.
            auditDetails = Collections.unmodifiableMap(new LinkedHashMap<>(auditDetails));
            verified = List.copyOf(verified);
        }
    }

    /**
     * Ends an open request ({@code CANCELLED}, {@code EXPIRED}, {@code LOCKED}, {@code FAILED}):
     * its codes die, one audit row says why. Empty if it was no longer open.
     */
    public Optional<ApprovalRequest> end(Transaction tx, ApprovalRequest request,
                                         RequestStatus to, String by, String why, Instant now) {
        Map<String, String> details = AuditDetails.of(request);
        details.put("detail", why);
        return move(tx, request, new Move(RequestStatus.sourcesOf(to), to, by, why,
                "request." + to.name().toLowerCase(Locale.ROOT), details, null,
                List.of()), now);
    }

    /** The requester's code checked out and a second approver must now confirm. */
    Optional<ApprovalRequest> awaitSecondApprover(Transaction tx, ApprovalRequest request,
                                                  List<CodeChallenge> verified,
                                                  Instant expiresAt, Instant now) {
        return move(tx, request, new Move(Set.of(RequestStatus.AWAITING_CODE),
                RequestStatus.AWAITING_SECOND_APPROVER, null, "requester confirmed",
                "request.awaiting_second_approver", AuditDetails.decision(request, verified),
                expiresAt, verified), now);
    }

    /** Approved by the last code needed ({@code from} is the status that code was for). */
    Optional<ApprovalRequest> approve(Transaction tx, ApprovalRequest request, RequestStatus from,
                                      String approver, List<CodeChallenge> verified,
                                      Instant now) {
        return move(tx, request, new Move(Set.of(from), RequestStatus.APPROVED, approver, null,
                "request.approved", AuditDetails.decision(request, verified), null, verified),
                now);
    }

    /** A phone enrollment verified; the caller stores the phone in the same transaction. */
    Optional<ApprovalRequest> enrollmentVerified(Transaction tx, ApprovalRequest request,
                                                 List<CodeChallenge> verified, boolean change,
                                                 Instant now) {
        Map<String, String> details = AuditDetails.decision(request, verified);
        details.put("change", Boolean.toString(change));
        return move(tx, request, new Move(Set.of(RequestStatus.AWAITING_CODE),
                RequestStatus.APPROVED, request.requester().userId(), "phone verified",
                "enrollment.changed", details, null, verified), now);
    }

    /** A second approver said no, with a reason. */
    Optional<ApprovalRequest> reject(Transaction tx, ApprovalRequest request, String approver,
                                     String reason, Instant now) {
        Map<String, String> details = AuditDetails.of(request);
        details.put("reason", reason);
        return move(tx, request, new Move(Set.of(RequestStatus.AWAITING_SECOND_APPROVER),
                RequestStatus.REJECTED, approver, reason, "request.rejected", details, null,
                List.of()), now);
    }

    private Optional<ApprovalRequest> move(Transaction tx, ApprovalRequest request, Move move,
                                           Instant now) {
        if (!tx.requests().transition(request.id(), move.from(), move.to(), now, move.by(),
                move.detail())) {
            return Optional.empty();
        }
        if (!move.to().isOpen()) {
            tx.challenges().killOpen(request.id(), ChallengeState.DEAD);
        }
        if (move.expiresAt() != null) {
            tx.requests().updateExpiry(request.id(), move.expiresAt());
        }
        String actor = move.by() != null ? move.by() : request.requester().userId();
        tx.audit().append(AuditEvent.of(move.auditEvent(), request.id(),
                request.requester().teamId(), actor, move.auditDetails()), now);
        ApprovalRequest moved = tx.requests().find(request.id()).orElseThrow();
        if (move.to() == RequestStatus.APPROVED && !moved.isEnrollment()) {
            outbox.recordApproval(tx, moved, move.verified(), now);
        }
        if (!move.to().isOpen()) {
            events.ended(moved, move.to());
        }
        log.info("request {} {} ({}, by {})", request.reference(), move.to().word(),
                move.detail() == null ? move.auditEvent() : move.detail(), actor);
        return Optional.of(moved);
    }
}

package dev.countersign.approval;

import dev.countersign.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
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
 * allows), the codes it ends, its audit row, for an approval its outbox entry, and what people
 * must now be told ({@link Notice}s in {@link FollowUps}). All inside the caller's write
 * transaction, so a move happens whole or not at all, and once, and is never left unsaid.
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
        return end(tx, request, to, by, why, now, true);
    }

    /**
     * Ends an open request without recording anything to tell: only for an enrollment replaced
     * by a newer one, whose person is looking at the newer one's window. Every other end records
     * its notices, which the caller that shows the end itself then marks as seen.
     */
    Optional<ApprovalRequest> endUnannounced(Transaction tx, ApprovalRequest request,
                                             RequestStatus to, String by, String why,
                                             Instant now) {
        return end(tx, request, to, by, why, now, false);
    }

    private Optional<ApprovalRequest> end(Transaction tx, ApprovalRequest request,
                                          RequestStatus to, String by, String why, Instant now,
                                          boolean announced) {
        Map<String, String> details = AuditDetails.of(request);
        details.put("detail", why);
        return move(tx, request, new Move(RequestStatus.sourcesOf(to), to, by, why,
                "request." + to.name().toLowerCase(Locale.ROOT), details, null,
                List.of()), now, announced);
    }

    /** The requester's code checked out and a second approver must now confirm. */
    Optional<ApprovalRequest> awaitSecondApprover(Transaction tx, ApprovalRequest request,
                                                  List<CodeChallenge> verified,
                                                  Instant expiresAt, Instant now) {
        return move(tx, request, new Move(Set.of(RequestStatus.AWAITING_CODE),
                RequestStatus.AWAITING_SECOND_APPROVER, null, "requester confirmed",
                "request.awaiting_second_approver", AuditDetails.decision(request, verified),
                expiresAt, verified), now, true);
    }

    /** Approved by the last code needed ({@code from} is the status that code was for). */
    Optional<ApprovalRequest> approve(Transaction tx, ApprovalRequest request, RequestStatus from,
                                      String approver, List<CodeChallenge> verified,
                                      Instant now) {
        return move(tx, request, new Move(Set.of(from), RequestStatus.APPROVED, approver, null,
                "request.approved", AuditDetails.decision(request, verified), null, verified),
                now, true);
    }

    /** A phone enrollment verified; the caller stores the phone in the same transaction. */
    Optional<ApprovalRequest> enrollmentVerified(Transaction tx, ApprovalRequest request,
                                                 List<CodeChallenge> verified, boolean change,
                                                 Instant now) {
        Map<String, String> details = AuditDetails.decision(request, verified);
        details.put("change", Boolean.toString(change));
        return move(tx, request, new Move(Set.of(RequestStatus.AWAITING_CODE),
                RequestStatus.APPROVED, request.requester().userId(), "phone verified",
                "enrollment.changed", details, null, verified), now, true);
    }

    /** A second approver said no, with a reason. */
    Optional<ApprovalRequest> reject(Transaction tx, ApprovalRequest request, String approver,
                                     String reason, Instant now) {
        Map<String, String> details = AuditDetails.of(request);
        details.put("reason", reason);
        return move(tx, request, new Move(Set.of(RequestStatus.AWAITING_SECOND_APPROVER),
                RequestStatus.REJECTED, approver, reason, "request.rejected", details, null,
                List.of()), now, true);
    }

    private Optional<ApprovalRequest> move(Transaction tx, ApprovalRequest request, Move move,
                                           Instant now, boolean announced) {
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
                request.requester().installationId(), actor, move.auditDetails()), now);
        ApprovalRequest moved = tx.requests().find(request.id()).orElseThrow();
        if (move.to() == RequestStatus.APPROVED && !moved.isEnrollment()) {
            outbox.recordApproval(tx, moved, move.verified(), now);
        }
        if (announced) {
            Instant due = now.plus(FollowUpLedger.LEFT_TO_THE_MOVER);
            for (Notice notice : noticesOf(move, moved)) {
                tx.followUps().record(moved.id(), notice, move.to(), now, due);
            }
        }
        if (!move.to().isOpen()) {
            events.ended(moved, move.to());
        }
        log.info("request {} {} ({}, by {})", request.reference(), move.to().word(),
                move.detail() == null ? move.auditEvent() : move.detail(), actor);
        return Optional.of(moved);
    }

    /**
     * What people must hear of a move: every window shows it; the approval goes to where it was
     * asked for; otherwise the requester hears (that it waits, or why it ended; the phone now
     * enrolled); the second approvers are asked, and later see the outcome.
     */
    static List<Notice> noticesOf(Move move, ApprovalRequest moved) {
        List<Notice> notices = new ArrayList<>();
        notices.add(Notice.SCREENS);
        if (move.to() == RequestStatus.AWAITING_SECOND_APPROVER) {
            notices.add(Notice.REQUESTER);
            notices.add(Notice.APPROVERS_ASKED);
            return notices;
        }
        notices.add(move.to() == RequestStatus.APPROVED && !moved.isEnrollment()
                ? Notice.RESULT : Notice.REQUESTER);
        if (move.from().contains(RequestStatus.AWAITING_SECOND_APPROVER)) {
            notices.add(Notice.APPROVERS_OUTCOME);
        }
        return notices;
    }
}

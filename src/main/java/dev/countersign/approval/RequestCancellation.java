package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Ending a request its requester no longer wants: {@code /approve cancel}, Home, the modal. */
public final class RequestCancellation {

    private final Store store;
    private final RequestLocks locks;
    private final RequestTransitions transitions;
    private final Clock clock;

    RequestCancellation(Store store, RequestLocks locks, RequestTransitions transitions,
                        Clock clock) {
        this.store = store;
        this.locks = locks;
        this.transitions = transitions;
        this.clock = clock;
    }

    /** The outcome of cancelling. */
    public sealed interface Cancellation {
        record Cancelled(ApprovalRequest request) implements Cancellation {
        }

        record Refused(String message) implements Cancellation {
        }
    }

    /** {@code /approve cancel CS-…}: only the requester may cancel, and only an open request. */
    public Cancellation cancelByReference(String reference, Actor by) {
        Optional<ApprovalRequest> request = store.read(tx ->
                tx.requests().findByReference(reference));
        if (request.isEmpty() || !request.get().requester().equals(by)) {
            return new Cancellation.Refused("I can't find a request " + reference + " of yours. "
                    + "`/approve status` lists them.");
        }
        return cancel(request.get().id(), by, "cancelled by the requester");
    }

    /**
     * An operator ends an open request from the command line ({@code requests cancel}), with a
     * reason the audit row and the requester see. {@code operator} is who the audit row names.
     */
    public Cancellation cancelByOperator(String reference, String operator, String reason) {
        Optional<ApprovalRequest> found = store.read(tx ->
                tx.requests().findByReference(reference));
        if (found.isEmpty()) {
            return new Cancellation.Refused("There is no request " + reference + ".");
        }
        String requestId = found.get().id();
        return locks.with(requestId, () -> store.write(tx -> {
            ApprovalRequest request = tx.requests().find(requestId).orElseThrow();
            if (!request.status().isOpen()) {
                return new Cancellation.Refused("Request " + reference + " is already "
                        + request.status().word() + ": only open requests can be cancelled.");
            }
            return transitions.end(tx, request, RequestStatus.CANCELLED, operator,
                            "cancelled by an operator: " + reason, clock.instant())
                    .<Cancellation>map(Cancellation.Cancelled::new)
                    .orElseGet(() -> new Cancellation.Refused("Request " + reference
                            + " was decided a moment ago."));
        }));
    }

    public Cancellation cancel(String requestId, Actor by, String why) {
        return locks.with(requestId, () -> store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            if (found.isEmpty() || !found.get().requester().equals(by)) {
                return new Cancellation.Refused("Only the person who asked can cancel a request.");
            }
            ApprovalRequest request = found.get();
            if (!request.status().isOpen()) {
                return new Cancellation.Refused("Request " + request.reference() + " is already "
                        + request.status().word() + ".");
            }
            return transitions.end(tx, request, RequestStatus.CANCELLED, by.userId(), why,
                            clock.instant())
                    .<Cancellation>map(Cancellation.Cancelled::new)
                    .orElseGet(() -> new Cancellation.Refused("Request " + request.reference()
                            + " was decided a moment ago."));
        }));
    }

    /**
     * The requester closed their code modal: while their own code is awaited this cancels the
     * request. Closing the "waiting for a second approver" modal changes nothing, and an approver
     * closing theirs only drops their code.
     */
    public Optional<ApprovalRequest> modalClosed(String requestId, Actor by) {
        return locks.with(requestId, () -> store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            if (found.isEmpty() || !found.get().status().isOpen()) {
                return Optional.<ApprovalRequest>empty();
            }
            ApprovalRequest request = found.get();
            Instant now = clock.instant();
            if (request.status() == RequestStatus.AWAITING_CODE && request.requester().equals(by)) {
                return transitions.end(tx, request, RequestStatus.CANCELLED, by.userId(),
                        "modal closed", now);
            }
            Optional<CodeChallenge> current = tx.challenges().current(requestId);
            if (current.isPresent() && current.get().purpose() == ChallengePurpose.SECOND_APPROVER
                    && current.get().verifier().equals(by)) {
                tx.challenges().killOpen(requestId, ChallengeState.DEAD);
                tx.audit().append(AuditDetails.event("second_approval.abandoned", request,
                        by.userId(), AuditDetails.of(current.get())), now);
            }
            return Optional.<ApprovalRequest>empty();
        }));
    }
}

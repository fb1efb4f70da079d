package dev.countersign.approval;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Ends open requests whose time ran out ({@code EXPIRED}). */
public final class RequestExpiry {

    /** How many due requests one pass reads; the next pass takes the rest. */
    private static final int BATCH = 100;

    private final Store store;
    private final RequestLocks locks;
    private final RequestTransitions transitions;
    private final Clock clock;

    RequestExpiry(Store store, RequestLocks locks, RequestTransitions transitions, Clock clock) {
        this.store = store;
        this.locks = locks;
        this.transitions = transitions;
        this.clock = clock;
    }

    /** Marks every open request past its expiry {@code EXPIRED}; returns those it ended. */
    public List<ApprovalRequest> expireDue() {
        List<ApprovalRequest> due = store.read(tx -> tx.requests().dueToExpire(clock.instant(),
                BATCH));
        List<ApprovalRequest> expired = new ArrayList<>();
        for (ApprovalRequest candidate : due) {
            locks.with(candidate.id(), () -> store.write(tx -> {
                // Re-read: a resend may have pushed the expiry out since the list was made.
                Optional<ApprovalRequest> current = tx.requests().find(candidate.id())
                        .filter(request -> request.status().isOpen())
                        .filter(request -> !request.expiresAt().isAfter(clock.instant()));
                current.flatMap(request -> transitions.end(tx, request, RequestStatus.EXPIRED,
                                "system", "no code in time", clock.instant()))
                        .ifPresent(expired::add);
                return null;
            }));
        }
        return expired;
    }
}

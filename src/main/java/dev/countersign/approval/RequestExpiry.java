package dev.countersign.approval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * How long Slack accepts posts to a command's response_url; after it, the address is only a
     * capability to post into someone's channel that nobody needs, so it is not kept.
     */
    static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);

    /** Forgets the response_urls Slack would no longer accept; returns how many. */
    public int forgetStaleResponseUrls() {
        Instant before = clock.instant().minus(RESPONSE_URL_LIFETIME);
        return store.write(tx -> tx.requests().forgetResponseUrls(before));
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

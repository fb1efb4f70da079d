package dev.countersign.approval;

import dev.countersign.people.Enrollment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notices still to be given ({@link FollowUps}), for the adapter that gives them: each with
 * the request as it stands now, and what happens to one that could not be given. A notice is
 * tried at once after its move commits; one that failed is tried again 5 s, 10 s, 20 s … (at
 * most 2 minutes apart) later, until 30 minutes after the move: Slack's response_urls die then,
 * and a window nobody updated for half an hour is long closed. Then it is given up and logged.
 */
public final class FollowUpLedger {

    private static final Logger log = LoggerFactory.getLogger(FollowUpLedger.class);

    /** How long a notice is worth trying: a response_url's lifetime. */
    static final Duration GIVE_UP_AFTER = RequestExpiry.RESPONSE_URL_LIFETIME;
    /**
     * How long a fresh notice is left to the path that made the move, which gives it at once
     * and knows what the person already sees; past it, the background loop gives it.
     */
    static final Duration LEFT_TO_THE_MOVER = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(2);

    private final Store store;
    private final Clock clock;

    FollowUpLedger(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * One notice to give, with what it is about: the request now, the codes that approved it,
     * and (for a phone enrollment) the phone now enrolled.
     */
    public record Due(FollowUp followUp, ApprovalRequest request, List<CodeChallenge> verified,
                      Optional<Enrollment> enrollment) {

        public Due {
            verified = List.copyOf(verified);
        }
    }

    /** The request's pending notices, oldest first. */
    public List<Due> pendingOf(String requestId) {
        return store.read(tx -> {
            List<FollowUp> pending = tx.followUps().pendingOf(requestId);
            if (pending.isEmpty()) {
                return List.<Due>of();
            }
            Optional<ApprovalRequest> request = tx.requests().find(requestId);
            if (request.isEmpty()) {
                return List.<Due>of();
            }
            List<CodeChallenge> verified = tx.challenges().verifiedOf(requestId);
            Optional<Enrollment> enrollment = request.get().isEnrollment()
                    ? tx.enrollments().find(request.get().requester()) : Optional.empty();
            return pending.stream().map(followUp -> new Due(followUp, request.get(), verified,
                    enrollment)).toList();
        });
    }

    /** Now, by the clock the ledger keeps time with. */
    public Instant now() {
        return clock.instant();
    }

    /** Requests with notices due now (left undone by a failure, a crash or a stop). */
    public List<String> requestsDue(int limit) {
        return store.read(tx -> tx.followUps().requestsDue(clock.instant(), limit));
    }

    /**
     * Given, all of them, in one write. Put on disk with the next durable write: a power cut (not
     * a crash) before that gives them once more.
     */
    public void done(List<FollowUp> given) {
        if (given.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        store.writeSoon(tx -> {
            for (FollowUp followUp : given) {
                tx.followUps().done(followUp.id(), followUp.attempts() + 1, now);
            }
            return null;
        });
    }

    /** Could not be given this time: tried again later, or given up once too old. */
    public void failed(FollowUp followUp, String error) {
        Instant now = clock.instant();
        int attempts = followUp.attempts() + 1;
        Instant next = now.plus(retryDelay(attempts));
        if (next.isAfter(followUp.createdAt().plus(GIVE_UP_AFTER))) {
            abandon(followUp, "still failing after " + GIVE_UP_AFTER.toMinutes()
                    + " minutes: " + error);
            return;
        }
        store.writeSoon(tx -> tx.followUps().retryLater(followUp.id(), attempts, next, error));
    }

    /** Can never be given (its window is gone, say): not tried again. */
    public void abandon(FollowUp followUp, String why) {
        log.warn("{} notice for request {} given up: {}", followUp.notice(),
                followUp.requestId(), why);
        store.writeSoon(tx -> tx.followUps().abandoned(followUp.id(), followUp.attempts() + 1,
                clock.instant(), why));
    }

    /** 5 s after the first failure, doubling, at most {@link #LONGEST_WAIT}. */
    static Duration retryDelay(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 10);
        Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : delay;
    }
}

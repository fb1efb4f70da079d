package dev.countersign.slack;

import dev.countersign.approval.FollowUp;
import dev.countersign.approval.FollowUpLedger;
import dev.countersign.approval.FollowUpLedger.Due;
import dev.countersign.approval.JobClaims;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the notices each decision records ({@link FollowUpLedger}), in Slack, at least once.
 * The path that made the move gives them at once ({@link #deliverNow}), knowing what the person
 * already sees; a loop gives whatever is left undone (a failure, a crash, a stop) at start-up
 * and every 5 seconds, as each comes due. A notice is marked done only after Slack took it, so a
 * crash between the two gives it again after the restart: updates of a modal or message land on
 * the same screen twice, a posted message may appear twice. One request's notices are given by
 * one thread at a time, in the order they were recorded.
 */
final class Announcements implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Announcements.class);
    /** The loop's name among the {@link JobClaims}. */
    static final String JOB = "follow-up-notices";
    private static final Duration EVERY = Duration.ofSeconds(5);
    private static final int BATCH = 50;
    /** How long a stop waits for the loop's notice under way; Slack calls end within 15 s. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(16);

    /**
     * What the person already sees where they acted: {@code answeredView}, the modal whose
     * answer shows the outcome (null if none); {@code requesterSees}, whether the requester
     * needs no word of an ending (they ended it, or saw it end).
     */
    record Seen(String answeredView, boolean requesterSees) {

        /** Nobody is known to have seen anything: after a restart, or from a timer. */
        static final Seen NOTHING = new Seen(null, false);
        /** The requester ended it or was told already; no modal's answer shows it. */
        static final Seen BY_REQUESTER = new Seen(null, true);
    }

    private static final class Entry {
        private final ReentrantLock lock = new ReentrantLock();
        private int users; // changed only inside the map's atomic compute calls
    }

    private final FollowUpLedger ledger;
    private final SlackNotices notices;
    private final ConcurrentHashMap<String, Entry> busy = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("announcements").daemon().factory());
    private volatile boolean stopping;

    Announcements(FollowUpLedger ledger, SlackNotices notices) {
        this.ledger = ledger;
        this.notices = notices;
    }

    /**
     * Starts the loop: a first pass at once (what a restart left undone), then every 5 s, each
     * while this instance holds the loop's claim. With several instances on one database only
     * one gives what is left undone, so two do not give the same notice at once; a fresh notice
     * is left to the instance that made the move anyway ({@link FollowUpLedger}).
     */
    void start(JobClaims jobs) {
        loop.scheduleWithFixedDelay(() -> {
            try {
                if (jobs.holds(JOB)) {
                    redeliverDue();
                }
            } catch (RuntimeException e) {
                log.error("giving notices left undone failed: {}", e.toString(), e);
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Gives the request's pending notices now, on the caller's (background) thread: call it
     * right after a move commits. Waits while another thread gives this request's notices.
     */
    void deliverNow(String requestId, Seen seen) {
        Entry entry = enter(requestId);
        entry.lock.lock();
        try {
            give(ledger.pendingOf(requestId), seen, due -> true);
        } finally {
            leave(requestId, entry);
        }
    }

    /**
     * One pass of the loop: the notices due now, request by request, skipping requests whose
     * notices another thread is giving. Returns how many notices it tried.
     */
    int redeliverDue() {
        int tried = 0;
        for (String requestId : ledger.requestsDue(BATCH)) {
            if (stopping) {
                break;
            }
            Entry entry = enter(requestId);
            if (!entry.lock.tryLock()) {
                leave(requestId, entry, false);
                continue;
            }
            try {
                Instant now = ledger.now();
                tried += give(ledger.pendingOf(requestId), Seen.NOTHING,
                        due -> due.followUp().dueAt(now));
            } finally {
                leave(requestId, entry);
            }
        }
        return tried;
    }

    /**
     * Gives each notice that {@code now} lets through. Those given are marked in one write at
     * the end, so the person's next notice does not wait for the database; a crash before it
     * gives them once more.
     */
    private int give(List<Due> pending, Seen seen, Predicate<Due> now) {
        int tried = 0;
        List<FollowUp> given = new ArrayList<>();
        try {
            for (Due due : pending) {
                if (now.test(due)) {
                    tried++;
                    giveOne(due, seen, given);
                }
            }
        } finally {
            ledger.done(given);
        }
        return tried;
    }

    private void giveOne(Due due, Seen seen, List<FollowUp> given) {
        FollowUp followUp = due.followUp();
        SlackNotices.Given outcome;
        try {
            outcome = notices.give(due, seen);
        } catch (RuntimeException e) {
            log.error("{} notice for {} failed: {}", followUp.notice(),
                    due.request().reference(), e.toString(), e);
            outcome = new SlackNotices.Given.TryAgain(e.getClass().getSimpleName());
        }
        switch (outcome) {
            case SlackNotices.Given.Done() -> given.add(followUp);
            case SlackNotices.Given.TryAgain(String error) -> ledger.failed(followUp, error);
            case SlackNotices.Given.Never(String why) -> ledger.abandon(followUp, why);
        }
    }

    private Entry enter(String requestId) {
        return busy.compute(requestId, (id, existing) -> {
            Entry found = existing == null ? new Entry() : existing;
            found.users++;
            return found;
        });
    }

    private void leave(String requestId, Entry entry) {
        leave(requestId, entry, true);
    }

    private void leave(String requestId, Entry entry, boolean held) {
        if (held) {
            entry.lock.unlock();
        }
        busy.computeIfPresent(requestId, (id, found) -> --found.users == 0 ? null : found);
    }

    /** Takes no new pass: the loop ends with the notice under way. */
    void stop() {
        stopping = true;
        loop.shutdown();
    }

    /**
     * Stops the loop: the notice under way is finished (within {@link #STOP_WITHIN}), the rest
     * stay recorded for the next start. Notices given on the path of a move are waited for with
     * the work after the acknowledgement ({@link AfterAck#close()}).
     */
    @Override
    public void close() {
        stop();
        try {
            if (!loop.awaitTermination(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

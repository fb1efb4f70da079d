package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.JobClaims;
import dev.countersign.approval.RequestExpiry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends requests whose time ran out ({@code EXPIRED}) on a timer, and announces each end: the
 * modal that still shows it, the approvals-channel message, and the requester. Also forgets
 * response_urls once Slack would no longer take them (30 minutes).
 */
public final class ExpirySweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final RequestExpiry expiry;
    private final Announcements announcements;
    private final Runnable followUps;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("expiry-sweeper").daemon().factory());

    /** @param followUps run on every pass too: outcomes still owed to Slack (workflow steps) */
    ExpirySweeper(RequestExpiry expiry, Announcements announcements, Runnable followUps) {
        this.followUps = followUps;
        this.expiry = expiry;
        this.announcements = announcements;
    }

    /** The job's name among the {@link JobClaims}. */
    static final String JOB = "expiry-sweep";

    /**
     * Sweeps every {@code every} while this instance holds the sweep's claim: with several
     * instances on one database, expiries, their notices and the workflow outcomes still owed
     * to Slack (the {@code followUps} of each pass) are handled by one instance at a time.
     */
    public void start(Duration every, JobClaims jobs) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (jobs.holds(JOB)) {
                    sweep();
                }
            } catch (RuntimeException e) {
                log.error("expiry sweep failed: {}", e.toString(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass; returns how many requests expired. */
    public int sweep() {
        expiry.forgetStaleResponseUrls();
        List<ApprovalRequest> expired = expiry.expireDue();
        for (ApprovalRequest request : expired) {
            announcements.deliverNow(request.id(), Announcements.Seen.NOTHING);
        }
        followUps.run();
        return expired.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.countersign;

import dev.countersign.approval.JobClaims;
import dev.countersign.audit.AuditAnchor;
import dev.countersign.audit.AuditReader;
import dev.countersign.keys.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the signed head of the audit trail at start and every hour, at INFO: a log sink that
 * keeps these lines outside the database can later prove that no row was cut off the end of
 * the trail ({@code audit verify --anchor}).
 */
final class AuditAnchors implements AutoCloseable {

    static final Duration EVERY = Duration.ofHours(1);
    /** The job's name among the {@link JobClaims}. */
    static final String JOB = "audit-anchor";
    private static final Logger log = LoggerFactory.getLogger(AuditAnchors.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("audit-anchor").daemon().factory());
    private final AuditReader trail;
    private final AuditAnchor anchors;
    private final Clock clock;

    private AuditAnchors(AuditReader trail, KeyRing keys, Clock clock) {
        this.trail = trail;
        this.anchors = new AuditAnchor(keys);
        this.clock = clock;
    }

    static AuditAnchors start(AuditReader trail, KeyRing keys, Clock clock) {
        return start(trail, keys, clock, JobClaims.ALONE);
    }

    /**
     * The same, anchoring only while this instance holds the job's claim: several instances on
     * one database log one anchor an hour between them, not one each. An instance taking over
     * from one that died anchors at its own next hourly tick.
     */
    static AuditAnchors start(AuditReader trail, KeyRing keys, Clock clock, JobClaims jobs) {
        AuditAnchors anchors = new AuditAnchors(trail, keys, clock);
        anchors.timer.scheduleAtFixedRate(() -> {
            try {
                if (jobs.holds(JOB)) {
                    anchors.logHead();
                }
            } catch (RuntimeException e) {
                // A timer task that throws is never run again: the next hour tries anew.
                log.warn("could not anchor the audit trail: {}", e.getMessage());
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return anchors;
    }

    private void logHead() {
        try {
            anchors.head(trail, clock.instant()).ifPresent(anchor ->
                    log.info("audit anchor {}", anchor.line()));
        } catch (RuntimeException e) {
            // Tried again next hour; a busy database must not stop the timer.
            log.warn("could not anchor the audit trail: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.countersign.slack;

import dev.countersign.approval.Approvals;
import dev.countersign.approval.RequestDesk;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends requests whose time ran out: marks them {@code EXPIRED}, updates the modal that still shows
 * them, updates the approvals-channel message, and tells the requester.
 */
public final class ExpirySweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final Approvals approvals;
    private final CodeFlow codeFlow;
    private final Notifier notifier;
    private final ApprovalsChannel dualControl;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            runnable -> {
        Thread thread = new Thread(runnable, "expiry-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    ExpirySweeper(Approvals approvals, CodeFlow codeFlow, Notifier notifier,
            ApprovalsChannel dualControl) {
        this.approvals = approvals;
        this.codeFlow = codeFlow;
        this.notifier = notifier;
        this.dualControl = dualControl;
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.error("expiry sweep failed: {}", e.toString(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass; returns how many requests expired. */
    public int sweep() {
        List<RequestDesk.Expiry> expired = approvals.desk().expireDue();
        for (RequestDesk.Expiry expiry : expired) {
            log.info("request {} expired", expiry.request().reference());
            expiry.shownIn().stream().findFirst().ifPresent(challenge -> codeFlow.update(
                    challenge.viewId(), challenge.id(), FinalScreens.ended(expiry.request())));
            dualControl.decided(expiry.request());
            notifier.toRequester(expiry.request(), Messages.ended(expiry.request(),
                    "no code was entered in time"));
        }
        return expired.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.countersign.webhook;

import dev.countersign.approval.OutboxMessage;
import dev.countersign.approval.Store;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to {@code APPROVAL_WEBHOOK_URL}: at least once, one message at a time, on
 * one daemon thread. Everything it knows is in the outbox table, so a dispatcher started after a
 * restart carries on where the last one stopped.
 *
 * <p>Before each attempt the request's digest is checked again, and the stored event must match
 * the request; a message that fails either is never sent and goes straight to dead. A 2xx answer
 * marks the message delivered; anything else (another status, a timeout, a dropped connection) is
 * tried again after 5 s, 10 s, 20 s … (at most 10 minutes apart) until 24 hours after the
 * approval, with a last try at the 24-hour mark; then the message is dead and the
 * {@link DeadLetterListener} hears of it. Deliveries and deaths are audited; failed attempts are
 * logged and kept in the outbox row ({@code last_error}), not audited, so a long outage does not
 * flood the trail.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int BATCH = 50;

    private final Store store;
    private final Clock clock;
    private final MessageDelivery delivery;
    private final OutcomeRecorder outcomes;
    private final ReentrantLock passLock = new ReentrantLock();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile boolean closing;
    private ScheduledExecutorService executor;

    /**
     * @param client used with retries and redirects switched off whatever it says; see
     *               {@link #newHttpClient()}
     */
    public WebhookDispatcher(Store store, URI url, WebhookSigner signer, OkHttpClient client,
                             Clock clock, DeadLetterListener deadLetters) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        HttpUrl httpUrl = HttpUrl.parse(Objects.requireNonNull(url, "url").toString());
        if (httpUrl == null) {
            throw new IllegalArgumentException("the webhook URL must be an http(s) URL");
        }
        WebhookClient webhookClient = new WebhookClient(httpUrl,
                Objects.requireNonNull(signer, "signer"), Objects.requireNonNull(client, "client"),
                clock);
        this.delivery = new MessageDelivery(store, webhookClient, RetryPolicy.STANDARD, clock);
        this.outcomes = new OutcomeRecorder(store, clock,
                Objects.requireNonNull(deadLetters, "deadLetters"));
    }

    /** The client we recommend: 5 s to connect, 15 s for the call, no retries or redirects. */
    public static OkHttpClient newHttpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofSeconds(15))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    /** Starts polling the outbox every second on a daemon thread. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "countersign-webhook");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pass, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Delivers soon, without waiting for the next poll: call it after an approval commits. Wakes
     * that arrive while one is queued are merged. Does nothing before {@link #start()}.
     */
    public void wake() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
        }
        if (running == null || !wakeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            running.execute(() -> {
                wakeQueued.set(false);
                pass();
            });
        } catch (RejectedExecutionException shutDown) {
            wakeQueued.set(false);
        }
    }

    /**
     * One pass, on the caller's thread: tries every message due now (at most 50). Passes never
     * overlap. Returns how many messages were tried.
     */
    public int deliverDueNow() {
        return runPass().tried();
    }

    /** {@code handled}: messages whose outcome was stored (no exception on the way). */
    private record Pass(int tried, int handled) {
    }

    private Pass runPass() {
        passLock.lock();
        try {
            List<OutboxMessage> due = store.read(tx -> tx.outbox().due(clock.instant(), BATCH));
            int handled = 0;
            for (OutboxMessage message : due) {
                if (closing) {
                    break; // the rest stay due, untouched, for the next start
                }
                try {
                    outcomes.record(delivery.attempt(message));
                    handled++;
                } catch (RuntimeException e) {
                    // The message stays due; the next pass tries it again.
                    log.warn("webhook message {} could not be handled: {}", message.id(),
                            e.toString());
                }
            }
            return new Pass(due.size(), handled);
        } finally {
            passLock.unlock();
        }
    }

    private void pass() {
        try {
            // A full batch, all handled: more may be due, so don't wait a second for them. (Not
            // after errors: a failing database would be asked again at once, without end.)
            if (runPass().handled() == BATCH) {
                wake();
            }
        } catch (RuntimeException e) {
            // Never let an exception escape: it would cancel the scheduled polling for good.
            log.warn("webhook delivery pass failed: {}", e.toString());
        }
    }

    /**
     * Stops polling and waits for the delivery in flight (at most its 15 s call timeout); what is
     * left stays due for the next start. Close it before the database it uses.
     */
    @Override
    public void close() {
        closing = true;
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(20, TimeUnit.SECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

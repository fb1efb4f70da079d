package dev.countersign.webhook;

import dev.countersign.approval.JobClaims;
import dev.countersign.approval.OutboxMessage;
import dev.countersign.approval.Store;
import dev.countersign.keys.KeyRing;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to {@code APPROVAL_WEBHOOK_URL}, at least once. A loop on a virtual thread
 * claims the messages due every second (or at once when {@linkplain #wake() woken}) and starts
 * each delivery on a virtual thread of its own, so a receiver that is slow to answer one message
 * does not hold back the others. Everything it knows is in the outbox table, so a dispatcher
 * started after a restart carries on where the last one stopped.
 *
 * <p>One delivery is a {@link MessageDelivery} (the checks before sending, the signed POST), its
 * schedule of retries a {@link RetryPolicy}: 5 s, 10 s, 20 s … at most 10 minutes apart, until 24
 * hours after the approval, with a last try at the 24-hour mark; then the message is dead and the
 * {@link DeadLetterListener} hears of it. {@link OutcomeRecorder} stores each outcome.
 */
public final class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int BATCH = 50;
    private static final Object WAKE = new Object();

    /**
     * Deliveries allowed in flight to the receiver at once. More than one, so a receiver that
     * answers one POST slowly (or never: up to the 15 s call timeout) does not hold back the
     * approvals queued behind it; only a few, because each POST is a payment or a signature for
     * the receiver to carry out, and a receiver back from an outage should get its backlog a few
     * at a time rather than a batch of 50 at once. With virtual threads this is the only bound:
     * OkHttp's per-host limit applies to asynchronous calls, not to these blocking ones.
     */
    static final int MAX_IN_FLIGHT = 4;

    /**
     * How long {@link #close()} waits for deliveries under way: longer than the 15 s call timeout
     * of {@link #newHttpClient()}, so that with it every delivery ends and stores its outcome.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(20);

    /** How long a POST cut short by {@link #close()} gets to unwind once it is cancelled. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(2);

    private final Store store;
    private final Clock clock;
    private final WebhookClient client;
    private final MessageDelivery delivery;
    private final OutcomeRecorder outcomes;
    private final Duration closeGrace;
    private final Semaphore receiverSlots = new Semaphore(MAX_IN_FLIGHT);
    private final ExecutorService deliveries = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("countersign-webhook-delivery-", 0).factory());
    /** Holds one wake at most: wakes that arrive while one is waiting are merged. */
    private final BlockingQueue<Object> wakeUps = new ArrayBlockingQueue<>(1);
    private final InFlightClaims claims = new InFlightClaims();
    private volatile boolean closing;
    /** Set once close() stops waiting: a failure after it may be our own cancel. */
    private volatile boolean cuttingShort;
    private volatile Thread loop;
    private volatile JobClaims jobs = JobClaims.ALONE;

    /**
     * @param client used with retries and redirects switched off whatever it says; see
     *               {@link #newHttpClient()}
     */
    public WebhookDispatcher(Store store, KeyRing keys, URI url, WebhookSigner signer,
                             OkHttpClient client, Clock clock, DeadLetterListener deadLetters) {
        this(store, keys, url, signer, client, clock, deadLetters, DeliveryCounts.NONE);
    }

    /**
     * @param keys   what the messages, their requests and audit rows are checked against
     * @param counts hears each delivery's outcome ({@code GET /metrics})
     */
    public WebhookDispatcher(Store store, KeyRing keys, URI url, WebhookSigner signer,
                             OkHttpClient client, Clock clock, DeadLetterListener deadLetters,
                             DeliveryCounts counts) {
        this(store, keys, url, signer, client, clock, deadLetters, CLOSE_GRACE, counts);
    }

    WebhookDispatcher(Store store, KeyRing keys, URI url, WebhookSigner signer,
                      OkHttpClient client, Clock clock, DeadLetterListener deadLetters,
                      Duration closeGrace) {
        this(store, keys, url, signer, client, clock, deadLetters, closeGrace,
                DeliveryCounts.NONE);
    }

    private WebhookDispatcher(Store store, KeyRing keys, URI url, WebhookSigner signer,
                              OkHttpClient client, Clock clock, DeadLetterListener deadLetters,
                              Duration closeGrace, DeliveryCounts counts) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.closeGrace = Objects.requireNonNull(closeGrace, "closeGrace");
        HttpUrl httpUrl = HttpUrl.parse(Objects.requireNonNull(url, "url").toString());
        if (httpUrl == null) {
            throw new IllegalArgumentException("the webhook URL must be an http(s) URL");
        }
        this.client = new WebhookClient(httpUrl, Objects.requireNonNull(signer, "signer"),
                Objects.requireNonNull(client, "client"), clock);
        this.delivery = new MessageDelivery(store, this.client, RetryPolicy.STANDARD, clock,
                Objects.requireNonNull(keys, "keys"));
        this.outcomes = new OutcomeRecorder(store, clock,
                Objects.requireNonNull(deadLetters, "deadLetters"),
                Objects.requireNonNull(counts, "counts"));
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

    /** The job's name among the {@link JobClaims}. */
    static final String JOB = "webhook-outbox";

    /** Starts the loop that looks for due messages every second, on a virtual thread. */
    public void start() {
        start(JobClaims.ALONE);
    }

    /**
     * The same, delivering only while this instance holds the outbox's claim: with several
     * instances on one database, one of them sends, so no message goes out twice at once.
     */
    public synchronized void start(JobClaims jobs) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        if (closing) {
            throw new IllegalStateException("already closed");
        }
        loop = Thread.ofVirtual().name("countersign-webhook").start(this::runLoop);
    }

    /**
     * Delivers soon, without waiting for the next poll: call it after an approval commits. Wakes
     * that arrive while one is queued are merged. Does nothing before {@link #start()}.
     */
    public void wake() {
        if (loop != null && !closing) {
            wakeUps.offer(WAKE);
        }
    }

    /**
     * One pass the caller waits for: tries every message due now (at most 50) that is not already
     * under way, {@value #MAX_IN_FLIGHT} at a time, and returns once their outcomes are stored.
     * Returns how many messages were tried.
     */
    public int deliverDueNow() {
        List<Future<?>> started = startClaimed(claimDue(), true);
        started.forEach(WebhookDispatcher::awaitEnd);
        return started.size();
    }

    private List<OutboxMessage> claimDue() {
        return claims.claim(() -> store.read(tx -> tx.outbox().due(clock.instant(), BATCH)));
    }

    private void runLoop() {
        while (!closing) {
            try {
                // Returns at once: each stored outcome frees a slot and wakes the loop again.
                if (jobs.holds(JOB)) {
                    startClaimed(claimDue(), false);
                }
            } catch (RuntimeException e) {
                // Never let an exception end the loop: deliveries would stop for good.
                log.warn("webhook delivery pass failed: {}", e.toString());
            }
            try {
                wakeUps.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return; // only close() interrupts the loop
            }
        }
    }

    /**
     * Starts the claimed messages in order, each once it has a receiver slot: waiting for one, or
     * (the loop) only while one is free. The claims of messages not started are given back, so
     * they stay due for a later pass or the next start.
     */
    private List<Future<?>> startClaimed(List<OutboxMessage> claimed, boolean waitForSlots) {
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            Future<?> running = closing || !takeSlot(waitForSlots) ? null
                    : startDelivery(claimed.get(i));
            if (running == null) {
                claims.release(claimed.subList(i, claimed.size()));
                break;
            }
            started.add(running);
        }
        return started;
    }

    private boolean takeSlot(boolean wait) {
        if (!wait) {
            return receiverSlots.tryAcquire();
        }
        try {
            receiverSlots.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The delivery of a claimed message that holds a slot; null, slot given back, if closed. */
    private Future<?> startDelivery(OutboxMessage message) {
        try {
            return deliveries.submit(() -> deliver(message));
        } catch (RejectedExecutionException closed) {
            receiverSlots.release();
            return null;
        }
    }

    private static void awaitEnd(Future<?> running) {
        try {
            running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the delivery goes on and stores its outcome
        } catch (ExecutionException e) {
            // An Error: deliver() catches every RuntimeException itself.
            log.warn("webhook delivery failed: {}", e.getCause().toString());
        }
    }

    private void deliver(OutboxMessage message) {
        boolean stored = false;
        try {
            DeliveryOutcome outcome = delivery.attempt(message);
            if (cutShort(outcome)) {
                log.info("webhook message {} cut short by shutdown: due again at the next start",
                        message.id());
            } else {
                outcomes.record(outcome);
                stored = true;
            }
        } catch (RuntimeException e) {
            // The message stays due; the next pass tries it again.
            log.warn("webhook message {} could not be handled: {}", message.id(), e.toString());
        } finally {
            claims.release(List.of(message));
            receiverSlots.release();
        }
        if (stored) {
            // A slot is free: more may be due. (Not after errors: a failing database would be
            // asked again at once, without end.)
            wake();
        }
    }

    /**
     * Whether {@link #close()} cancelled this delivery's POST, so that its failure says nothing
     * about the receiver and must not count: the message is left as it was, due at once.
     */
    private boolean cutShort(DeliveryOutcome outcome) {
        return cuttingShort && switch (outcome) {
            case DeliveryOutcome.Delivered _ -> false;
            case DeliveryOutcome.RetryLater _ -> true;
            // Dead with a new attempt counted: the last try failed, perhaps only by our cancel.
            case DeliveryOutcome.Dead dead -> dead.attempts() > dead.message().attempts();
        };
    }

    /**
     * Stops the loop and waits for the deliveries under way, at most 20 s (longer than the call
     * timeout of {@link #newHttpClient()}, so normally each one stores its outcome). Deliveries
     * still under way then are cancelled and leave their messages pending and due, untouched, as
     * are messages not yet started: they go out after the next start. Close it before the
     * database it uses.
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + closeGrace.toNanos();
        try {
            stopLoop(deadline);
            deliveries.shutdown();
            if (!deliveries.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                cancelDeliveriesUnderWay();
            }
        } catch (InterruptedException e) {
            cancelDeliveriesUnderWay();
            Thread.currentThread().interrupt();
        }
    }

    private void stopLoop(long deadline) throws InterruptedException {
        Thread running = loop;
        if (running == null) {
            return;
        }
        wakeUps.offer(WAKE); // full means a wake is waiting already: either way the loop ends
        if (!running.join(Duration.ofNanos(remaining(deadline)))) {
            running.interrupt();
        }
    }

    private void cancelDeliveriesUnderWay() {
        int cut = MAX_IN_FLIGHT - receiverSlots.availablePermits();
        cuttingShort = true;
        client.cancelAll();
        deliveries.shutdownNow(); // interrupts what is not an HTTP call, a dead-letter listener
        log.warn("stopped with {} webhook deliveries under way; they stay pending and go out "
                + "after the next start", cut);
        try {
            if (!deliveries.awaitTermination(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("webhook deliveries still running after they were cancelled");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}

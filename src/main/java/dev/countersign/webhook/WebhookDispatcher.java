package dev.countersign.webhook;

import dev.countersign.approval.OutboxMessage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.Store;
import dev.countersign.audit.AuditEvent;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final int BATCH = 50;
    private static final String ACTOR = "system";

    private final Store store;
    private final WebhookClient client;
    private final Clock clock;
    private final DeadLetterListener deadLetters;
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
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        HttpUrl httpUrl = HttpUrl.parse(Objects.requireNonNull(url, "url").toString());
        if (httpUrl == null) {
            throw new IllegalArgumentException("the webhook URL must be an http(s) URL");
        }
        this.client = new WebhookClient(httpUrl, Objects.requireNonNull(signer, "signer"),
                Objects.requireNonNull(client, "client"), clock);
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
                    deliver(message);
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

    /** The wait after the {@code failures}-th failure: 5 s, doubling, at most 10 minutes. */
    static Duration backoff(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1");
        }
        int doublings = Math.min(failures - 1, 20); // 5 s × 2^20 is far past the cap already
        Duration wait = FIRST_RETRY.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
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

    private void deliver(OutboxMessage message) {
        int attempt = message.attempts() + 1;
        Optional<ApprovalRequest> found;
        try {
            found = store.read(tx -> tx.requests().find(message.requestId()));
        } catch (RuntimeException unreadable) {
            // A busy disk, or a stored request that no longer decodes: not sent either way.
            log.warn("webhook message {}: its request could not be read: {}", message.id(),
                    unreadable.toString());
            failed(message, null, attempt, "stored request could not be read");
            return;
        }
        if (found.isEmpty()) {
            kill(message, null, attempt - 1, "the approved request is missing");
            return;
        }
        ApprovalRequest request = found.get();
        Optional<String> refusal = refusal(message, request);
        if (refusal.isPresent()) {
            log.error("webhook for {} refused and never sent: {}", request.reference(),
                    refusal.get());
            kill(message, request, attempt - 1, refusal.get());
            return;
        }
        WebhookClient.Attempt result = client.post(message);
        if (result.delivered()) {
            delivered(message, request, attempt, result.status());
        } else {
            failed(message, request, attempt, result.error());
        }
    }

    /** Why this message must not be sent, if it must not. */
    private static Optional<String> refusal(OutboxMessage message, ApprovalRequest request) {
        if (!request.digestMatches()) {
            return Optional.of("digest mismatch: the request's details changed after approval");
        }
        JsonNode event;
        try {
            event = WebhookEvents.JSON.readTree(message.payload());
        } catch (IOException e) {
            return Optional.of("the stored event is not JSON");
        }
        return WebhookEvents.mismatch(event, request).map(why -> "digest mismatch: " + why);
    }

    private void delivered(OutboxMessage message, ApprovalRequest request, int attempt,
                           int status) {
        store.write(tx -> {
            Instant now = clock.instant();
            if (tx.outbox().delivered(message.id(), attempt, now)) {
                Map<String, String> details = details(request, attempt);
                details.put("status", Integer.toString(status));
                tx.audit().append(AuditEvent.of("webhook.delivered", request.id(),
                        request.requester().teamId(), ACTOR, details), now);
            }
            return null;
        });
        log.info("webhook for {} delivered: HTTP {} on attempt {}", request.reference(), status,
                attempt);
    }

    private void failed(OutboxMessage message, ApprovalRequest request, int attempt,
                        String error) {
        Instant now = clock.instant();
        Instant giveUp = message.createdAt().plus(GIVE_UP_AFTER);
        String name = request == null ? "message " + message.id() : request.reference();
        if (!now.isBefore(giveUp)) {
            log.warn("webhook for {} failed on attempt {}: {}", name, attempt, error);
            kill(message, request, attempt, error);
            return;
        }
        Instant next = now.plus(backoff(attempt));
        if (next.isAfter(giveUp)) {
            next = giveUp; // one last try at the 24-hour mark
        }
        Instant retryAt = next;
        store.write(tx -> tx.outbox().retryLater(message.id(), attempt, retryAt, error));
        log.warn("webhook for {} failed on attempt {}: {}; next try at {}", name, attempt, error,
                retryAt);
    }

    private void kill(OutboxMessage message, ApprovalRequest request, int attempts, String error) {
        boolean killed = store.write(tx -> {
            Instant now = clock.instant();
            if (!tx.outbox().dead(message.id(), attempts, now, error)) {
                return false;
            }
            Map<String, String> details = details(request, attempts);
            details.put("error", error);
            tx.audit().append(AuditEvent.of("webhook.dead", message.requestId(),
                    request == null ? null : request.requester().teamId(), ACTOR, details), now);
            return true;
        });
        if (!killed) {
            return;
        }
        log.error("webhook for {} is dead after {} attempts: {}",
                request == null ? "message " + message.id() : request.reference(), attempts, error);
        if (request != null) {
            try {
                deadLetters.dead(request, error);
            } catch (RuntimeException e) {
                log.warn("dead-letter listener failed for {}: {}", request.reference(),
                        e.toString());
            }
        }
    }

    private static Map<String, String> details(ApprovalRequest request, int attempts) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("attempts", Integer.toString(attempts));
        if (request != null) {
            details.put("reference", request.reference());
            details.put("kind", request.action().kind());
        }
        return details;
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

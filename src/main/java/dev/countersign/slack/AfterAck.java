package dev.countersign.slack;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where work goes once Slack has its acknowledgement: one virtual thread per step. A step that
 * waits seconds for SignalWire costs a few kilobytes, not a platform thread, so nothing queues
 * behind anything: a {@code views.open} starts at once however many code checks are in flight,
 * and no pool size decides whether a trigger expires. (The sized pools this replaced kept ~1,150
 * threads at 100 approvals/s and let triggers expire in their queues under overload.) How much a
 * remote may be asked at once is capped by the client of that remote, not here.
 *
 * <p>A step runs with the logging context (MDC) of the code that handed it over, so the lines it
 * logs carry the reference of the request it works for ({@code LOG_FORMAT=json}'s
 * {@code reference} field).
 */
final class AfterAck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AfterAck.class);

    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("after-ack-", 0).factory());
    /**
     * {@code views.open} calls, each on a platform thread of its own. Virtual threads share two
     * carriers in arrival order, so under load a modal would wait behind every code send and
     * check already queued, while its trigger dies in 3 s; the OS scheduler gives a platform
     * thread its turn at once. A thread per call, so no pool size decides anything here either.
     */
    private final ExecutorService modalOpens = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("modal-open-", 0).daemon().factory());

    /** Runs a step; a failure is logged, never lost silently. */
    CompletableFuture<Void> run(Runnable step) {
        return CompletableFuture.runAsync(guarded(step), threads);
    }

    private static Runnable guarded(Runnable step) {
        return inCallersContext(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.error("background step failed: {}", e.toString(), e);
            }
        });
    }

    private static Runnable inCallersContext(Runnable step) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) {
            return step;
        }
        // Not cleared afterwards: every step has a thread of its own, and what completes on it
        // (a thenAccept after a code is sent) still works for the same request.
        return () -> {
            MDC.setContextMap(context);
            step.run();
        };
    }

    /** Runs a step whose first call is a {@code views.open}: it has a trigger's 3 seconds. */
    CompletableFuture<Void> openModal(Runnable step) {
        return CompletableFuture.runAsync(guarded(step), modalOpens);
    }

    /** Runs a step that produces a result (a code sent, a code checked). */
    <T> CompletableFuture<T> supply(Supplier<T> step) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) {
            return CompletableFuture.supplyAsync(step, threads);
        }
        return CompletableFuture.supplyAsync(() -> {
            MDC.setContextMap(context);
            return step.get();
        }, threads);
    }

    @Override
    public void close() {
        modalOpens.shutdown();
        threads.shutdown();
        try {
            // What was started finishes: a code being checked, an approval being posted.
            modalOpens.awaitTermination(5, TimeUnit.SECONDS);
            threads.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

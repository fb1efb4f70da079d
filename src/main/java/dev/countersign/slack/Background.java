package dev.countersign.slack;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where work goes after Slack has its acknowledgement. Three pools, so nothing slow can queue in
 * front of something with a deadline: a {@code views.open} must reach Slack within its trigger's
 * 3 seconds, so it never waits behind modal updates and result posts (the Slack pool), and
 * neither waits behind code-provider calls that take seconds (the provider pool).
 *
 * <p>Every call blocks its thread until the answer (OkHttp is blocking), so by Little's law a
 * pool needs arrival rate × latency threads: 100 codes/s with SignalWire answering in 2 s keeps
 * 200 starts and 200 verifies in flight. Threads exist only while there is work.
 */
public final class Background implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Background.class);

    private final ThreadPoolExecutor modals;
    private final ThreadPoolExecutor slack;
    private final ThreadPoolExecutor provider;

    public Background(int modalThreads, int slackThreads, int providerThreads) {
        this.modals = pool("modal-io", modalThreads);
        this.slack = pool("slack-io", slackThreads);
        this.provider = pool("provider-io", providerThreads);
    }

    /** Runs a step that opens a modal with a trigger id: it has 3 s from the click. */
    public CompletableFuture<Void> modal(Runnable work) {
        return CompletableFuture.runAsync(guarded(work), modals);
    }

    /** Runs a Slack Web API step. Failures are logged, never lost silently. */
    public CompletableFuture<Void> slack(Runnable work) {
        return CompletableFuture.runAsync(guarded(work), slack);
    }

    /** Runs a code-provider step and hands back its result. */
    public <T> CompletableFuture<T> provider(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, provider);
    }

    public ExecutorService slackExecutor() {
        return slack;
    }

    private static Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error("background step failed: {}", e.toString(), e);
            }
        };
    }

    private static ThreadPoolExecutor pool(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true); // idle threads go away; bursts create them again
        return pool;
    }

    @Override
    public void close() {
        modals.shutdown();
        slack.shutdown();
        provider.shutdown();
        try {
            modals.awaitTermination(5, TimeUnit.SECONDS);
            slack.awaitTermination(5, TimeUnit.SECONDS);
            provider.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

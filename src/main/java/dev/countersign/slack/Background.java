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
 * Where work goes after Slack has its acknowledgement. Two pools, so slow code-provider calls
 * (seconds) can never delay the fast Slack calls behind them: a {@code views.open} must go out
 * within Slack's 3-second trigger window even while hundreds of SMS starts are in flight.
 */
public final class Background implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Background.class);

    private final ThreadPoolExecutor slack;
    private final ThreadPoolExecutor provider;

    public Background(int slackThreads, int providerThreads) {
        this.slack = pool("slack-io", slackThreads);
        this.provider = pool("provider-io", providerThreads);
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
        slack.shutdown();
        provider.shutdown();
        try {
            slack.awaitTermination(5, TimeUnit.SECONDS);
            provider.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

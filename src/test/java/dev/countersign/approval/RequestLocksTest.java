package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestLocksTest {

    private final RequestLocks locks = new RequestLocks();
    /**
     * A thread per task: the common pool has a single thread on two cores, so a task blocked in
     * the first check would keep the second from ever starting.
     */
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().factory());

    /** Two ids whose hash codes are 256 apart: they shared a stripe when locks were striped. */
    private static final String HELD = "CS-held";
    private static final String OTHER = sameStripeAs(HELD);

    @Test
    void aCheckInFlightForOneRequestDoesNotHoldUpAnother() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> slowCheck = CompletableFuture.runAsync(() -> locks.with(HELD, () -> {
            holding.countDown();
            await(release);
            return null;
        }), threads);
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

        String other = CompletableFuture.supplyAsync(() -> locks.with(OTHER, () -> "done"), threads)
                .get(5, TimeUnit.SECONDS);

        assertThat(other).isEqualTo("done");
        release.countDown();
        slowCheck.get(5, TimeUnit.SECONDS);
    }

    @Test
    void checksOfTheSameRequestRunOneAtATime() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CompletableFuture<?>[] checks = new CompletableFuture<?>[16];
        for (int i = 0; i < checks.length; i++) {
            checks[i] = CompletableFuture.runAsync(() -> locks.with(HELD, () -> {
                mostAtOnce.accumulateAndGet(inside.incrementAndGet(), Math::max);
                Thread.yield();
                inside.decrementAndGet();
                return null;
            }), threads);
        }
        CompletableFuture.allOf(checks).get(10, TimeUnit.SECONDS);

        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(locks.inUse()).as("no lock is kept once nobody holds or awaits it").isZero();
    }

    private static String sameStripeAs(String id) {
        for (int i = 0; ; i++) {
            String candidate = "CS-" + i;
            if (Math.floorMod(candidate.hashCode(), 256) == Math.floorMod(id.hashCode(), 256)) {
                return candidate;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

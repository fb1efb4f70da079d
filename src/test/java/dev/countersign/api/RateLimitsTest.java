package dev.countersign.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimits limits = new RateLimits(10, now::get);

    @Test
    void aBurstOfTenPassesAndTheEleventhWaitsATenthOfASecond() {
        for (int i = 0; i < 10; i++) {
            assertThat(limits.take("erp")).as("request %d", i + 1).isEmpty();
        }

        assertThat(limits.take("erp")).contains(Duration.ofMillis(100));
    }

    @Test
    void theBucketRefillsAtTheRateAndNeverBeyondOneSecondsWorth() {
        for (int i = 0; i < 10; i++) {
            limits.take("erp");
        }
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(limits.take("erp")).isEmpty();
        assertThat(limits.take("erp")).isPresent();

        now.addAndGet(Duration.ofMinutes(5).toNanos());
        for (int i = 0; i < 10; i++) {
            assertThat(limits.take("erp")).isEmpty();
        }
        assertThat(limits.take("erp")).isPresent();
    }

    @Test
    void eachClientHasItsOwnBucket() {
        for (int i = 0; i < 10; i++) {
            limits.take("erp");
        }

        assertThat(limits.take("erp")).isPresent();
        assertThat(limits.take("bank")).isEmpty();
    }
}

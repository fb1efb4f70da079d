package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionWatchTest {

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final ConnectionWatch watch = new ConnectionWatch(now::get);

    @Test
    void aConnectionThatComesBackWithinTenSecondsStaysHealthy() {
        watch.lost();
        advance(ConnectionWatch.GRACE);
        assertThat(watch.healthy()).isTrue();

        watch.heard();
        advance(Duration.ofMinutes(5));
        assertThat(watch.healthy()).isTrue();
    }

    @Test
    void aConnectionDownForMoreThanTenSecondsIsUnhealthyUntilHeardFromAgain() {
        watch.lost();
        advance(ConnectionWatch.GRACE.plusMillis(1));
        assertThat(watch.healthy()).isFalse();

        watch.lost(); // a failed reconnect does not restart the clock
        assertThat(watch.healthy()).isFalse();
        watch.heard();
        assertThat(watch.healthy()).isTrue();
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}

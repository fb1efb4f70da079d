package dev.countersign.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant APPROVED = Instant.parse("2026-11-02T09:30:00Z");
    private static final RetryPolicy STANDARD = RetryPolicy.STANDARD;

    @Test
    void backoffDoublesFromFiveSecondsUpToTenMinutes() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 60, Integer.MAX_VALUE).stream()
                .map(STANDARD::delayAfter).map(Duration::toSeconds).toList())
                .containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 320L, 600L, 600L, 600L, 600L);
    }

    @Test
    void nextTryIsTheBackoffAfterTheFailure() {
        Instant failedAt = APPROVED.plusSeconds(15);

        assertThat(STANDARD.nextAttemptAt(3, APPROVED, failedAt))
                .isEqualTo(failedAt.plusSeconds(20));
    }

    @Test
    void lastTryFallsOnTheTwentyFourHourMarkNotAfterIt() {
        Instant mark = APPROVED.plus(Duration.ofHours(24));
        Instant failedAt = mark.minus(Duration.ofMinutes(3));

        assertThat(STANDARD.nextAttemptAt(150, APPROVED, failedAt)).isEqualTo(mark);
        assertThat(STANDARD.givesUp(APPROVED, failedAt)).isFalse();
    }

    @Test
    void givesUpOnlyWhenTheTryAtTheMarkOrLaterHasFailed() {
        Instant mark = APPROVED.plus(Duration.ofHours(24));

        assertThat(STANDARD.givesUp(APPROVED, mark.minusMillis(1))).isFalse();
        assertThat(STANDARD.givesUp(APPROVED, mark)).isTrue();
        assertThat(STANDARD.givesUp(APPROVED, mark.plus(Duration.ofDays(3)))).isTrue();
    }

    @Test
    void receiverThatAlwaysFailsIsTried151TimesOverADay() {
        // Every try on time: 8 tries 5 s … 320 s apart (0 s to 635 s), then every 10 minutes,
        // and the last one exactly at the 24-hour mark.
        List<Instant> tries = new ArrayList<>();
        Instant at = APPROVED;
        int attempts = 0;
        while (true) {
            tries.add(at);
            attempts++;
            if (STANDARD.givesUp(APPROVED, at)) {
                break;
            }
            at = STANDARD.nextAttemptAt(attempts, APPROVED, at);
        }

        assertThat(tries).hasSize(151);
        assertThat(tries.get(7)).isEqualTo(APPROVED.plusSeconds(635));
        assertThat(tries.get(8)).isEqualTo(APPROVED.plusSeconds(1235));
        assertThat(tries.getLast()).isEqualTo(APPROVED.plus(Duration.ofHours(24)));
        assertThat(tries.get(149)).isBefore(APPROVED.plus(Duration.ofHours(24)));
    }

    @Test
    void otherFactorsGrowTheWaitTheSameWayUpToTheCap() {
        RetryPolicy tripling = new RetryPolicy(Duration.ofSeconds(1), 3, Duration.ofSeconds(30),
                Duration.ofHours(1));
        RetryPolicy steady = new RetryPolicy(Duration.ofSeconds(7), 1, Duration.ofSeconds(7),
                Duration.ofHours(1));

        assertThat(List.of(1, 2, 3, 4, 5).stream().map(tripling::delayAfter)
                .map(Duration::toSeconds).toList()).containsExactly(1L, 3L, 9L, 27L, 30L);
        assertThat(steady.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void policyThatMakesNoSenseIsRefused() {
        Duration second = Duration.ofSeconds(1);
        Duration hour = Duration.ofHours(1);

        assertThatThrownBy(() -> STANDARD.delayAfter(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, 2, second, hour))
                .hasMessageContaining("first delay");
        assertThatThrownBy(() -> new RetryPolicy(second, 0, second, hour))
                .hasMessageContaining("factor");
        assertThatThrownBy(() -> new RetryPolicy(hour, 2, second, hour))
                .hasMessageContaining("cap");
        assertThatThrownBy(() -> new RetryPolicy(second, 2, hour, second))
                .hasMessageContaining("give-up age");
    }
}

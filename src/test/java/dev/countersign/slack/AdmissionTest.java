package dev.countersign.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Admission admission = new Admission(now::get);

    @Test
    void modalsThatStartOpeningPromptlyKeepTheDoorOpen() {
        for (int i = 0; i < 100; i++) {
            admission.opening(receivedAgo(Admission.LATE.minusMillis(50)));
            advance(Duration.ofMillis(10));
        }

        assertThat(admission.admits()).isTrue();
    }

    @Test
    void aModalThatWaitedTooLongTurnsNewRequestsAwayForAWhile() {
        admission.opening(receivedAgo(Admission.LATE.plusMillis(100)));

        assertThat(admission.admits()).as("refused right after a late modal").isFalse();
        advance(Admission.BACK_OFF.minusMillis(1));
        assertThat(admission.admits()).as("still backing off").isFalse();
    }

    @Test
    void theDoorOpensAgainOnceTheBackOffHasPassed() {
        admission.opening(receivedAgo(Admission.LATE.plusMillis(100)));

        advance(Admission.BACK_OFF);

        assertThat(admission.admits()).isTrue();
    }

    @Test
    void eachLateModalPushesTheBackOffOut() {
        admission.opening(receivedAgo(Duration.ofSeconds(2)));
        advance(Admission.BACK_OFF.minusMillis(100));
        admission.opening(receivedAgo(Duration.ofSeconds(2)));

        advance(Duration.ofMillis(200));

        assertThat(admission.admits()).isFalse();
    }

    @Test
    void aProbeThatWaitedForTheThreadsAfterTheAckClosesTheDoorToo() {
        admission.probeStarted(now.get() - Admission.PROBE_LATE.minusMillis(50).toNanos());
        assertThat(admission.admits()).as("a short wait is normal").isTrue();

        admission.probeStarted(now.get() - Admission.PROBE_LATE.plusMillis(50).toNanos());

        assertThat(admission.admits()).isFalse();
    }

    private Trigger receivedAgo(Duration age) {
        return new Trigger("trigger", now.get() - age.toNanos());
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void aRemoteNearItsCapTurnsNewRequestsAwayUntilItHasRoomAgain() {
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
        Admission capped = new Admission(now::get, full::get);
        assertThat(capped.admits()).isTrue();

        full.set(true);
        assertThat(capped.admits()).as("the work admitted already needs the slots").isFalse();

        full.set(false);
        assertThat(capped.admits()).as("no back-off: the slots are free now").isTrue();
    }
}

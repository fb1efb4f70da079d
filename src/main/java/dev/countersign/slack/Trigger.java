package dev.countersign.slack;

import java.time.Duration;

/**
 * A {@code trigger_id} and when its click or command reached us. Slack lets a trigger open a
 * modal for 3 seconds from the click; what is left of that decides whether trying is worth it.
 */
record Trigger(String id, long receivedAtNanos) {

    /**
     * Past this age a {@code views.open} is not attempted: Slack takes 100–300 ms to answer, and
     * a modal opened just as the trigger dies would never show. The person is told at once that
     * Countersign is busy instead, with nothing sent or approved.
     */
    static final Duration USABLE_FOR = Duration.ofMillis(2500);

    static Trigger receivedNow(String id) {
        return new Trigger(id, System.nanoTime());
    }

    boolean stillUsable() {
        return System.nanoTime() - receivedAtNanos < USABLE_FOR.toNanos();
    }
}

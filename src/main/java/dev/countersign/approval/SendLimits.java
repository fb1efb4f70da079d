package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Caps on codes sent, counted in the store so they hold across restarts: per person per hour, per
 * workspace per day (SMS pumping costs real money), and a cooldown between resends.
 */
final class SendLimits {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final ApprovalPolicy policy;
    private final Clock clock;

    SendLimits(ApprovalPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Why a code to {@code verifier} can't be sent now, if it can't. */
    Optional<String> refusal(Transaction tx, Actor verifier) {
        Instant now = clock.instant();
        Optional<Instant> blocked = blockedUntil(tx, verifier, now);
        if (blocked.isPresent()) {
            return Optional.of("You've entered " + policy.maxFailedCodesPerDay() + " wrong codes "
                    + "in the last 24 hours, so Countersign sends you no more codes until "
                    + HH_MM.format(blocked.get()) + " (" + minutesUntil(now, blocked.get())
                    + "). If that wasn't you, tell your Countersign admin: they can reset you "
                    + "(`/approve admin reset`).");
        }
        Instant hourAgo = now.minus(Duration.ofHours(1));
        if (tx.challenges().countSentTo(verifier, hourAgo) >= policy.maxCodesPerUserPerHour()) {
            Instant freed = tx.challenges().oldestSentTo(verifier, hourAgo).orElse(now)
                    .plus(Duration.ofHours(1));
            return Optional.of("You've asked for " + policy.maxCodesPerUserPerHour()
                    + " codes in the last hour, which is the limit. Try again after "
                    + HH_MM.format(freed) + " (" + minutesUntil(now, freed) + ").");
        }
        Instant dayAgo = now.minus(Duration.ofDays(1));
        if (tx.challenges().countSentInTeam(verifier.installationId(),
                dayAgo) >= policy.maxCodesPerTeamPerDay()) {
            Instant freed = tx.challenges().oldestSentInTeam(verifier.installationId(), dayAgo)
                    .orElse(now).plus(Duration.ofDays(1));
            return Optional.of("Your workspace has reached its limit of "
                    + policy.maxCodesPerTeamPerDay() + " codes a day. Try again after "
                    + HH_MM.format(freed) + " (" + minutesUntil(now, freed) + "), or ask your "
                    + "Countersign admin to raise MAX_CODES_PER_TEAM_PER_DAY.");
        }
        return Optional.empty();
    }

    /**
     * Until when {@code person} may be sent no code at all, if their wrong codes in the last 24
     * hours reached {@code MAX_FAILED_CODES_PER_USER_PER_DAY}: when the oldest of them turns 24 h.
     */
    Optional<Instant> blockedUntil(Transaction tx, Actor person, Instant now) {
        Instant dayAgo = now.minus(Duration.ofDays(1));
        if (tx.challenges().failuresSince(person, dayAgo) < policy.maxFailedCodesPerDay()) {
            return Optional.empty();
        }
        return Optional.of(tx.challenges().oldestFailureSince(person, dayAgo).orElse(now)
                .plus(Duration.ofDays(1)));
    }

    /** Why a new code for this request must wait, if it must. */
    Optional<String> cooldown(Transaction tx, String requestId) {
        Instant now = clock.instant();
        Optional<Instant> last = tx.challenges().lastCreated(requestId);
        if (last.isPresent() && now.isBefore(last.get().plus(policy.resendCooldown()))) {
            // Whole seconds, rounded up: "wait 20 seconds" when 20.0 are left, 21 for 20.3.
            long seconds = Math.max(1, (Duration.between(now, last.get()
                    .plus(policy.resendCooldown())).toMillis() + 999) / 1000);
            return Optional.of("A code was just sent. Wait " + seconds
                    + " seconds before asking for another.");
        }
        return Optional.empty();
    }

    private static String minutesUntil(Instant now, Instant then) {
        long minutes = Math.max(1, (Duration.between(now, then).toSeconds() + 59) / 60);
        return minutes == 1 ? "in a minute" : "in " + minutes + " minutes";
    }
}

package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules an operator set: code lifetime and attempts, send limits, the hold after a phone
 * change, who the admins are, and when a second approver is needed.
 *
 * @param customCodeText whether codes may carry our transaction text (SignalWire needs a sender
 *                       number for that); otherwise the provider's default text is used
 */
public record ApprovalPolicy(
        Duration codeTtl,
        int maxAttempts,
        int maxCodesPerUserPerHour,
        int maxCodesPerTeamPerDay,
        Duration resendCooldown,
        BigDecimal newPhoneHoldAmount,
        Duration newPhoneHold,
        boolean customCodeText,
        Set<String> adminUserIds,
        DualControlRule dualControl,
        int maxFailedCodesPerDay) {

    /**
     * The documented defaults (README → Configuration, example.env): the one place they are
     * written. Settings fall back to them, operator tools and tests start from them. No admins,
     * no dual control, and the provider's own code text (no sender number is known here).
     */
    public static final ApprovalPolicy DEFAULTS = new ApprovalPolicy(Duration.ofSeconds(300), 3,
            10, 500, Duration.ofSeconds(30), new BigDecimal("1000"), Duration.ofHours(24), false,
            Set.of(), DualControlRule.OFF, 10);

    public ApprovalPolicy {
        Objects.requireNonNull(codeTtl, "codeTtl");
        Objects.requireNonNull(resendCooldown, "resendCooldown");
        Objects.requireNonNull(newPhoneHoldAmount, "newPhoneHoldAmount");
        Objects.requireNonNull(newPhoneHold, "newPhoneHold");
        adminUserIds = Set.copyOf(adminUserIds);
        Objects.requireNonNull(dualControl, "dualControl");
    }

    public boolean isAdmin(Actor actor) {
        return adminUserIds.contains(actor.userId());
    }

    /**
     * When an approval needs a second person: payments at or above their currency's threshold
     * ({@code *} for any other currency), and signatures when configured.
     */
    public record DualControlRule(Map<String, BigDecimal> thresholds, boolean signatures,
                                  Duration secondApprovalTtl) {

        /** No second approver for anything; its TTL is the default one. */
        public static final DualControlRule OFF = new DualControlRule(Map.of(), false,
                Duration.ofHours(24));

        public DualControlRule {
            thresholds = Map.copyOf(thresholds);
            Objects.requireNonNull(secondApprovalTtl, "secondApprovalTtl");
        }

        /**
         * Whether {@code action} needs a second approver. Fails closed: once any threshold is
         * set, a payment in a currency with none of its own and no {@code *} needs one too (a
         * USD-only rule must not let 5,000,000 EUR through on one code).
         */
        public boolean requiresSecondApprover(Action action) {
            return switch (action) {
                case Action.Payment payment -> {
                    if (thresholds.isEmpty()) {
                        yield false;
                    }
                    BigDecimal threshold = thresholds.getOrDefault(
                            payment.money().currency().code(), thresholds.get("*"));
                    yield threshold == null || payment.money().amount().compareTo(threshold) >= 0;
                }
                case Action.Signature signature -> signatures;
                case Action.Generic generic -> false;
                case Action.PhoneEnrollment enrollment -> false;
            };
        }
    }
}

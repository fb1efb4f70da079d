package dev.countersign.testing;

import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalPolicy.DualControlRule;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@link ApprovalPolicy#DEFAULTS}, changed one setting at a time by tests. Two differ from the
 * start: {@link #ADMIN_ID} is an admin, and codes carry our transaction text (as with a
 * SignalWire sender number), so tests can read what a code names.
 */
public final class TestPolicy {

    public static final String ADMIN_ID = "UADMIN";

    private static final ApprovalPolicy DEFAULTS = ApprovalPolicy.DEFAULTS;

    private Duration codeTtl = DEFAULTS.codeTtl();
    private int maxAttempts = DEFAULTS.maxAttempts();
    private int maxCodesPerUserPerHour = DEFAULTS.maxCodesPerUserPerHour();
    private int maxCodesPerTeamPerDay = DEFAULTS.maxCodesPerTeamPerDay();
    private Duration resendCooldown = DEFAULTS.resendCooldown();
    private BigDecimal newPhoneHoldAmount = DEFAULTS.newPhoneHoldAmount();
    private Duration newPhoneHold = DEFAULTS.newPhoneHold();
    private boolean customCodeText = true;
    private Set<String> adminUserIds = Set.of(ADMIN_ID);
    private DualControlRule dualControl = DEFAULTS.dualControl();
    private int maxFailedCodesPerDay = 1000;

    public TestPolicy codeTtl(Duration ttl) {
        this.codeTtl = ttl;
        return this;
    }

    public TestPolicy maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    public TestPolicy maxCodesPerUserPerHour(int codes) {
        this.maxCodesPerUserPerHour = codes;
        return this;
    }

    public TestPolicy maxCodesPerTeamPerDay(int codes) {
        this.maxCodesPerTeamPerDay = codes;
        return this;
    }

    public TestPolicy customCodeText(boolean on) {
        this.customCodeText = on;
        return this;
    }

    /** How many wrong codes a person may enter in 24 h (tests default to plenty). */
    public TestPolicy maxFailedCodesPerDay(int count) {
        this.maxFailedCodesPerDay = count;
        return this;
    }

    /** Payments at or above {@code threshold} (any currency) need a second approver. */
    public TestPolicy dualControlFrom(String threshold) {
        this.dualControl = new DualControlRule(Map.of("*", new BigDecimal(threshold)), false,
                DEFAULTS.dualControl().secondApprovalTtl());
        return this;
    }

    public ApprovalPolicy build() {
        return new ApprovalPolicy(codeTtl, maxAttempts, maxCodesPerUserPerHour,
                maxCodesPerTeamPerDay, resendCooldown, newPhoneHoldAmount, newPhoneHold,
                customCodeText, adminUserIds, dualControl, maxFailedCodesPerDay);
    }
}

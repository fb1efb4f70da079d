package dev.countersign.testing;

import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalPolicy.DualControlRule;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** The documented defaults of {@link ApprovalPolicy}, changed one setting at a time by tests. */
public final class TestPolicy {

    public static final String ADMIN_ID = "UADMIN";

    private Duration codeTtl = Duration.ofSeconds(300);
    private int maxAttempts = 3;
    private int maxCodesPerUserPerHour = 10;
    private int maxCodesPerTeamPerDay = 500;
    private Duration resendCooldown = Duration.ofSeconds(30);
    private BigDecimal newPhoneHoldAmount = new BigDecimal("1000");
    private Duration newPhoneHold = Duration.ofHours(24);
    private boolean customCodeText = true;
    private Set<String> adminUserIds = Set.of(ADMIN_ID);
    private DualControlRule dualControl = DualControlRule.OFF;

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

    /** Payments at or above {@code threshold} (any currency) need a second approver. */
    public TestPolicy dualControlFrom(String threshold) {
        this.dualControl = new DualControlRule(Map.of("*", new BigDecimal(threshold)), false,
                Duration.ofHours(24));
        return this;
    }

    public ApprovalPolicy build() {
        return new ApprovalPolicy(codeTtl, maxAttempts, maxCodesPerUserPerHour,
                maxCodesPerTeamPerDay, resendCooldown, newPhoneHoldAmount, newPhoneHold,
                customCodeText, adminUserIds, dualControl);
    }
}

package dev.countersign.config;

import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.CurrencyCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dual-control (four-eyes) block of the settings: off unless thresholds or signatures are
 * set, and then it needs a channel and someone who may give the second approval.
 */
final class DualControlSection {

    private static final Pattern USERGROUP_ID = Pattern.compile("S[A-Z0-9]{2,20}");
    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,20}");
    private static final Duration DEFAULT_SECOND_APPROVAL_TTL =
            ApprovalPolicy.DEFAULTS.dualControl().secondApprovalTtl();

    private DualControlSection() {
    }

    static Settings.DualControl read(EnvReader env) {
        Map<String, BigDecimal> thresholds = thresholds(env);
        boolean signatures = env.bool("DUAL_CONTROL_SIGNATURES", false);
        Set<String> approvers = env.slackUserIds("APPROVER_USER_IDS");
        Optional<String> group = env.optional("APPROVER_USERGROUP_ID");
        if (group.isPresent() && !USERGROUP_ID.matcher(group.get()).matches()) {
            env.problem("APPROVER_USERGROUP_ID must be a user group id like S0614TZR7");
        }
        Optional<String> channel = env.optional("APPROVALS_CHANNEL");
        if (channel.isPresent() && !CHANNEL_ID.matcher(channel.get()).matches()) {
            env.problem("APPROVALS_CHANNEL must be a channel id like C0123456789 (in Slack: "
                    + "channel details → About → Channel ID)");
        }
        Duration secondApprovalTtl = env.seconds("SECOND_APPROVAL_TTL_SECONDS",
                DEFAULT_SECOND_APPROVAL_TTL, 300, 604_800);
        Settings.DualControl dualControl = new Settings.DualControl(thresholds, signatures,
                approvers, group, channel, secondApprovalTtl);
        if (dualControl.enabled() && channel.isEmpty()) {
            env.problem("APPROVALS_CHANNEL is required when dual control is on "
                    + "(DUAL_CONTROL_THRESHOLDS or DUAL_CONTROL_SIGNATURES)");
        }
        if (dualControl.enabled() && approvers.isEmpty() && group.isEmpty()) {
            env.problem("APPROVER_USER_IDS or APPROVER_USERGROUP_ID is required when dual "
                    + "control is on: who may give the second approval?");
        }
        return dualControl;
    }

    /** {@code USD:10000,EUR:9000,*:10000}: currency (or {@code *} for any other) to amount. */
    private static Map<String, BigDecimal> thresholds(EnvReader env) {
        Map<String, BigDecimal> thresholds = new LinkedHashMap<>();
        for (String entry : env.list("DUAL_CONTROL_THRESHOLDS")) {
            String[] parts = entry.split(":", 2);
            String currency = parts[0].trim().toUpperCase(Locale.ROOT);
            Optional<BigDecimal> amount = parts.length == 2
                    ? EnvReader.amount(parts[1].trim()) : Optional.empty();
            if (!currency.equals("*") && CurrencyCode.of(currency).isEmpty()) {
                env.problem("DUAL_CONTROL_THRESHOLDS: " + EnvReader.quote(parts[0])
                        + " is not a currency code (use entries like USD:10000,EUR:9000,"
                        + "*:10000)");
            } else if (amount.isEmpty()) {
                env.problem("DUAL_CONTROL_THRESHOLDS: " + EnvReader.quote(entry)
                        + " needs a non-negative amount after the colon, like USD:10000");
            } else {
                thresholds.put(currency, amount.get());
            }
        }
        return Map.copyOf(thresholds);
    }
}

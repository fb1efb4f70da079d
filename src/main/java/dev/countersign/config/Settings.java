package dev.countersign.config;

import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.keys.SecretKeys;
import dev.countersign.logging.LogFormat;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Countersign is told by its operator, read once at start-up ({@link SettingsLoader})
 * and passed down as values. Secrets are kept out of {@code toString()}. Unset limits are
 * {@link ApprovalPolicy#DEFAULTS}.
 */
public record Settings(
        SlackSettings slack,
        OtpProvider otpProvider,
        Optional<SignalWireSettings> signalWire,
        String databaseUrl,
        int port,
        Limits limits,
        Set<String> allowedCountries,
        Set<String> adminUserIds,
        DualControl dualControl,
        Optional<Webhook> webhook,
        String logLevel,
        SecretKeys keys,
        LogFormat logFormat,
        String bindAddress) {

    /**
     * The rules the domain enforces. Codes may carry our transaction text when the console makes
     * them, or when SignalWire has a sender number ({@code SIGNALWIRE_FROM}) to send it from.
     */
    public ApprovalPolicy approvalPolicy() {
        boolean customCodeText = otpProvider == OtpProvider.CONSOLE
                || signalWire.flatMap(SignalWireSettings::from).isPresent();
        return new ApprovalPolicy(limits.codeTtl(), limits.maxCodeAttempts(),
                limits.maxCodesPerUserPerHour(), limits.maxCodesPerTeamPerDay(),
                limits.resendCooldown(), limits.newPhoneHoldAmount(), limits.newPhoneHold(),
                customCodeText, adminUserIds, new ApprovalPolicy.DualControlRule(
                        dualControl.thresholds(), dualControl.signatures(),
                        dualControl.secondApprovalTtl()), limits.maxFailedCodesPerDay());
    }

    /** Which service makes and checks the one-time codes. */
    public enum OtpProvider { SIGNALWIRE, CONSOLE }

    /** Connecting to Slack; {@code appToken} set means Socket Mode instead of HTTP. */
    public record SlackSettings(String botToken, String signingSecret, Optional<String> appToken,
                                String apiUrl) {
        public boolean socketMode() {
            return appToken.isPresent();
        }

        @Override
        public String toString() {
            return "SlackSettings[socketMode=" + socketMode() + ", apiUrl=" + apiUrl + "]";
        }
    }

    /** SignalWire project credentials; {@code from} enables a custom, transaction-bound text. */
    public record SignalWireSettings(String space, String projectKey, String token,
                                     Optional<String> from) {
        @Override
        public String toString() {
            return "SignalWireSettings[space=" + space + ", from=" + from.isPresent() + "]";
        }
    }

    /** Limits on codes (NIST SP 800-63B out-of-band rules, and SMS-pumping defences). */
    public record Limits(Duration codeTtl, int maxCodeAttempts, int maxCodesPerUserPerHour,
                         int maxCodesPerTeamPerDay, Duration resendCooldown,
                         BigDecimal newPhoneHoldAmount, Duration newPhoneHold,
                         int maxFailedCodesPerDay) {
    }

    /**
     * Four-eyes rules. {@code thresholds} maps a currency code, or {@code *} for any other, to the
     * amount at or above which a payment needs a second approver.
     */
    public record DualControl(Map<String, BigDecimal> thresholds, boolean signatures,
                              Set<String> approverUserIds, Optional<String> approverUsergroupId,
                              Optional<String> approvalsChannel, Duration secondApprovalTtl) {
        public boolean enabled() {
            return !thresholds.isEmpty() || signatures;
        }
    }

    /** Where approved actions are POSTed, signed with {@code secret}. */
    public record Webhook(URI url, String secret) {
        @Override
        public String toString() {
            return "Webhook[url=" + url + "]";
        }
    }
}

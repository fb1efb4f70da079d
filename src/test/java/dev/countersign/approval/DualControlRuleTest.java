package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a payment needs a second person: by its currency's threshold, and closed when unsure. */
class DualControlRuleTest {

    private static final Duration TTL = Duration.ofHours(24);

    @Test
    void aCurrencyWithNoThresholdAndNoCatchAllNeedsASecondApprover() {
        ApprovalPolicy.DualControlRule usdOnly = new ApprovalPolicy.DualControlRule(
                Map.of("USD", new BigDecimal("10000")), false, TTL);

        assertThat(usdOnly.requiresSecondApprover(payment("5000000", "EUR")))
                .as("5,000,000 EUR with only a USD threshold").isTrue();
        assertThat(usdOnly.requiresSecondApprover(payment("1", "JPY"))).isTrue();
    }

    @Test
    void aConfiguredCurrencyIsJudgedByItsOwnThreshold() {
        ApprovalPolicy.DualControlRule usdOnly = new ApprovalPolicy.DualControlRule(
                Map.of("USD", new BigDecimal("10000")), false, TTL);

        assertThat(usdOnly.requiresSecondApprover(payment("9999.99", "USD"))).isFalse();
        assertThat(usdOnly.requiresSecondApprover(payment("10000", "USD"))).isTrue();
    }

    @Test
    void theCatchAllCoversEveryOtherCurrency() {
        ApprovalPolicy.DualControlRule withStar = new ApprovalPolicy.DualControlRule(
                Map.of("USD", new BigDecimal("10000"), "*", new BigDecimal("5000")), false, TTL);

        assertThat(withStar.requiresSecondApprover(payment("4999", "EUR"))).isFalse();
        assertThat(withStar.requiresSecondApprover(payment("5000", "EUR"))).isTrue();
    }

    @Test
    void withNoThresholdsAtAllDualControlIsOffForPayments() {
        assertThat(ApprovalPolicy.DualControlRule.OFF.requiresSecondApprover(
                payment("5000000", "EUR"))).isFalse();
    }

    private static Action payment(String amount, String currency) {
        return new Action.Payment(new Money(new BigDecimal(amount),
                CurrencyCode.of(currency).orElseThrow()), "Mallory Ltd", null);
    }
}

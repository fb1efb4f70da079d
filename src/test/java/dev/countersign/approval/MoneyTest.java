package dev.countersign.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    private static final CurrencyCode USD = CurrencyCode.of("USD").orElseThrow();
    private static final CurrencyCode JPY = CurrencyCode.of("JPY").orElseThrow();
    private static final CurrencyCode KWD = CurrencyCode.of("KWD").orElseThrow();

    @Test
    void amountIsFormattedWithTheCurrencysOwnDecimals() {
        assertThat(new Money(new BigDecimal("2500"), USD).formatted()).isEqualTo("USD 2,500.00");
        assertThat(new Money(new BigDecimal("2500"), JPY).formatted()).isEqualTo("JPY 2,500");
        assertThat(new Money(new BigDecimal("1.5"), KWD).formatted()).isEqualTo("KWD 1.500");
        assertThat(new Money(new BigDecimal("19.9"), USD).plainAmount()).isEqualTo("19.90");
    }

    @Test
    void trailingZerosDoNotCountAsDecimals() {
        assertThat(new Money(new BigDecimal("100.00"), JPY).plainAmount()).isEqualTo("100");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-5", "1000000000000", "1000000000000.01", "19.999"})
    void amountsOutOfRangeOrTooPreciseAreRefused(String amount) {
        assertThatThrownBy(() -> new Money(new BigDecimal(amount), USD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void amountJustBelowTheMaximumIsAccepted() {
        assertThat(new Money(new BigDecimal("999999999999.99"), USD).formatted())
                .isEqualTo("USD 999,999,999,999.99");
    }

    @Test
    void yenTakeNoDecimals() {
        assertThatThrownBy(() -> new Money(new BigDecimal("100.5"), JPY))
                .hasMessage("JPY amounts take at most 0 decimals");
    }

    @ParameterizedTest
    @ValueSource(strings = {"usd", "USD", " Usd "})
    void currencyCodesAreReadInAnyCase(String code) {
        assertThat(CurrencyCode.of(code)).contains(USD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XYZ", "DEM", "XAU", "CLF", "US", "USDD", "", "uſd", "ınr", "ＵＳＤ"})
    void withdrawnFundsMetalsAndLookalikeCodesAreNotCurrencies(String code) {
        assertThat(CurrencyCode.of(code)).isEmpty();
    }
}

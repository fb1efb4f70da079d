package dev.countersign.approval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Objects;

/**
 * An amount of a currency: positive, with no more decimals than the currency has (and never more
 * than two, as people type them). Formatted for people as {@code USD 2,500.00}.
 */
public record Money(BigDecimal amount, CurrencyCode currency) {

    /** Larger than any approval anyone should make in chat; stops digit-flood input. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be greater than zero");
        }
        if (amount.compareTo(MAX_AMOUNT) >= 0) {
            throw new IllegalArgumentException("amount is too large");
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > Math.min(2, currency.fractionDigits())) {
            throw new IllegalArgumentException(currency.code() + " amounts take at most "
                    + Math.min(2, currency.fractionDigits()) + " decimals");
        }
        amount = amount.setScale(currency.fractionDigits(), RoundingMode.UNNECESSARY);
    }

    /** {@code USD 2,500.00}, {@code JPY 2,500}. */
    public String formatted() {
        return currency.code() + " " + formattedAmount();
    }

    /** {@code 2,500.00}. */
    public String formattedAmount() {
        DecimalFormat format = new DecimalFormat("#,##0",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setMinimumFractionDigits(currency.fractionDigits());
        format.setMaximumFractionDigits(currency.fractionDigits());
        return format.format(amount);
    }

    /** The amount as a plain string for machines: {@code 2500.00}. */
    public String plainAmount() {
        return amount.toPlainString();
    }

    @Override
    public String toString() {
        return formatted();
    }
}

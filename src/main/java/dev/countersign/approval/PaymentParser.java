package dev.countersign.approval;

import dev.countersign.approval.Command.Invalid;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code pay <amount> <CUR> to <payee> [for <memo>]} (or {@code pay <CUR> <amount> …}).
 * Once a person has typed {@code pay}, the text is a payment or it is refused: falling back to a
 * generic action would let a typo approve something other than a payment of a checked amount.
 */
final class PaymentParser {

    private static final String EXAMPLE = "`/approve pay 2500 USD to Acme Corp`";
    private static final String EXAMPLE_WITH_MEMO =
            "`/approve pay 2500 USD to Acme Corp for INV-1042`";
    private static final int MAX_TYPED_DECIMALS = 2;

    /** {@code 2500}, {@code 2,500}, {@code 2,500.00}, {@code 0.5}: commas between thousands. */
    private static final Pattern AMOUNT =
            Pattern.compile("(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\\.([0-9]+))?");
    /** {@code 2500USD} or {@code USD2500}. */
    private static final Pattern GLUED =
            Pattern.compile("[0-9][0-9.,]*[A-Za-z]{3}|[A-Za-z]{3}[0-9][0-9.,]*");
    private static final Pattern EXPONENT = Pattern.compile("[0-9.,]*[0-9][eE][+-]?[0-9]+");
    private static final Pattern LETTERS = Pattern.compile("[A-Za-z]{3}");
    /** The word {@code for} between spaces; the payee ends at the first one. */
    private static final Pattern FOR = Pattern.compile("(?<![^ \\t])for(?![^ \\t])",
            Pattern.CASE_INSENSITIVE);

    private PaymentParser() {
    }

    /** Reads what follows {@code pay}. */
    static Command parse(CommandWords words) {
        String first = words.next();
        if (first == null) {
            return invalid("Say how much, in which currency and to whom: " + EXAMPLE_WITH_MEMO
                    + ".");
        }
        if (CommandWords.keyword(first).equals("to")) {
            return invalid("Say how much to pay before `to`: " + EXAMPLE + ".");
        }
        String second = words.next();
        boolean currencyFirst = LETTERS.matcher(first).matches();
        if (second == null || CommandWords.keyword(second).equals("to")) {
            if (currencyFirst) {
                return invalid("Say how much to pay after the currency: `/approve pay USD 2500 to "
                        + "Acme Corp`.");
            }
            return invalid(amountProblem(first).orElse("Say which currency, as an ISO 4217 code "
                    + "after the amount: " + EXAMPLE + "."));
        }
        String amountText = currencyFirst ? second : first;
        String currencyText = currencyFirst ? first : second;
        Optional<String> problem = amountProblem(amountText);
        if (problem.isPresent()) {
            return invalid(problem.get());
        }
        if (!currencyFirst && Character.isDigit(second.charAt(0))) {
            return invalid("Write the amount without spaces, like 2500 or 2,500.");
        }
        Optional<CurrencyCode> currency = CurrencyCode.of(currencyText);
        if (currency.isEmpty()) {
            return invalid(currencyProblem(currencyText));
        }
        BigDecimal amount = new BigDecimal(amountText.replace(",", ""));
        Optional<String> valueProblem = valueProblem(amount, currency.get(), amountText);
        if (valueProblem.isPresent()) {
            return invalid(valueProblem.get());
        }
        return payee(words, new Money(amount, currency.get()));
    }

    /**
     * An amount and currency typed into separate fields (the request form): the money, or the
     * same sentence the command would give for what is wrong.
     */
    static MoneyField money(String amountText, String currencyText) {
        String amount = amountText == null ? "" : amountText.strip();
        String code = currencyText == null ? "" : currencyText.strip();
        if (amount.isEmpty()) {
            return new MoneyField(null, "Say how much, like 2500 or 2,500.00.");
        }
        Optional<String> problem = amountProblem(amount);
        if (problem.isPresent()) {
            return new MoneyField(null, problem.get());
        }
        Optional<CurrencyCode> currency = CurrencyCode.of(code);
        if (currency.isEmpty()) {
            return new MoneyField(null, code.isEmpty() ? "Give the currency, like USD."
                    : currencyProblem(code));
        }
        BigDecimal value = new BigDecimal(amount.replace(",", ""));
        return valueProblem(value, currency.get(), amount)
                .map(valueProblem -> new MoneyField(null, valueProblem))
                .orElseGet(() -> new MoneyField(new Money(value, currency.get()), null));
    }

    /** Either the money or the problem with it. */
    record MoneyField(Money money, String problem) {
    }

    private static Command payee(CommandWords words, Money money) {
        String to = words.next();
        if (to == null) {
            return invalid("Say who to pay: " + EXAMPLE + ".");
        }
        if (!CommandWords.keyword(to).equals("to")) {
            return invalid("Put `to` before the payee: " + EXAMPLE + ".");
        }
        String rest = words.rest();
        Matcher forWord = FOR.matcher(rest);
        boolean hasMemo = forWord.find();
        String payee = hasMemo ? rest.substring(0, forWord.start()) : rest;
        String memo = hasMemo ? rest.substring(forWord.end()) : null;
        if (payee.isBlank()) {
            return invalid("Say who to pay after `to`: " + EXAMPLE + ".");
        }
        if (memo != null && memo.isBlank()) {
            return invalid("Say what the payment is for after `for`, or leave `for` out: "
                    + EXAMPLE_WITH_MEMO + ".");
        }
        return CommandParser.approval(() -> new Action.Payment(money, payee, memo));
    }

    /** What is wrong with how the amount is written, before its currency is known. */
    static Optional<String> amountProblem(String text) {
        if (text.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CURRENCY_SYMBOL)) {
            return Optional.of("Leave out the currency symbol and give the currency code: "
                    + EXAMPLE + ".");
        }
        if (GLUED.matcher(text).matches()) {
            return Optional.of("Put a space between the amount and the currency, like `2500 USD`.");
        }
        if (text.startsWith("-") || text.startsWith("\u2212")) {
            return Optional.of("The amount must be more than zero.");
        }
        if (text.startsWith("+")) {
            return Optional.of("Leave out the + sign: write the amount in plain digits, like"
                    + " 2500.");
        }
        if (EXPONENT.matcher(text).matches()) {
            return Optional.of("Write the amount in plain digits, like 100000, not as "
                    + CommandParser.quote(text) + ".");
        }
        Matcher amount = AMOUNT.matcher(text);
        if (!amount.matches()) {
            return Optional.of(CommandParser.quote(text) + " is not an amount I can read: write it "
                    + "like 2500, 2,500.00 or 19.99 (commas only between thousands, a dot before "
                    + "the decimals).");
        }
        String decimals = amount.group(1);
        if (decimals != null && decimals.length() > MAX_TYPED_DECIMALS) {
            return Optional.of("Amounts take at most " + MAX_TYPED_DECIMALS + " decimals: "
                    + CommandParser.quote(text) + " has " + decimals.length() + ".");
        }
        return Optional.empty();
    }

    /** What is wrong with the amount's value in its currency (the rules {@link Money} enforces). */
    private static Optional<String> valueProblem(BigDecimal amount, CurrencyCode currency,
                                                 String typed) {
        if (amount.signum() == 0) {
            return Optional.of("The amount must be more than zero.");
        }
        if (amount.compareTo(Money.MAX_AMOUNT) >= 0) {
            return Optional.of("That amount is too large to approve in chat: it must be below "
                    + String.format(Locale.ROOT, "%,d", Money.MAX_AMOUNT.longValueExact()) + ".");
        }
        // Trailing zeros are fine: 100.00 JPY is exactly 100 JPY.
        int digits = currency.fractionDigits();
        if (amount.stripTrailingZeros().scale() > digits) {
            return Optional.of(digits == 0
                    ? currency.code() + " amounts have no decimals: " + CommandParser.quote(typed)
                            + " is not a whole number."
                    : currency.code() + " amounts take at most " + digits + " decimals.");
        }
        return Optional.empty();
    }

    private static String currencyProblem(String text) {
        String upper = CommandWords.isAscii(text) ? text.toUpperCase(Locale.ROOT) : "";
        boolean knownToJava = LETTERS.matcher(upper).matches() && Currency.getAvailableCurrencies()
                .stream().anyMatch(currency -> currency.getCurrencyCode().equals(upper));
        if (knownToJava) {
            // Withdrawn currencies (DEM), funds (CLF) and metals (XAU) are ISO codes, not payments.
            return CommandParser.quote(upper) + " is not a currency payments are made in today"
                    + " — use an active ISO 4217 code like USD, EUR or GBP.";
        }
        return CommandParser.quote(text) + " is not a currency code I know — use an ISO 4217 code "
                + "like USD, EUR or GBP.";
    }

    private static Command invalid(String problem) {
        return new Invalid(problem);
    }
}

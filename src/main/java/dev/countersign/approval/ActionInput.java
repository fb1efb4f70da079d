package dev.countersign.approval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link Action} from separately named fields (the REST API, a Workflow Builder step), with
 * the slash command's rules and limits, and every problem named by its field rather than only
 * the first.
 */
public final class ActionInput {

    /** The action, or (when any field is wrong) what is wrong with each field. */
    public record Built(Optional<Action> action, Map<String, String> problems) {
        public Built {
            problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
        }
    }

    private ActionInput() {
    }

    public static Built payment(String amount, String currency, String payee, String memo) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (currency == null || currency.isBlank()) {
            problems.put("currency", "Give the currency, like USD.");
        } else if (CurrencyCode.of(currency.strip()).isEmpty()) {
            problems.put("currency", CommandParser.money("1", currency).problem());
        }
        CommandParser.MoneyInput money = CommandParser.money(amount,
                problems.containsKey("currency") ? "USD" : currency);
        if (money.problem() != null) {
            problems.put("amount", money.problem());
        }
        check(problems, "payee", payee, Action.MAX_PAYEE, true);
        check(problems, "memo", memo, Action.MAX_MEMO, false);
        return problems.isEmpty()
                ? built(new Action.Payment(money.money(), payee, memo))
                : new Built(Optional.empty(), problems);
    }

    public static Built signature(String document, String counterparty) {
        Map<String, String> problems = new LinkedHashMap<>();
        check(problems, "document", document, Action.MAX_DOCUMENT, true);
        check(problems, "counterparty", counterparty, Action.MAX_COUNTERPARTY, false);
        return problems.isEmpty() ? built(new Action.Signature(document, counterparty))
                : new Built(Optional.empty(), problems);
    }

    public static Built generic(String description) {
        Map<String, String> problems = new LinkedHashMap<>();
        check(problems, "description", description, Action.MAX_DESCRIPTION, true);
        return problems.isEmpty() ? built(new Action.Generic(description))
                : new Built(Optional.empty(), problems);
    }

    private static void check(Map<String, String> problems, String field, String value,
                              int maxLength, boolean required) {
        try {
            if (required) {
                FreeText.required(value, field, maxLength);
            } else {
                FreeText.optional(value, field, maxLength);
            }
        } catch (InvalidActionException e) {
            problems.put(field, capitalized(e.getMessage()) + ".");
        }
    }

    private static Built built(Action action) {
        return new Built(Optional.of(action), Map.of());
    }

    private static String capitalized(String message) {
        return Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}

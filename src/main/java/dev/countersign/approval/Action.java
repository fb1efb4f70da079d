package dev.countersign.approval;

import dev.countersign.people.PhoneNumber;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a person asks to approve. Values are checked when made, so every {@code Action} in the
 * system is one a person could have typed and we could show back exactly.
 */
public sealed interface Action {

    int MAX_PAYEE = 100;
    int MAX_MEMO = 200;
    int MAX_DOCUMENT = 200;
    int MAX_COUNTERPARTY = 200;
    int MAX_DESCRIPTION = 300;

    /** The kind, stored and sent to webhooks: {@code payment}, {@code signature},
            {@code action}. */
    String kind();

    /** One line for people: {@code pay USD 2,500.00 to Acme Corp (for INV-1042)}. */
    String summary();

    /**
     * The action's fields in a fixed order, for digests, audit rows and webhooks. Absent optional
     * fields map to {@code null}.
     */
    Map<String, String> fields();

    /** {@code /approve pay 2500 USD to Acme Corp for INV-1042}. */
    record Payment(Money money, String payee, String memo) implements Action {
        public Payment {
            Objects.requireNonNull(money, "money");
            payee = FreeText.required(payee, "payee", MAX_PAYEE);
            memo = FreeText.optional(memo, "memo", MAX_MEMO);
        }

        @Override
        public String kind() {
            return "payment";
        }

        @Override
        public String summary() {
            return "pay " + money.formatted() + " to " + payee + (memo == null ? "" : " (for "
                    + memo + ")");
        }

        @Override
        public Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("currency", money.currency().code());
            fields.put("amount", money.plainAmount());
            fields.put("payee", payee);
            fields.put("memo", memo);
            return fields;
        }
    }

    /** {@code /approve sign Master Services Agreement with Globex}. */
    record Signature(String document, String counterparty) implements Action {
        public Signature {
            document = FreeText.required(document, "document", MAX_DOCUMENT);
            counterparty = FreeText.optional(counterparty, "counterparty", MAX_COUNTERPARTY);
        }

        @Override
        public String kind() {
            return "signature";
        }

        @Override
        public String summary() {
            return "sign " + document + (counterparty == null ? "" : " with " + counterparty);
        }

        @Override
        public Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("document", document);
            fields.put("counterparty", counterparty);
            return fields;
        }
    }

    /** Any other text: {@code /approve deploy billing-service v2.3 to production}. */
    record Generic(String description) implements Action {
        public Generic {
            description = FreeText.required(description, "action", MAX_DESCRIPTION);
        }

        @Override
        public String kind() {
            return "action";
        }

        @Override
        public String summary() {
            return description;
        }

        @Override
        public Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("description", description);
            return fields;
        }
    }

    /**
     * Enrolling (or changing) the phone that receives codes. Only the last four digits live here;
     * the full number stays with the request until it is verified or dropped.
     */
    record PhoneEnrollment(String lastFour, boolean change) implements Action {
        public PhoneEnrollment {
            if (lastFour == null || !lastFour.matches("[0-9]{4}")) {
                throw new IllegalArgumentException("lastFour must be four digits");
            }
        }

        @Override
        public String kind() {
            return change ? "phone_change" : "enrollment";
        }

        @Override
        public String summary() {
            return (change ? "change your Countersign phone to " : "enroll phone ")
                    + PhoneNumber.maskLastFour(lastFour);
        }

        @Override
        public Map<String, String> fields() {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("phone_last4", lastFour);
            fields.put("change", Boolean.toString(change));
            return fields;
        }
    }
}

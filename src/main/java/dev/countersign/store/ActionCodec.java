package dev.countersign.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.approval.Action;
import dev.countersign.approval.CurrencyCode;
import dev.countersign.approval.Money;
import dev.countersign.json.Json;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** Actions to and from the JSON kept in {@code requests.action_json}. */
final class ActionCodec {

    private static final ObjectMapper JSON = Json.newMapper();

    private ActionCodec() {
    }

    static String encode(Action action) {
        Map<String, String> fields = new LinkedHashMap<>(action.fields());
        fields.values().removeIf(java.util.Objects::isNull);
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always encodes", e);
        }
    }

    static Action decode(String kind, String json) {
        Map<String, String> fields;
        try {
            fields = JSON.readValue(json, JSON.getTypeFactory()
                    .constructMapType(Map.class, String.class, String.class));
        } catch (JsonProcessingException e) {
            throw new StoreException("stored action is not valid JSON", e);
        }
        return switch (kind) {
            case "payment" -> new Action.Payment(
                    new Money(new BigDecimal(fields.get("amount")),
                            CurrencyCode.of(fields.get("currency")).orElseThrow()),
                    fields.get("payee"), fields.get("memo"));
            case "signature" -> new Action.Signature(fields.get("document"),
                    fields.get("counterparty"));
            case "action" -> new Action.Generic(fields.get("description"));
            case "enrollment", "phone_change" -> new Action.PhoneEnrollment(
                    fields.get("phone_last4"), Boolean.parseBoolean(fields.get("change")));
            default -> throw new StoreException("unknown action kind " + kind, null);
        };
    }
}

package dev.countersign.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.json.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One stored audit row, exactly as kept: {@code details} is the stored JSON text, and {@code hash}
 * covers this row's fields plus the previous row's hash.
 */
public record AuditRecord(long id, Instant at, String type, String requestId, String teamId,
                          String actor, String details, String previousHash, String hash) {

    private static final ObjectMapper JSON = Json.newMapper();

    /** The details' top-level text values; none for a row whose details are not an object. */
    public Map<String, String> detailValues() {
        Map<String, String> values = new HashMap<>();
        if (details == null) {
            return values;
        }
        try {
            JSON.readTree(details).properties().forEach(field -> {
                if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                    values.put(field.getKey(), field.getValue().asText());
                }
            });
        } catch (JsonProcessingException notJson) {
            // A row changed by hand may hold anything: it has no values to read.
        }
        return values;
    }
}

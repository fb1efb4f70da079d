package dev.countersign.audit;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Something that happened and must be kept: what was decided, about which request, by whom, how.
 * Details hold only what is safe to keep forever: never a code, a secret or a full phone number.
 *
 * @param actor the Slack user id who did it, {@code system}, or {@code operator:user@host}
 *              (the operator's command line: the OS user and machine)
 */
public record AuditEvent(String type, String requestId, String teamId, String actor,
                         Map<String, String> details) {

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        TreeMap<String, String> sorted = new TreeMap<>();
        if (details != null) {
            details.forEach((key, value) -> {
                if (value != null) {
                    sorted.put(key, value);
                }
            });
        }
        details = java.util.Collections.unmodifiableMap(sorted);
    }

    public static AuditEvent of(String type, String requestId, String teamId, String actor,
                                Map<String, String> details) {
        return new AuditEvent(type, requestId, teamId, actor, details);
    }
}

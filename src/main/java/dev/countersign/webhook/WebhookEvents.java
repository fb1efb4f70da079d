package dev.countersign.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.RequestOrigin;
import dev.countersign.approval.Transaction;
import dev.countersign.json.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Puts the webhook event for every approved action into the outbox, inside the transaction that
 * approves it: the event exists exactly when the approval does. Enrollments are not sent.
 *
 * <p>The event, with fields always in this order (absent ones left out):
 * <pre>{@code
 * {"id":"<request id>","type":"payment.approved","reference":"CS-7K3P9Q",
 *  "amount":"2500.00","currency":"USD","payee":"Acme Corp","memo":"INV-1042",
 *  "action":{"currency":"USD","amount":"2500.00","payee":"Acme Corp","memo":"INV-1042"},
 *  "requester":{"team_id":"T…","user_id":"U…"},
 *  "approvers":[{"user_id":"U…","channel":"sms","phone_last4":"0123"}],
 *  "verification_channels":["sms"],"approved_at":"2026-11-01T10:00:00.123Z","digest":"<hex>",
 *  "source":"api","client":"erp","external_id":"erp-payment-77"}
 * }</pre>
 * {@code type} is {@code payment.approved}, {@code signature.approved} (with {@code document},
 * {@code counterparty}) or {@code action.approved} (with {@code description}). Amounts are strings
 * so no receiver reads them as binary floating point. {@code approvers} lists everyone whose code
 * approved it, requester first; {@code verification_channels} the distinct channels they used.
 */
public final class WebhookEvents implements ApprovalOutbox {

    static final ObjectMapper JSON = Json.newMapper();
    /** The action fields repeated at the top level, in this order. */
    private static final List<String> TOP_LEVEL = List.of("amount", "currency", "payee", "memo",
            "document", "counterparty", "description");

    @Override
    public void recordApproval(Transaction tx, ApprovalRequest request,
                               List<CodeChallenge> verified, Instant at) {
        if (request.isEnrollment()) {
            return;
        }
        tx.outbox().enqueue(request.id(), payload(request, tx.origins().of(request.id()),
                verified, at), at);
    }

    /** The event for {@code request} asked in Slack, as sent. */
    static String payload(ApprovalRequest request, List<CodeChallenge> verified, Instant at) {
        return payload(request, RequestOrigin.SLACK, verified, at);
    }

    /**
     * The event for {@code request}, as sent. One that another system or a workflow asked for
     * also says so: {@code "source":"api"} with {@code client} and {@code external_id}, or
     * {@code "source":"workflow"} (left out for Slack's own, so their events stay as they were).
     */
    static String payload(ApprovalRequest request, RequestOrigin origin,
                          List<CodeChallenge> verified, Instant at) {
        Map<String, String> fields = presentFields(request);
        ObjectNode event = JSON.createObjectNode();
        event.put("id", request.id());
        event.put("type", type(request));
        event.put("reference", request.reference());
        for (String name : TOP_LEVEL) {
            if (fields.containsKey(name)) {
                event.put(name, fields.get(name));
            }
        }
        ObjectNode action = event.putObject("action");
        fields.forEach(action::put);
        // team_id keeps its name for receivers; it is the installation id (the enterprise id
        // for an org-wide install), which for a workspace install is its team id as before.
        event.putObject("requester")
                .put("team_id", request.requester().installationId())
                .put("user_id", request.requester().userId());
        List<CodeChallenge> approvers = requesterFirst(verified);
        ArrayNode people = event.putArray("approvers");
        Set<String> channels = new LinkedHashSet<>();
        for (CodeChallenge challenge : approvers) {
            people.addObject()
                    .put("user_id", challenge.verifier().userId())
                    .put("channel", challenge.channel().wireName())
                    .put("phone_last4", challenge.phoneLastFour());
            channels.add(challenge.channel().wireName());
        }
        ArrayNode channelList = event.putArray("verification_channels");
        channels.forEach(channelList::add);
        // Milliseconds, as the database keeps decided_at.
        event.put("approved_at", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("digest", request.digest());
        if (origin.source() != RequestOrigin.Source.SLACK) {
            event.put("source", origin.source().wireName());
            if (origin.client() != null) {
                event.put("client", origin.client());
            }
            if (origin.externalId() != null) {
                event.put("external_id", origin.externalId());
            }
        }
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always encodes", e);
        }
    }

    /**
     * Why the stored event may not be sent for {@code request}, if it may not: the event must
     * name this request and its digest, and carry exactly its action's fields. Catches an edit of
     * the outbox row itself, which the request's own digest check cannot see.
     */
    static Optional<String> mismatch(JsonNode event, ApprovalRequest request) {
        if (!request.id().equals(event.path("id").asText())
                || !type(request).equals(event.path("type").asText())) {
            return Optional.of("the stored event names another request");
        }
        if (!request.digest().equals(event.path("digest").asText())) {
            return Optional.of("the stored event's digest differs from the request's");
        }
        Map<String, String> fields = presentFields(request);
        if (!sameFields(event.path("action"), fields)) {
            return Optional.of("the stored event's action differs from the request's");
        }
        for (String name : TOP_LEVEL) {
            JsonNode value = event.get(name);
            boolean same = fields.containsKey(name)
                    ? value != null && value.isTextual() && value.asText().equals(fields.get(name))
                    : value == null;
            if (!same) {
                return Optional.of("the stored event's " + name
                        + " differs from the request's");
            }
        }
        return Optional.empty();
    }

    static String type(ApprovalRequest request) {
        return request.action().kind() + ".approved";
    }

    private static Map<String, String> presentFields(ApprovalRequest request) {
        Map<String, String> fields = new LinkedHashMap<>(request.action().fields());
        fields.values().removeIf(Objects::isNull);
        return fields;
    }

    private static boolean sameFields(JsonNode action, Map<String, String> fields) {
        if (!action.isObject() || action.size() != fields.size()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = action.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!entry.getValue().isTextual()
                    || !entry.getValue().asText().equals(fields.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static List<CodeChallenge> requesterFirst(List<CodeChallenge> verified) {
        // A stable sort: second approvers keep the order they approved in.
        return verified.stream()
                .sorted(Comparator.comparing(
                        (CodeChallenge challenge) -> challenge.purpose() != ChallengePurpose.REQUESTER))
                .toList();
    }
}

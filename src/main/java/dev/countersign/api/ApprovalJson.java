package dev.countersign.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ExternalRequests;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.SlackUserId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** An approval as the API shows it: {@code Approval} in the OpenAPI document. */
final class ApprovalJson {

    private ApprovalJson() {
    }

    static ObjectNode of(ExternalRequests.Report report) {
        ApprovalRequest request = report.request();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", request.id());
        json.put("reference", request.reference());
        json.put("status", StatusWords.of(request.status()));
        json.put("created_at", time(request.createdAt()));
        json.put("expires_at", time(request.expiresAt()));
        boolean decided = !request.status().isOpen();
        json.put("decided_at", decided ? time(request.decidedAt()) : null);
        json.put("decided_by", decided && SlackUserId.isValid(request.decidedBy())
                ? request.decidedBy() : null);
        json.put("channel", report.channel().map(DeliveryChannel::wireName).orElse(null));
        json.put("external_id", report.origin().externalId());
        json.putObject("requester").put("slack_user_id", request.requester().userId());
        ObjectNode action = json.putObject("action");
        action.put("type", type(request.action()));
        for (Map.Entry<String, String> field : request.action().fields().entrySet()) {
            if (field.getValue() != null) {
                action.put(field.getKey(), field.getValue());
            }
        }
        return json;
    }

    private static String type(Action action) {
        return switch (action) {
            case Action.Payment payment -> "payment";
            case Action.Signature signature -> "signature";
            case Action.Generic generic -> "generic";
            case Action.PhoneEnrollment enrollment -> "enrollment";
        };
    }

    private static String time(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}

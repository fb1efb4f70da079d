package dev.countersign.approval;

import dev.countersign.audit.AuditEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an audit row says about a request, a code, or a decision made with codes. */
final class AuditDetails {

    private AuditDetails() {
    }

    /** What (the action's fields) and which request. */
    static Map<String, String> of(ApprovalRequest request) {
        Map<String, String> details = new LinkedHashMap<>(request.action().fields());
        details.put("kind", request.action().kind());
        details.put("reference", request.reference());
        details.put("requester", request.requester().userId());
        details.put("digest", request.digest());
        return details;
    }

    static Map<String, String> of(CodeChallenge challenge) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("challenge", Long.toString(challenge.id()));
        details.put("purpose", challenge.purpose().name());
        details.put("channel", challenge.channel().wireName());
        details.put("phone_last4", challenge.phoneLastFour());
        details.put("verifier", challenge.verifier().userId());
        return details;
    }

    /** A decision made by verifying these codes: the request, then who confirmed and how. */
    static Map<String, String> decision(ApprovalRequest request, List<CodeChallenge> verified) {
        Map<String, String> details = of(request);
        for (int i = 0; i < verified.size(); i++) {
            CodeChallenge challenge = verified.get(i);
            String prefix = verified.size() == 1 ? "verified_" : "verified_" + (i + 1) + "_";
            details.put(prefix + "by", challenge.verifier().userId());
            details.put(prefix + "channel", challenge.channel().wireName());
            details.put(prefix + "phone_last4", challenge.phoneLastFour());
        }
        return details;
    }

    static AuditEvent event(String type, ApprovalRequest request, String actor,
                            Map<String, String> details) {
        return AuditEvent.of(type, request.id(), request.requester().installationId(), actor,
                details);
    }
}

package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.audit.AuditEvent;
import dev.countersign.otp.OneTimeCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The approval domain, wired once: opening requests ({@link RequestDesk}), sending codes
 * ({@link CodeDelivery}), checking them ({@link CodeVerification}) and second approvals
 * ({@link SecondApproval}). Adapters (Slack, the command line) talk only to these.
 */
public final class Approvals {

    final Store store;
    final OneTimeCodes codes;
    final ApprovalPolicy policy;
    final Clock clock;
    final ApproverDirectory approvers;
    final ApprovedActions approvedActions;
    final RequestLocks locks = new RequestLocks();
    final SendLimits limits;

    private final RequestDesk desk;
    private final CodeDelivery delivery;
    private final CodeVerification verification;
    private final SecondApproval secondApproval;

    public Approvals(Store store, OneTimeCodes codes, ApprovalPolicy policy, Clock clock,
                     ApproverDirectory approvers, ApprovedActions approvedActions) {
        this.store = Objects.requireNonNull(store, "store");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.approvers = Objects.requireNonNull(approvers, "approvers");
        this.approvedActions = Objects.requireNonNull(approvedActions, "approvedActions");
        this.limits = new SendLimits(policy, clock);
        this.desk = new RequestDesk(this);
        this.delivery = new CodeDelivery(this);
        this.verification = new CodeVerification(this);
        this.secondApproval = new SecondApproval(this);
    }

    public RequestDesk desk() {
        return desk;
    }

    public CodeDelivery delivery() {
        return delivery;
    }

    public CodeVerification verification() {
        return verification;
    }

    public SecondApproval secondApproval() {
        return secondApproval;
    }

    public ApprovalPolicy policy() {
        return policy;
    }

    public Store store() {
        return store;
    }

    Instant now() {
        return clock.instant();
    }

    /** A new code waiting to be sent; its lifetime starts again when the provider takes it. */
    CodeChallenge pendingChallenge(String requestId, Actor verifier, ChallengePurpose purpose,
                               dev.countersign.otp.DeliveryChannel channel, String lastFour,
                               Instant now, String viewId, String viewHash) {
        return new CodeChallenge(0, requestId, verifier, purpose, channel, lastFour, null,
                ChallengeState.PENDING, 0, policy.maxAttempts(), now, now.plus(policy.codeTtl()),
                viewId, viewHash);
    }

    /** Audit details for a decision: what (the action's fields) and which request. */
    static Map<String, String> describe(ApprovalRequest request) {
        Map<String, String> details = new LinkedHashMap<>(request.action().fields());
        details.put("kind", request.action().kind());
        details.put("reference", request.reference());
        details.put("requester", request.requester().userId());
        details.put("digest", request.digest());
        return details;
    }

    static Map<String, String> describe(CodeChallenge challenge) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("challenge", Long.toString(challenge.id()));
        details.put("purpose", challenge.purpose().name());
        details.put("channel", challenge.channel().wireName());
        details.put("phone_last4", challenge.phoneLastFour());
        details.put("verifier", challenge.verifier().userId());
        return details;
    }

    static AuditEvent event(String type, ApprovalRequest request, String actor,
                            Map<String, String> details) {
        return AuditEvent.of(type, request.id(), request.requester().teamId(), actor, details);
    }

    /** The audit details of a decision made by verifying these challenges. */
    static Map<String, String> decision(ApprovalRequest request, List<CodeChallenge> verified) {
        Map<String, String> details = describe(request);
        for (int i = 0; i < verified.size(); i++) {
            CodeChallenge challenge = verified.get(i);
            String prefix = verified.size() == 1 ? "verified_" : "verified_" + (i + 1) + "_";
            details.put(prefix + "by", challenge.verifier().userId());
            details.put(prefix + "channel", challenge.channel().wireName());
            details.put(prefix + "phone_last4", challenge.phoneLastFour());
        }
        return details;
    }
}

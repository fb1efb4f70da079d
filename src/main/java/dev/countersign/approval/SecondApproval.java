package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.otp.DeliveryChannel;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;

/**
 * Dual control: after the requester's own code, a different person who is an approver confirms
 * with a code sent to their own phone, or rejects with a reason. Nobody approves their own
 * request, admins included.
 */
public final class SecondApproval {

    private static final Logger log = LoggerFactory.getLogger(SecondApproval.class);

    private final Approvals approvals;

    SecondApproval(Approvals approvals) {
        this.approvals = approvals;
    }

    /** The outcome of an approver pressing Approve. */
    public sealed interface Start {
        /** A code for the approver is recorded; open their modal and send it. */
        record Ready(ApprovalRequest request, CodeChallenge challenge) implements Start {
        }

        record Refused(String message) implements Start {
        }
    }

    public Start begin(String requestId, Actor approver) {
        return approvals.locks.with(requestId, () -> approvals.store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            Optional<String> refusal = refusal(found, approver);
            if (refusal.isPresent()) {
                log.info("second approval of {} refused for {}: {}",
                        found.map(ApprovalRequest::reference).orElse(requestId), approver,
                        refusal.get());
                return new Start.Refused(refusal.get());
            }
            ApprovalRequest request = found.get();
            Optional<Enrollment> enrollment = tx.enrollments().find(approver);
            if (enrollment.isEmpty()) {
                return new Start.Refused("You need an enrolled phone to approve. Run `/approve "
                        + "enroll +12015550123` with your own mobile number first.");
            }
            Instant now = approvals.now();
            Optional<CodeChallenge> current = tx.challenges().current(requestId);
            if (current.isPresent() && !current.get().verifier().equals(approver)
                    && !current.get().expired(now)) {
                return new Start.Refused(current.get().verifier().mention() + " is approving this "
                        + "request right now.");
            }
            if (current.isPresent() && current.get().verifier().equals(approver)) {
                // Pressing Approve again is a resend: same cooldown, or a double click texts twice.
                Optional<String> wait = approvals.limits.cooldown(tx, requestId);
                if (wait.isPresent()) {
                    return new Start.Refused(wait.get());
                }
            }
            Optional<String> limited = approvals.limits.refusal(tx, approver);
            if (limited.isPresent()) {
                return new Start.Refused(limited.get());
            }
            tx.challenges().killOpen(requestId, ChallengeState.DEAD);
            CodeChallenge challenge = tx.challenges().insert(approvals.pendingChallenge(requestId,
                    approver, ChallengePurpose.SECOND_APPROVER, DeliveryChannel.SMS,
                    enrollment.get().phone().lastFour(), now, null, null));
            tx.audit().append(Approvals.event("second_approval.started", request, approver.userId(),
                    Approvals.describe(challenge)), now);
            log.info("second approval of {} started by {} (code to {})", request.reference(),
                    approver,
                    challenge.maskedPhone());
            return new Start.Ready(request, challenge);
        }));
    }

    /** Whether {@code approver} may act on this request at all (before any reason is asked). */
    public Optional<String> mayDecide(String requestId, Actor approver) {
        return refusal(approvals.store.read(tx -> tx.requests().find(requestId)), approver);
    }

    /** The outcome of a rejection. */
    public sealed interface Rejection {
        record Rejected(ApprovalRequest request) implements Rejection {
        }

        record Refused(String message) implements Rejection {
        }
    }

    public Rejection reject(String requestId, Actor approver, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 500) {
            return new Rejection.Refused("Give a reason of up to 500 characters.");
        }
        return approvals.locks.with(requestId, () -> approvals.store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            Optional<String> refusal = refusal(found, approver);
            if (refusal.isPresent()) {
                return new Rejection.Refused(refusal.get());
            }
            Instant now = approvals.now();
            ApprovalRequest request = found.get();
            if (!tx.requests().transition(requestId, Set.of(RequestStatus.AWAITING_SECOND_APPROVER),
                    RequestStatus.REJECTED, now, approver.userId(), why)) {
                return new Rejection.Refused("This request was decided a moment ago.");
            }
            tx.challenges().killOpen(requestId, ChallengeState.DEAD);
            Map<String, String> details = Approvals.describe(request);
            details.put("reason", why);
            tx.audit().append(Approvals.event("request.rejected", request, approver.userId(),
                    details),
                    now);
            log.info("request {} rejected by {}", request.reference(), approver);
            return new Rejection.Rejected(tx.requests().find(requestId).orElseThrow());
        }));
    }

    private Optional<String> refusal(Optional<ApprovalRequest> found, Actor approver) {
        if (found.isEmpty()) {
            return Optional.of("That request no longer exists.");
        }
        ApprovalRequest request = found.get();
        if (request.requester().equals(approver)) {
            return Optional.of("You asked for this, so you can't be its second approver. "
                    + "Someone else must approve it.");
        }
        if (!approvals.approvers.isApprover(approver)) {
            return Optional.of("Only designated approvers can approve or reject requests.");
        }
        if (request.status() != RequestStatus.AWAITING_SECOND_APPROVER) {
            return Optional.of("Request " + request.reference() + " is already "
                    + request.status().word() + ".");
        }
        return Optional.empty();
    }
}

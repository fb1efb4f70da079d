package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.otp.DeliveryChannel;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dual control: after the requester's own code, a different person who is an approver confirms
 * with a code sent to their own phone, or rejects with a reason. Nobody approves their own
 * request, admins included.
 */
public final class SecondApproval {

    private static final Logger log = LoggerFactory.getLogger(SecondApproval.class);

    private final Store store;
    private final ApprovalPolicy policy;
    private final SendLimits limits;
    private final ApproverDirectory approvers;
    private final RequestLocks locks;
    private final RequestTransitions transitions;
    private final Clock clock;
    private final ApprovalEvents events;

    SecondApproval(Store store, ApprovalPolicy policy, SendLimits limits,
                   ApproverDirectory approvers, RequestLocks locks,
                   RequestTransitions transitions, Clock clock, ApprovalEvents events) {
        this.store = store;
        this.policy = policy;
        this.limits = limits;
        this.approvers = approvers;
        this.locks = locks;
        this.transitions = transitions;
        this.clock = clock;
        this.events = events;
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
        return locks.with(requestId, () -> store.write(tx -> {
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
            Instant now = clock.instant();
            Optional<CodeChallenge> current = tx.challenges().current(requestId);
            if (current.isPresent() && !current.get().verifier().equals(approver)
                    && !current.get().expired(now)) {
                return new Start.Refused(current.get().verifier().mention() + " is approving this "
                        + "request right now.");
            }
            if (current.isPresent() && current.get().verifier().equals(approver)) {
                // Pressing Approve again is a resend: same cooldown, or a double click texts twice.
                Optional<String> wait = limits.cooldown(tx, requestId);
                if (wait.isPresent()) {
                    events.codeRefused(DeliveryChannel.SMS);
                    return new Start.Refused(wait.get());
                }
            }
            Optional<String> limited = limits.refusal(tx, approver);
            if (limited.isPresent()) {
                events.codeRefused(DeliveryChannel.SMS);
                return new Start.Refused(limited.get());
            }
            tx.challenges().killOpen(requestId, ChallengeState.DEAD);
            CodeChallenge challenge = tx.challenges().insert(CodeChallenge.pending(requestId,
                    approver, ChallengePurpose.SECOND_APPROVER, DeliveryChannel.SMS,
                    enrollment.get().phone().lastFour(), now, policy));
            tx.audit().append(AuditDetails.event("second_approval.started", request,
                    approver.userId(), AuditDetails.of(challenge)), now);
            log.info("second approval of {} started by {} (code to {})", request.reference(),
                    approver,
                    challenge.maskedPhone());
            return new Start.Ready(request, challenge);
        }));
    }

    /** Whether {@code approver} may act on this request at all (before any reason is asked). */
    public Optional<String> mayDecide(String requestId, Actor approver) {
        return refusal(store.read(tx -> tx.requests().find(requestId)), approver);
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
        return locks.with(requestId, () -> store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            Optional<String> refusal = refusal(found, approver);
            if (refusal.isPresent()) {
                return new Rejection.Refused(refusal.get());
            }
            return transitions.reject(tx, found.get(), approver.userId(), why, clock.instant())
                    .<Rejection>map(Rejection.Rejected::new)
                    .orElseGet(() -> new Rejection.Refused(
                            "This request was decided a moment ago."));
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
        if (!approvers.isApprover(approver)) {
            return Optional.of("Only designated approvers can approve or reject requests.");
        }
        if (request.status() != RequestStatus.AWAITING_SECOND_APPROVER) {
            return Optional.of("Request " + request.reference() + " is already "
                    + request.status().word() + ".");
        }
        return Optional.empty();
    }
}

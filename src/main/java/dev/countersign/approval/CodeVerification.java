package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.VerifyResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checking a typed code. Whoever submits must be the person the code was sent to; the request must
 * be open and the code unexpired. One attempt is reserved in the store before the provider is
 * asked, so parallel guesses can't exceed the budget; a check that never happened gives it back.
 * Checks for one request run one at a time (see {@link RequestLocks}).
 */
public final class CodeVerification {

    private static final Logger log = LoggerFactory.getLogger(CodeVerification.class);

    private final Approvals approvals;

    CodeVerification(Approvals approvals) {
        this.approvals = approvals;
    }

    /** The outcome of typing a code. */
    public sealed interface Check {
        /** The request is {@code APPROVED}; {@code verified} are the codes that approved it. */
        record Approved(ApprovalRequest request, List<CodeChallenge> verified) implements Check {
        }

        /** The requester's code checked out; a second approver must now confirm. */
        record SecondApproverNeeded(ApprovalRequest request) implements Check {
        }

        /** The phone is enrolled (first time, or changed). */
        record Enrolled(ApprovalRequest request, Enrollment enrollment) implements Check {
        }

        /** Phone change: the current phone checked out; now a code goes to the new phone. */
        record NextCode(ApprovalRequest request, CodeChallenge next) implements Check {
        }

        record WrongCode(ApprovalRequest request, CodeChallenge challenge, int attemptsLeft)
                implements Check {
        }

        /** Attempts used up: the request is {@code LOCKED}. */
        record Locked(ApprovalRequest request) implements Check {
        }

        /** Too late: the request is {@code EXPIRED} (or a second approver's code lapsed). */
        record Expired(ApprovalRequest request, boolean requestEnded) implements Check {
        }

        /** Decided before this submission arrived: nothing changes. */
        record AlreadyDecided(ApprovalRequest request) implements Check {
        }

        /** The submitter is not the person this code was sent to. */
        record NotYours(ApprovalRequest request) implements Check {
        }

        record NotFound() implements Check {
        }

        /** No code can be checked right now ({@code message} says why); no attempt used. */
        record NotReady(ApprovalRequest request, String message) implements Check {
        }

        /** Not a 6-digit code; no attempt used. */
        record Malformed(String message) implements Check {
        }

        /** The provider could not be asked; no attempt used. */
        record CouldNotCheck(ApprovalRequest request, ProviderFailure failure) implements Check {
        }
    }

    public Check verify(String requestId, Actor submitter, String typed) {
        String code = typed == null ? "" : typed.replaceAll("[\\s-]", "");
        if (!code.matches("[0-9]{" + dev.countersign.otp.CodeRequest.CODE_LENGTH + "}")) {
            return new Check.Malformed("Enter the " + dev.countersign.otp.CodeRequest.CODE_LENGTH
                    + "-digit code from the message (numbers only).");
        }
        return approvals.locks.with(requestId, () -> verifyLocked(requestId, submitter, code));
    }

    private Check verifyLocked(String requestId, Actor submitter, String code) {
        Optional<ApprovalRequest> found = approvals.store.read(tx -> tx.requests().find(requestId));
        if (found.isEmpty()) {
            return new Check.NotFound();
        }
        ApprovalRequest request = found.get();
        if (!request.status().isOpen()) {
            return new Check.AlreadyDecided(request);
        }
        Optional<CodeChallenge> current = approvals.store.read(tx -> tx.challenges().current(
                requestId));
        if (current.isEmpty()) {
            return noCurrentCode(request, submitter);
        }
        CodeChallenge challenge = current.get();
        if (!challenge.verifier().equals(submitter)) {
            return new Check.NotYours(request);
        }
        if (challenge.state() == ChallengeState.PENDING) {
            return new Check.NotReady(request, "Your code is still being sent. Give it a few "
                    + "seconds, then type it here.");
        }
        if (challenge.expired(approvals.now())) {
            return expire(request, challenge);
        }
        if (!approvals.store.write(tx -> tx.challenges().reserveAttempt(challenge.id()))) {
            return lock(request, challenge, "attempts used up");
        }
        VerifyResult result = approvals.codes.verify(challenge.providerId(), code);
        if (result instanceof VerifyResult.Correct) {
            return accept(request, challenge);
        }
        if (result instanceof VerifyResult.Wrong) {
            return wrong(request, challenge);
        }
        if (result instanceof VerifyResult.Gone) {
            auditAttempt(request, challenge, "gone");
            return challenge.expired(approvals.now()) ? expire(request, challenge)
                    : lock(request, challenge, "code no longer valid at the provider");
        }
        ProviderFailure failure = ((VerifyResult.Failed) result).failure();
        approvals.store.write(tx -> {
            tx.challenges().refundAttempt(challenge.id());
            return null;
        });
        log.warn("code for {} could not be checked: {}", request.reference(), failure.kind());
        return new Check.CouldNotCheck(request, failure);
    }

    private Check noCurrentCode(ApprovalRequest request, Actor submitter) {
        if (request.status() == RequestStatus.AWAITING_SECOND_APPROVER
                && request.requester().equals(submitter)) {
            return new Check.NotReady(request, "Your code is confirmed. The request is waiting "
                    + "for a second approver.");
        }
        return new Check.NotReady(request, "No code is waiting for this request. Press "
                + "\"Resend code\" to get a new one.");
    }

    private Check accept(ApprovalRequest request, CodeChallenge challenge) {
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            ApprovalRequest current = tx.requests().find(request.id()).orElse(request);
            if (!current.status().isOpen()
                    || !tx.challenges().transition(challenge.id(), ChallengeState.SENT,
                            ChallengeState.VERIFIED)) {
                return new Check.AlreadyDecided(current);
            }
            auditAttempt(tx, current, challenge, "right", now);
            if (!current.digestMatches()) {
                // The stored details no longer match what was shown when the request was made.
                log.error("request {} failed its digest check; refusing to approve",
                        current.reference());
                return RequestDesk.end(tx, current, RequestStatus.FAILED, "system",
                                "details changed after the request was made", "request.failed", now)
                        .<Check>map(Check.AlreadyDecided::new)
                        .orElse(new Check.AlreadyDecided(current));
            }
            return switch (challenge.purpose()) {
                case REQUESTER -> requesterConfirmed(tx, current, now);
                case SECOND_APPROVER -> approve(tx, current, challenge.verifier().userId(),
                        RequestStatus.AWAITING_SECOND_APPROVER, now);
                case CURRENT_PHONE -> currentPhoneConfirmed(tx, current, challenge, now);
                case NEW_PHONE -> enroll(tx, current, now);
            };
        });
    }

    private Check requesterConfirmed(Transaction tx, ApprovalRequest request, Instant now) {
        if (!approvals.policy.dualControl().requiresSecondApprover(request.action())) {
            return approve(tx, request, request.requester().userId(), RequestStatus.AWAITING_CODE,
                    now);
        }
        if (!tx.requests().transition(request.id(), Set.of(RequestStatus.AWAITING_CODE),
                RequestStatus.AWAITING_SECOND_APPROVER, now, null, "requester confirmed")) {
            return new Check.AlreadyDecided(tx.requests().find(request.id()).orElse(request));
        }
        tx.requests().updateExpiry(request.id(),
                now.plus(approvals.policy.dualControl().secondApprovalTtl()));
        tx.audit().append(Approvals.event("request.awaiting_second_approver", request,
                request.requester().userId(), Approvals.decision(request, verified(tx, request))),
                        now);
        log.info("request {} confirmed by its requester {}; waiting for a second approver",
                request.reference(), request.requester());
        return new Check.SecondApproverNeeded(tx.requests().find(request.id()).orElseThrow());
    }

    private Check approve(Transaction tx, ApprovalRequest request, String approver,
                          RequestStatus from, Instant now) {
        if (!tx.requests().transition(request.id(), Set.of(from), RequestStatus.APPROVED, now,
                approver, null)) {
            return new Check.AlreadyDecided(tx.requests().find(request.id()).orElse(request));
        }
        List<CodeChallenge> verified = verified(tx, request);
        tx.challenges().killOpen(request.id(), ChallengeState.DEAD);
        tx.audit().append(Approvals.event("request.approved", request, approver,
                Approvals.decision(request, verified)), now);
        ApprovalRequest approved = tx.requests().find(request.id()).orElseThrow();
        approvals.approvedActions.approved(tx, approved, verified, now);
        log.info("request {} approved by {}", request.reference(), approver);
        return new Check.Approved(approved, verified);
    }

    private Check currentPhoneConfirmed(Transaction tx, ApprovalRequest request,
            CodeChallenge challenge,
                                        Instant now) {
        String newLastFour = ((Action.PhoneEnrollment) request.action()).lastFour();
        CodeChallenge next = tx.challenges().insert(approvals.pendingChallenge(request.id(),
                challenge.verifier(), ChallengePurpose.NEW_PHONE, challenge.channel(), newLastFour,
                        now,
                challenge.viewId(), challenge.viewHash()));
        tx.requests().updateExpiry(request.id(), next.expiresAt());
        return new Check.NextCode(request, next);
    }

    private Check enroll(Transaction tx, ApprovalRequest request, Instant now) {
        Optional<String> phone = tx.requests().pendingPhone(request.id());
        if (phone.isEmpty() || !tx.requests().transition(request.id(),
                Set.of(RequestStatus.AWAITING_CODE), RequestStatus.APPROVED, now,
                request.requester().userId(), "phone verified")) {
            return new Check.AlreadyDecided(tx.requests().find(request.id()).orElse(request));
        }
        Enrollment enrollment = tx.enrollments().enroll(request.requester(),
                new PhoneNumber(phone.get()), now);
        Map<String, String> details = Approvals.decision(request, verified(tx, request));
        details.put("change", Boolean.toString(enrollment.changedAt() != null));
        tx.audit().append(Approvals.event("enrollment.changed", request,
                request.requester().userId(), details), now);
        log.info("{} enrolled phone {}", request.requester(), enrollment.phone().masked());
        return new Check.Enrolled(tx.requests().find(request.id()).orElseThrow(), enrollment);
    }

    private Check wrong(ApprovalRequest request, CodeChallenge challenge) {
        CodeChallenge after = approvals.store.read(tx -> tx.challenges().find(challenge.id()))
                .orElse(challenge);
        auditAttempt(request, after, "wrong");
        if (after.attemptsLeft() == 0) {
            return lock(request, after, "too many wrong codes");
        }
        return new Check.WrongCode(request, after, after.attemptsLeft());
    }

    private Check lock(ApprovalRequest request, CodeChallenge challenge, String why) {
        return approvals.store.write(tx -> RequestDesk.end(tx, request, RequestStatus.LOCKED,
                        "system", why, "request.locked", approvals.now())
                .<Check>map(Check.Locked::new)
                .orElseGet(() -> new Check.AlreadyDecided(
                        tx.requests().find(request.id()).orElse(request))));
    }

    private Check expire(ApprovalRequest request, CodeChallenge challenge) {
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            if (challenge.purpose() == ChallengePurpose.SECOND_APPROVER) {
                // Only this approver's code lapsed; the request waits for its own expiry.
                tx.challenges().transition(challenge.id(), ChallengeState.SENT,
                        ChallengeState.DEAD);
                return new Check.Expired(request, false);
            }
            return RequestDesk.end(tx, request, RequestStatus.EXPIRED, "system", "code expired",
                            "request.expired", now)
                    .<Check>map(ended -> new Check.Expired(ended, true))
                    .orElseGet(() -> new Check.AlreadyDecided(
                            tx.requests().find(request.id()).orElse(request)));
        });
    }

    private void auditAttempt(ApprovalRequest request, CodeChallenge challenge, String result) {
        approvals.store.write(tx -> {
            auditAttempt(tx, request, challenge, result, approvals.now());
            return null;
        });
    }

    private static void auditAttempt(Transaction tx, ApprovalRequest request, CodeChallenge challenge,
                                     String result, Instant now) {
        Map<String, String> details = Approvals.describe(challenge);
        details.put("result", result);
        tx.audit().append(Approvals.event("code.attempt", request, challenge.verifier().userId(),
                details), now);
    }

    private static List<CodeChallenge> verified(Transaction tx, ApprovalRequest request) {
        return tx.challenges().ofRequest(request.id()).stream()
                .filter(challenge -> challenge.state() == ChallengeState.VERIFIED).toList();
    }
}

package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.VerifyResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checking a typed code. Whoever submits must be the person the code was sent to; the request must
 * be open and the code unexpired. One attempt is reserved in the store before the provider is
 * asked, so parallel guesses can't exceed the budget; a check that never happened gives it back.
 * Checks for one request run one at a time (see {@link RequestLocks}).
 */
public final class CodeVerification {

    /** The audit row of one code attempt: each reserved attempt ends with one, or is refunded. */
    private static final String ATTEMPT = "code.attempt";

    private static final Logger log = LoggerFactory.getLogger(CodeVerification.class);

    private final Store store;
    private final OneTimeCodes codes;
    private final ApprovalPolicy policy;
    private final RequestLocks locks;
    private final RequestTransitions transitions;
    private final Clock clock;
    private final ActionBinding binding;
    private final ApprovalEvents events;

    CodeVerification(Store store, OneTimeCodes codes, ApprovalPolicy policy, RequestLocks locks,
                     RequestTransitions transitions, Clock clock, ActionBinding binding,
                     ApprovalEvents events) {
        this.store = store;
        this.codes = codes;
        this.policy = policy;
        this.locks = locks;
        this.transitions = transitions;
        this.clock = clock;
        this.binding = binding;
        this.events = events;
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

        /** {@code blocked}: this wrong code reached the person's daily cap of failures. */
        record WrongCode(ApprovalRequest request, CodeChallenge challenge, int attemptsLeft,
                         Optional<Blocked> blocked)
                implements Check {
        }

        /** Attempts used up: the request is {@code LOCKED}. */
        record Locked(ApprovalRequest request, Optional<Blocked> blocked) implements Check {
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

    /**
     * A person whose wrong codes reached {@code MAX_FAILED_CODES_PER_USER_PER_DAY}: no code is
     * sent to them until {@code until}. {@code justNow}: this attempt reached it, so the admins
     * are told (once).
     */
    public record Blocked(Actor person, Instant until, boolean justNow) {
    }

    public Check verify(String requestId, Actor submitter, String typed) {
        Check check = check(requestId, submitter, typed);
        events.codeChecked(check);
        return check;
    }

    private Check check(String requestId, Actor submitter, String typed) {
        String code = typed == null ? "" : typed.replaceAll("[\\s-]", "");
        if (!code.matches("[0-9]{" + CodeRequest.CODE_LENGTH + "}")) {
            return new Check.Malformed("Enter the " + CodeRequest.CODE_LENGTH
                    + "-digit code from the message (numbers only).");
        }
        return locks.with(requestId, () -> verifyLocked(requestId, submitter, code));
    }

    private Check verifyLocked(String requestId, Actor submitter, String code) {
        Optional<ApprovalRequest> found = store.read(tx -> tx.requests().find(requestId));
        if (found.isEmpty()) {
            return new Check.NotFound();
        }
        ApprovalRequest request = found.get();
        if (!request.status().isOpen()) {
            return new Check.AlreadyDecided(request);
        }
        Optional<CodeChallenge> current = store.read(tx -> tx.challenges().current(requestId));
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
        if (challenge.expired(clock.instant())) {
            return expire(request, challenge);
        }
        if (!store.write(tx -> tx.challenges().reserveAttempt(challenge.id()))) {
            return lockUnlessStillChecking(request, challenge, "attempts used up");
        }
        return switch (codes.verify(challenge.providerId(), code)) {
            case VerifyResult.Correct() -> accept(request, challenge);
            case VerifyResult.Wrong() -> wrong(request, challenge);
            case VerifyResult.Gone() -> {
                auditAttempt(request, challenge, "gone");
                yield challenge.expired(clock.instant()) ? expire(request, challenge)
                        : lockUnlessStillChecking(request, challenge,
                                "code no longer valid at the provider");
            }
            case VerifyResult.Failed(ProviderFailure failure) -> couldNotCheck(request, challenge,
                    failure);
        };
    }

    private Check couldNotCheck(ApprovalRequest request, CodeChallenge challenge,
                                ProviderFailure failure) {
        store.write(tx -> {
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
        return store.write(tx -> {
            Instant now = clock.instant();
            ApprovalRequest current = tx.requests().find(request.id()).orElse(request);
            if (!current.status().isOpen()
                    || !tx.challenges().transition(challenge.id(), ChallengeState.SENT,
                            ChallengeState.VERIFIED)) {
                return new Check.AlreadyDecided(current);
            }
            auditAttempt(tx, current, challenge, "right", now);
            if (!binding.verifies(current)) {
                // The stored details no longer match what was shown when the request was made,
                // or were bound under a key this server does not know. Ended (FAILED), not left
                // open: details someone rewrote can never become approvable, and the person is
                // told to ask again.
                log.error("request {} failed its binding check (details changed, or bound "
                        + "under an unknown key); refusing to approve", current.reference());
                return transitions.end(tx, current, RequestStatus.FAILED, "system",
                                "its details could not be verified, so it can't be approved: "
                                + "make the request again", now)
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
        if (!policy.dualControl().requiresSecondApprover(request.action())) {
            return approve(tx, request, request.requester().userId(), RequestStatus.AWAITING_CODE,
                    now);
        }
        return transitions.awaitSecondApprover(tx, request, verified(tx, request),
                        now.plus(policy.dualControl().secondApprovalTtl()), now)
                .<Check>map(Check.SecondApproverNeeded::new)
                .orElseGet(() -> alreadyDecided(tx, request));
    }

    private Check approve(Transaction tx, ApprovalRequest request, String approver,
                          RequestStatus from, Instant now) {
        List<CodeChallenge> verified = verified(tx, request);
        return transitions.approve(tx, request, from, approver, verified, now)
                .<Check>map(approved -> new Check.Approved(approved, verified))
                .orElseGet(() -> alreadyDecided(tx, request));
    }

    private static Check alreadyDecided(Transaction tx, ApprovalRequest request) {
        return new Check.AlreadyDecided(tx.requests().find(request.id()).orElse(request));
    }

    private Check currentPhoneConfirmed(Transaction tx, ApprovalRequest request,
            CodeChallenge challenge,
                                        Instant now) {
        String newLastFour = ((Action.PhoneEnrollment) request.action()).lastFour();
        CodeChallenge next = tx.challenges().insert(CodeChallenge.pending(request.id(),
                challenge.verifier(), ChallengePurpose.NEW_PHONE, challenge.channel(), newLastFour,
                now, policy));
        tx.requests().updateExpiry(request.id(), next.expiresAt());
        return new Check.NextCode(request, next);
    }

    private Check enroll(Transaction tx, ApprovalRequest request, Instant now) {
        Optional<String> phone = tx.requests().pendingPhone(request.id());
        if (phone.isEmpty()) {
            return alreadyDecided(tx, request);
        }
        boolean change = tx.enrollments().find(request.requester()).isPresent();
        Optional<ApprovalRequest> verified = transitions.enrollmentVerified(tx, request,
                verified(tx, request), change, now);
        if (verified.isEmpty()) {
            return alreadyDecided(tx, request);
        }
        Enrollment enrollment = tx.enrollments().enroll(request.requester(),
                new PhoneNumber(phone.get()), now);
        log.info("{} enrolled phone {}", request.requester(), enrollment.phone().masked());
        return new Check.Enrolled(verified.get(), enrollment);
    }

    /** A wrong code: its audit row, and the lock if it was the last attempt, commit together. */
    private Check wrong(ApprovalRequest request, CodeChallenge challenge) {
        return store.write(tx -> {
            Instant now = clock.instant();
            CodeChallenge after = tx.challenges().find(challenge.id()).orElse(challenge);
            auditAttempt(tx, request, after, "wrong", now);
            Optional<Blocked> blocked = recordFailure(tx, after.verifier(), now);
            if (after.attemptsLeft() > 0) {
                return new Check.WrongCode(request, after, after.attemptsLeft(), blocked);
            }
            return transitions.end(tx, request, RequestStatus.LOCKED, "system",
                            "too many wrong codes", now)
                    .<Check>map(locked -> new Check.Locked(locked, blocked))
                    .orElseGet(() -> alreadyDecided(tx, request));
        });
    }

    /** Counts the wrong code against its person's day; whether that blocks them now. */
    private Optional<Blocked> recordFailure(Transaction tx, Actor person, Instant now) {
        tx.challenges().recordFailure(person, now);
        Instant dayAgo = now.minus(Duration.ofDays(1));
        int failures = tx.challenges().failuresSince(person, dayAgo);
        if (failures < policy.maxFailedCodesPerDay()) {
            return Optional.empty();
        }
        Instant until = tx.challenges().oldestFailureSince(person, dayAgo).orElse(now)
                .plus(Duration.ofDays(1));
        if (failures == policy.maxFailedCodesPerDay()) {
            log.warn("{} reached {} wrong codes in 24 h: no codes until {}", person, failures,
                    until);
        }
        return Optional.of(new Blocked(person, until,
                failures == policy.maxFailedCodesPerDay()));
    }

    /**
     * Locks the request, unless another check of this challenge (a double submit, or another
     * instance on a shared database) has reserved an attempt and not yet written its outcome:
     * that check may be the one with the right code, and it decides. A provider's "gone" and
     * "attempts used up" both reach here: either can be caused by that other check. (A crash
     * between reserving and writing leaves the request open until it expires: never approved
     * without its code.)
     */
    private Check lockUnlessStillChecking(ApprovalRequest request, CodeChallenge challenge,
                                          String why) {
        return store.write(tx -> {
            int reserved = tx.challenges().find(challenge.id()).map(CodeChallenge::attempts)
                    .orElse(0);
            String ofThisChallenge = Long.toString(challenge.id());
            long settled = tx.audit().ofRequest(request.id()).stream()
                    .filter(row -> row.type().equals(ATTEMPT)
                            && ofThisChallenge.equals(row.detailValues().get("challenge")))
                    .count();
            if (settled < reserved) {
                return new Check.NotReady(request, "This code is being checked by another "
                        + "submission (or its check was cut short). Look at the request again "
                        + "in a moment, or press \"Resend code\" for a new one.");
            }
            return transitions.end(tx, request, RequestStatus.LOCKED, "system", why,
                            clock.instant())
                    .<Check>map(locked -> new Check.Locked(locked, Optional.empty()))
                    .orElseGet(() -> alreadyDecided(tx, request));
        });
    }

    private Check expire(ApprovalRequest request, CodeChallenge challenge) {
        return store.write(tx -> {
            if (challenge.purpose() == ChallengePurpose.SECOND_APPROVER) {
                // Only this approver's code lapsed; the request waits for its own expiry.
                tx.challenges().transition(challenge.id(), ChallengeState.SENT,
                        ChallengeState.DEAD);
                return new Check.Expired(request, false);
            }
            return transitions.end(tx, request, RequestStatus.EXPIRED, "system", "code expired",
                            clock.instant())
                    .<Check>map(ended -> new Check.Expired(ended, true))
                    .orElseGet(() -> alreadyDecided(tx, request));
        });
    }

    private void auditAttempt(ApprovalRequest request, CodeChallenge challenge, String result) {
        store.write(tx -> {
            auditAttempt(tx, request, challenge, result, clock.instant());
            return null;
        });
    }

    private static void auditAttempt(Transaction tx, ApprovalRequest request, CodeChallenge challenge,
                                     String result, Instant now) {
        Map<String, String> details = AuditDetails.of(challenge);
        details.put("result", result);
        tx.audit().append(AuditDetails.event(ATTEMPT, request,
                challenge.verifier().userId(), details), now);
    }

    private static List<CodeChallenge> verified(Transaction tx, ApprovalRequest request) {
        return tx.challenges().verifiedOf(request.id());
    }
}

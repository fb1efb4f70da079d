package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.DeliveryChannel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening requests (approvals and enrollments), cancelling them, listing them, expiring them, and
 * an admin's reset of someone's phone. Opening happens on Slack's acknowledgement path: one short
 * write transaction, no network calls.
 */
public final class RequestDesk {

    private static final Logger log = LoggerFactory.getLogger(RequestDesk.class);

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Approvals approvals;

    RequestDesk(Approvals approvals) {
        this.approvals = approvals;
    }

    /** The outcome of asking for a new request. */
    public sealed interface Opening {
        /** Stored as {@code AWAITING_CODE} with its first challenge {@code PENDING}. */
        record Ready(ApprovalRequest request, CodeChallenge challenge) implements Opening {
        }

        /** Nothing stored, nothing sent; {@code message} tells the person why. */
        record Refused(Reason reason, String message) implements Opening {
        }
    }

    public enum Reason { NOT_ENROLLED, HELD, RATE_LIMITED, SAME_PHONE, NOT_ALLOWED, NOT_FOUND }

    public Opening requestApproval(Actor requester, Action action, ReplyTo replyTo) {
        if (action instanceof Action.PhoneEnrollment) {
            throw new IllegalArgumentException("enrollments are opened with requestEnrollment");
        }
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            Optional<Enrollment> enrollment = tx.enrollments().find(requester);
            if (enrollment.isEmpty()) {
                return new Opening.Refused(Reason.NOT_ENROLLED, "You need to enroll a phone before "
                        + "you can approve anything. Run `/approve enroll +12015550123` with your "
                        + "own mobile number (international format), then try again.");
            }
            Optional<String> hold = hold(enrollment.get(), action, now);
            if (hold.isPresent()) {
                return new Opening.Refused(Reason.HELD, hold.get());
            }
            Optional<String> limited = approvals.limits.refusal(tx, requester);
            if (limited.isPresent()) {
                return new Opening.Refused(Reason.RATE_LIMITED, limited.get());
            }
            ApprovalRequest request = newRequest(tx, requester, action, replyTo, now);
            tx.requests().insert(request, null);
            CodeChallenge challenge = tx.challenges().insert(pendingChallenge(request, requester,
                    ChallengePurpose.REQUESTER, enrollment.get().phone().lastFour(), now));
            tx.audit().append(Approvals.event("request.created", request, requester.userId(),
                    Approvals.describe(request)), now);
            log.info("request {} opened by {}: {} (code to {})", request.reference(), requester,
                    action.kind(), challenge.maskedPhone());
            return new Opening.Ready(request, challenge);
        });
    }

    /**
     * Enrolling a first phone sends a code to it; changing phones sends a code to the current
     * phone first, then one to the new phone. Nothing is enrolled until the last code checks out.
     */
    public Opening requestEnrollment(Actor user, PhoneNumber phone, ReplyTo replyTo) {
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            Optional<Enrollment> current = tx.enrollments().find(user);
            if (current.isPresent() && current.get().phone().equals(phone)) {
                return new Opening.Refused(Reason.SAME_PHONE, "The phone " + phone.masked()
                        + " is already the one your codes go to. Nothing to change.");
            }
            Optional<String> limited = approvals.limits.refusal(tx, user);
            if (limited.isPresent()) {
                return new Opening.Refused(Reason.RATE_LIMITED, limited.get());
            }
            supersedeOpenEnrollments(tx, user, now);
            Action action = new Action.PhoneEnrollment(phone.lastFour(), current.isPresent());
            ApprovalRequest request = newRequest(tx, user, action, replyTo, now);
            tx.requests().insert(request, phone.e164());
            CodeChallenge challenge = current.isPresent()
                    ? pendingChallenge(request, user, ChallengePurpose.CURRENT_PHONE,
                            current.get().phone().lastFour(), now)
                    : pendingChallenge(request, user, ChallengePurpose.NEW_PHONE, phone.lastFour(),
                            now);
            challenge = tx.challenges().insert(challenge);
            tx.audit().append(Approvals.event("enrollment.requested", request, user.userId(),
                    Approvals.describe(request)), now);
            log.info("enrollment {} opened by {} for phone {}", request.reference(), user,
                    phone.masked());
            return new Opening.Ready(request, challenge);
        });
    }

    /** The outcome of cancelling. */
    public sealed interface Cancellation {
        record Cancelled(ApprovalRequest request, List<CodeChallenge> shownIn) implements Cancellation {
        }

        record Refused(String message) implements Cancellation {
        }
    }

    /** {@code /approve cancel CS-…}: only the requester may cancel, and only an open request. */
    public Cancellation cancelByReference(String reference, Actor by) {
        Optional<ApprovalRequest> request = approvals.store.read(tx ->
                tx.requests().findByReference(reference));
        if (request.isEmpty() || !request.get().requester().equals(by)) {
            return new Cancellation.Refused("I can't find a request " + reference + " of yours. "
                    + "`/approve status` lists them.");
        }
        return cancel(request.get().id(), by, "cancelled by the requester");
    }

    public Cancellation cancel(String requestId, Actor by, String why) {
        return approvals.locks.with(requestId, () -> approvals.store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            if (found.isEmpty() || !found.get().requester().equals(by)) {
                return new Cancellation.Refused("Only the person who asked can cancel a request.");
            }
            ApprovalRequest request = found.get();
            if (!request.status().isOpen()) {
                return new Cancellation.Refused("Request " + request.reference() + " is already "
                        + request.status().word() + ".");
            }
            return end(tx, request, RequestStatus.CANCELLED, by.userId(), why, "request.cancelled")
                    .<Cancellation>map(ended -> new Cancellation.Cancelled(ended,
                            shownIn(tx, requestId)))
                    .orElseGet(() -> new Cancellation.Refused("Request " + request.reference()
                            + " was decided a moment ago."));
        }));
    }

    /**
     * The requester closed their code modal: while their own code is awaited this cancels the
     * request. Closing the "waiting for a second approver" modal changes nothing, and an approver
     * closing theirs only drops their code.
     */
    public Optional<ApprovalRequest> modalClosed(String requestId, Actor by) {
        return approvals.locks.with(requestId, () -> approvals.store.write(tx -> {
            Optional<ApprovalRequest> found = tx.requests().find(requestId);
            if (found.isEmpty() || !found.get().status().isOpen()) {
                return Optional.<ApprovalRequest>empty();
            }
            ApprovalRequest request = found.get();
            Optional<CodeChallenge> current = tx.challenges().current(requestId);
            Instant now = approvals.now();
            if (request.status() == RequestStatus.AWAITING_CODE && request.requester().equals(by)) {
                return end(tx, request, RequestStatus.CANCELLED, by.userId(), "modal closed",
                        "request.cancelled");
            }
            if (current.isPresent() && current.get().purpose() == ChallengePurpose.SECOND_APPROVER
                    && current.get().verifier().equals(by)) {
                tx.challenges().killOpen(requestId, ChallengeState.DEAD);
                tx.audit().append(Approvals.event("second_approval.abandoned", request, by.userId(),
                        Approvals.describe(current.get())), now);
            }
            return Optional.<ApprovalRequest>empty();
        }));
    }

    /** What {@code /approve status} and the Home tab show. */
    public record StatusReport(Optional<Enrollment> enrollment, List<ApprovalRequest> open,
                               List<ApprovalRequest> decided,
                                       List<ApprovalRequest> toSecondApprove) {
    }

    public StatusReport status(Actor user) {
        boolean approver = approvals.approvers.isApprover(user);
        return approvals.store.read(tx -> new StatusReport(
                tx.enrollments().find(user),
                tx.requests().openOf(user),
                tx.requests().decidedOf(user, 10),
                approver ? tx.requests().awaitingSecondApprover(user.teamId(), 20).stream()
                        .filter(request -> !request.requester().equals(user)).toList()
                                : List.of()));
    }

    /** A request whose time ran out, and the modals that still show it. */
    public record Expiry(ApprovalRequest request, List<CodeChallenge> shownIn) {
    }

    /** Marks every open request past its expiry {@code EXPIRED}. */
    public List<Expiry> expireDue() {
        Instant now = approvals.now();
        List<ApprovalRequest> due = approvals.store.read(tx -> tx.requests().dueToExpire(now, 100));
        List<Expiry> expired = new ArrayList<>();
        for (ApprovalRequest candidate : due) {
            approvals.locks.with(candidate.id(), () -> approvals.store.write(tx -> {
                // Re-read: a resend may have pushed the expiry out since the list was made.
                Optional<ApprovalRequest> current = tx.requests().find(candidate.id())
                        .filter(request -> request.status().isOpen())
                        .filter(request -> !request.expiresAt().isAfter(approvals.now()));
                current.flatMap(request -> end(tx, request, RequestStatus.EXPIRED, "system",
                                "no code in time", "request.expired"))
                        .ifPresent(request -> expired.add(new Expiry(request,
                                shownIn(tx, request.id()))));
                return null;
            }));
        }
        return expired;
    }

    /** The outcome of an admin reset. */
    public sealed interface Reset {
        record Done(Actor user, boolean hadPhone,
                List<ApprovalRequest> cancelled) implements Reset {
        }

        record Refused(String message) implements Reset {
        }
    }

    /**
     * {@code /approve admin reset @user}: for people who lost their phone. Their open requests end
     * too (their codes went to the lost phone). Audited; the caller tells the user.
     */
    public Reset adminReset(Actor admin, Actor user) {
        if (!approvals.policy.isAdmin(admin)) {
            return new Reset.Refused("Only Countersign admins (ADMIN_USER_IDS) can reset a phone.");
        }
        return resetPhone(admin.userId(), user);
    }

    /** The reset itself, also used by the operator's command line ({@code actor = operator}). */
    public Reset.Done resetPhone(String actor, Actor user) {
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            boolean hadPhone = tx.enrollments().remove(user, now);
            List<ApprovalRequest> cancelled = new ArrayList<>();
            // openOf returns a page at a time: keep going until none is left open.
            boolean endedSome = true;
            while (endedSome) {
                endedSome = false;
                for (ApprovalRequest request : tx.requests().openOf(user)) {
                    Optional<ApprovalRequest> ended = end(tx, request, RequestStatus.CANCELLED,
                            actor, "phone reset by an admin", "request.cancelled");
                    ended.ifPresent(cancelled::add);
                    endedSome |= ended.isPresent();
                }
            }
            tx.audit().append(dev.countersign.audit.AuditEvent.of("enrollment.reset", null,
                    user.teamId(), actor, Map.of("user", user.userId(),
                            "had_phone", Boolean.toString(hadPhone))), now);
            return new Reset.Done(user, hadPhone, cancelled);
        });
    }

    /** Stores {@code phone} directly: the operator's command line, where the operator vouches. */
    public Enrollment enrollDirectly(String actor, Actor user, PhoneNumber phone) {
        return approvals.store.write(tx -> {
            Instant now = approvals.now();
            Enrollment enrollment = tx.enrollments().enroll(user, phone, now);
            tx.audit().append(dev.countersign.audit.AuditEvent.of("enrollment.changed", null,
                    user.teamId(), actor, Map.of("user", user.userId(), "phone_last4",
                            phone.lastFour(), "how", "operator command line")), now);
            return enrollment;
        });
    }

    // --- shared with the other domain services -------------------------------------------------

    /** Ends an open request: one conditional update, its codes dropped, one audit row. */
    static Optional<ApprovalRequest> end(Transaction tx, ApprovalRequest request, RequestStatus to,
                                         String actor, String detail, String auditType,
                                         Instant now) {
        if (!tx.requests().transition(request.id(), RequestStatus.OPEN, to, now, actor, detail)) {
            return Optional.empty();
        }
        tx.challenges().killOpen(request.id(), ChallengeState.DEAD);
        Map<String, String> details = Approvals.describe(request);
        details.put("detail", detail);
        tx.audit().append(Approvals.event(auditType, request, actor, details), now);
        log.info("request {} {} ({}, by {})", request.reference(), to.word(), detail, actor);
        return Optional.of(request.withStatus(to, now, actor, detail));
    }

    private Optional<ApprovalRequest> end(Transaction tx, ApprovalRequest request, RequestStatus to,
                                          String actor, String detail, String auditType) {
        return end(tx, request, to, actor, detail, auditType, approvals.now());
    }

    /** Challenges of the request that were shown in a modal, newest first. */
    static List<CodeChallenge> shownIn(Transaction tx, String requestId) {
        List<CodeChallenge> shown = new ArrayList<>(tx.challenges().ofRequest(requestId).stream()
                .filter(challenge -> challenge.viewId() != null).toList());
        java.util.Collections.reverse(shown);
        return shown;
    }

    private Optional<String> hold(Enrollment enrollment, Action action, Instant now) {
        ApprovalPolicy policy = approvals.policy;
        if (!(action instanceof Action.Payment payment)
                || !enrollment.recentlyChanged(now, policy.newPhoneHold())) {
            return Optional.empty();
        }
        BigDecimal limit = policy.newPhoneHoldAmount();
        if (payment.money().amount().compareTo(limit) <= 0) {
            return Optional.empty();
        }
        Instant until = enrollment.changedAt().plus(policy.newPhoneHold());
        return Optional.of("Your Countersign phone changed less than "
                + policy.newPhoneHold().toHours() + " hours ago, so payments above "
                + limit.toPlainString() + " are on hold until " + WHEN.format(until)
                + ". This protects you if someone else changed it. Smaller payments work now; "
                + "if you didn't change your phone, tell your Countersign admin at once.");
    }

    private void supersedeOpenEnrollments(Transaction tx, Actor user, Instant now) {
        for (ApprovalRequest open : tx.requests().openOf(user)) {
            if (open.isEnrollment()) {
                end(tx, open, RequestStatus.CANCELLED, user.userId(),
                        "replaced by a newer enrollment",
                        "request.cancelled", now);
            }
        }
    }

    private ApprovalRequest newRequest(Transaction tx, Actor requester, Action action,
                                       ReplyTo replyTo, Instant now) {
        String id = Ids.requestId();
        String reference = Ids.reference();
        while (tx.requests().referenceExists(reference)) {
            reference = Ids.reference();
        }
        Instant created = Instant.ofEpochMilli(
                now.toEpochMilli()); // as stored: millisecond precision
        return new ApprovalRequest(id, reference, requester, action,
                ActionDigest.of(id, requester, action, created), RequestStatus.AWAITING_CODE, null,
                replyTo, created, created.plus(approvals.policy.codeTtl()), null, null, null, null);
    }

    private CodeChallenge pendingChallenge(ApprovalRequest request, Actor verifier,
                                       ChallengePurpose purpose, String lastFour, Instant now) {
        return approvals.pendingChallenge(request.id(), verifier, purpose, DeliveryChannel.SMS,
                lastFour, now, null, null);
    }
}

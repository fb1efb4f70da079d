package dev.countersign.approval;

import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening requests: an approval of an action, or the enrollment (or change) of a phone. Runs on
 * Slack's acknowledgement path: one short write transaction, no network calls, and no wait for
 * the disk ({@link Store#writeSoon}): nothing is decided or sent yet, and the durable write
 * that records its modal, before any code goes out, takes this one to disk with it.
 */
public final class RequestOpening {

    private static final Logger log = LoggerFactory.getLogger(RequestOpening.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Store store;
    private final ApprovalPolicy policy;
    private final SendLimits limits;
    private final RequestTransitions transitions;
    private final Clock clock;
    private final ActionBinding binding;
    private final ApprovalEvents events;

    RequestOpening(Store store, ApprovalPolicy policy, SendLimits limits,
                   RequestTransitions transitions, Clock clock, ActionBinding binding,
                   ApprovalEvents events) {
        this.store = store;
        this.policy = policy;
        this.limits = limits;
        this.transitions = transitions;
        this.clock = clock;
        this.binding = binding;
        this.events = events;
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

    public enum Reason { NOT_ENROLLED, HELD, RATE_LIMITED, SAME_PHONE }

    public Opening requestApproval(Actor requester, Action action, ReplyTo replyTo) {
        if (action instanceof Action.PhoneEnrollment) {
            throw new IllegalArgumentException("enrollments are opened with requestEnrollment");
        }
        return counted(store.writeSoon(
                tx -> open(tx, requester, action, replyTo, policy.codeTtl())));
    }

    /**
     * Opens an approval inside {@code tx} under the same rules as {@link #requestApproval}; it
     * expires {@code lifetime} after now unless its code is sent first (a request from another
     * system waits for its person to open it).
     */
    Opening open(Transaction tx, Actor requester, Action action, ReplyTo replyTo,
                 Duration lifetime) {
        Instant now = clock.instant();
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
        Optional<String> limited = limits.refusal(tx, requester);
        if (limited.isPresent()) {
            return new Opening.Refused(Reason.RATE_LIMITED, limited.get());
        }
        ApprovalRequest request = newRequest(tx, requester, action, replyTo, now, lifetime);
        tx.requests().insert(request, null);
        CodeChallenge challenge = tx.challenges().insert(CodeChallenge.pending(request.id(),
                requester, ChallengePurpose.REQUESTER, DeliveryChannel.SMS,
                enrollment.get().phone().lastFour(), now, policy));
        tx.audit().append(AuditDetails.event("request.created", request, requester.userId(),
                AuditDetails.of(request)), now);
        log.info("request {} opened by {}: {} (code to {})", request.reference(), requester,
                action.kind(), challenge.maskedPhone());
        return new Opening.Ready(request, challenge);
    }

    /**
     * Enrolling a first phone sends a code to it; changing phones sends a code to the current
     * phone first, then one to the new phone. Nothing is enrolled until the last code checks out.
     */
    public Opening requestEnrollment(Actor user, PhoneNumber phone, ReplyTo replyTo) {
        return counted(store.writeSoon(tx -> {
            Instant now = clock.instant();
            Optional<Enrollment> current = tx.enrollments().find(user);
            if (current.isPresent() && current.get().phone().equals(phone)) {
                return new Opening.Refused(Reason.SAME_PHONE, "The phone " + phone.masked()
                        + " is already the one your codes go to. Nothing to change.");
            }
            Optional<String> limited = limits.refusal(tx, user);
            if (limited.isPresent()) {
                return new Opening.Refused(Reason.RATE_LIMITED, limited.get());
            }
            supersedeOpenEnrollments(tx, user, now);
            Action action = new Action.PhoneEnrollment(phone.lastFour(), current.isPresent());
            ApprovalRequest request = newRequest(tx, user, action, replyTo, now,
                    policy.codeTtl());
            tx.requests().insert(request, phone.e164());
            CodeChallenge challenge = current.isPresent()
                    ? CodeChallenge.pending(request.id(), user, ChallengePurpose.CURRENT_PHONE,
                            DeliveryChannel.SMS, current.get().phone().lastFour(), now, policy)
                    : CodeChallenge.pending(request.id(), user, ChallengePurpose.NEW_PHONE,
                            DeliveryChannel.SMS, phone.lastFour(), now, policy);
            challenge = tx.challenges().insert(challenge);
            tx.audit().append(AuditDetails.event("enrollment.requested", request, user.userId(),
                    AuditDetails.of(request)), now);
            log.info("enrollment {} opened by {} for phone {}", request.reference(), user,
                    phone.masked());
            return new Opening.Ready(request, challenge);
        }));
    }

    /** Tells {@link ApprovalEvents} what came of it, once committed. */
    Opening counted(Opening opening) {
        switch (opening) {
            case Opening.Ready ready -> events.opened(ready.request());
            case Opening.Refused refused -> {
                events.refused(refused.reason());
                if (refused.reason() == Reason.RATE_LIMITED) {
                    // The first code always goes by SMS: that is the code the limits held back.
                    events.codeRefused(DeliveryChannel.SMS);
                }
            }
        }
        return opening;
    }

    private Optional<String> hold(Enrollment enrollment, Action action, Instant now) {
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
                transitions.endUnannounced(tx, open, RequestStatus.CANCELLED, user.userId(),
                        "replaced by a newer enrollment", now);
            }
        }
    }

    private ApprovalRequest newRequest(Transaction tx, Actor requester, Action action,
                                       ReplyTo replyTo, Instant now, Duration lifetime) {
        String id = Ids.requestId();
        String reference = Reference.random().value();
        while (tx.requests().referenceExists(reference)) {
            reference = Reference.random().value();
        }
        // As stored: millisecond precision, so the binding recomputed from the row matches.
        Instant created = Instant.ofEpochMilli(now.toEpochMilli());
        return new ApprovalRequest(id, reference, requester, action,
                binding.of(id, requester, action, created), RequestStatus.AWAITING_CODE, null,
                replyTo, created, created.plus(lifetime), null, null);
    }
}

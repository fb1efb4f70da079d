package dev.countersign.approval;

import dev.countersign.otp.OneTimeCodes;
import java.time.Clock;

/**
 * The approval domain's services, built once by the composition root (and by tests). Each
 * service gets only the collaborators it uses; adapters take the one or two services they call,
 * never this record.
 */
public record ApprovalServices(
        RequestOpening opening,
        RequestCancellation cancellation,
        RequestExpiry expiry,
        StatusReports statusReports,
        PhoneAdministration phones,
        CodeDelivery delivery,
        CodeVerification verification,
        SecondApproval secondApproval,
        ApprovalPolicy policy,
        FollowUpLedger followUps,
        Store store,
        ExternalRequests external) {

    public static ApprovalServices create(Store store, OneTimeCodes codes, ApprovalPolicy policy,
                                          Clock clock, ApproverDirectory approvers,
                                          ApprovalOutbox outbox, ActionBinding binding) {
        return create(store, codes, policy, clock, approvers, outbox, binding, ApprovalEvents.NONE);
    }

    /** With {@code events} hearing each request opened and ended, each code sent and checked. */
    public static ApprovalServices create(Store store, OneTimeCodes codes, ApprovalPolicy policy,
                                          Clock clock, ApproverDirectory approvers,
                                          ApprovalOutbox outbox, ActionBinding binding,
                                          ApprovalEvents events) {
        RequestLocks locks = new RequestLocks();
        SendLimits limits = new SendLimits(policy, clock);
        RequestTransitions transitions = new RequestTransitions(outbox, events);
        RequestOpening opening = new RequestOpening(store, policy, limits, transitions, clock,
                binding, events);
        RequestCancellation cancellation = new RequestCancellation(store, locks, transitions,
                clock);
        return new ApprovalServices(
                opening,
                cancellation,
                new RequestExpiry(store, locks, transitions, clock),
                new StatusReports(store, approvers),
                new PhoneAdministration(store, policy, transitions, clock),
                new CodeDelivery(store, codes, policy, limits, locks, transitions, clock, events),
                new CodeVerification(store, codes, policy, locks, transitions, clock, binding,
                        events),
                new SecondApproval(store, policy, limits, approvers, locks, transitions, clock,
                        events),
                policy, new FollowUpLedger(store, clock), store,
                new ExternalRequests(store, opening, cancellation, clock));
    }
}

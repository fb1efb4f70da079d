package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import java.util.List;
import java.util.Optional;

/** What {@code /approve status}, the Home tab and the modals show: requests as they stand. */
public final class StatusReports {

    private final Store store;
    private final ApproverDirectory approvers;

    StatusReports(Store store, ApproverDirectory approvers) {
        this.store = store;
        this.approvers = approvers;
    }

    /** A person's phone, their open and recent requests, and what waits for them to approve. */
    public record StatusReport(Optional<Enrollment> enrollment, List<ApprovalRequest> open,
                               List<ApprovalRequest> decided,
                               List<ApprovalRequest> toSecondApprove) {
    }

    /** A request as it stands, with the code it now awaits (if any). */
    public record Current(ApprovalRequest request, Optional<CodeChallenge> challenge) {
    }

    public Optional<Current> current(String requestId) {
        return store.read(tx -> tx.requests().find(requestId).map(request -> new Current(
                request, tx.challenges().current(requestId))));
    }

    public Optional<ApprovalRequest> find(String requestId) {
        return store.read(tx -> tx.requests().find(requestId));
    }

    public StatusReport status(Actor user) {
        boolean approver = approvers.isApprover(user);
        return store.read(tx -> new StatusReport(
                tx.enrollments().find(user),
                tx.requests().openOf(user),
                tx.requests().decidedOf(user, 10),
                approver ? tx.requests().awaitingSecondApprover(user.installationId(), 20).stream()
                        .filter(request -> !request.requester().equals(user)).toList()
                        : List.of()));
    }
}

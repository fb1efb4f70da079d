package dev.countersign.slack;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.RequestStatus;
import java.util.List;

/**
 * Shows that a request ended, wherever it is shown, by whatever path it ended (a code, the
 * command, the Home tab, a closed modal, the expiry sweep, a second approver): the final screen
 * in every modal still showing it, the outcome in its approvals-channel message, and word to
 * the requester — the result for everyone in the channel when it was approved, otherwise why it
 * ended, unless they already see that where they acted. A request another system asked for
 * shows its outcome in the message that asked the person to review it.
 */
final class EndAnnouncer {

    private final Modals modals;
    private final ApprovalsChannel approvalsChannel;
    private final Notifier notifier;
    private final ReviewMessages reviews;
    private final WorkflowStep workflowStep;

    EndAnnouncer(Modals modals, ApprovalsChannel approvalsChannel, Notifier notifier,
                 ReviewMessages reviews, WorkflowStep workflowStep) {
        this.modals = modals;
        this.approvalsChannel = approvalsChannel;
        this.notifier = notifier;
        this.reviews = reviews;
        this.workflowStep = workflowStep;
    }

    /** How a request ended, and what already shows it. */
    record Ending(ApprovalRequest request, List<CodeChallenge> verified, String why,
                  String answeredView, boolean requesterKnows) {

        Ending {
            verified = List.copyOf(verified);
        }

        /** Ended by someone who already sees it where they acted (their ack or modal answer). */
        static Ending seenBy(ApprovalRequest request, String why, String answeredView) {
            return new Ending(request, List.of(), why, answeredView, true);
        }

        /** Ended by time, by someone else, or out of the requester's sight: tell them why. */
        static Ending toTell(ApprovalRequest request, String why, String answeredView) {
            return new Ending(request, List.of(), why, answeredView, false);
        }

        static Ending approved(ApprovalRequest request, List<CodeChallenge> verified,
                               String answeredView) {
            return new Ending(request, verified, "approved", answeredView, true);
        }
    }

    void ended(Ending ending) {
        ApprovalRequest request = ending.request();
        modals.showEnd(request.id(), FinalScreens.ended(request), ending.answeredView());
        approvalsChannel.decided(request);
        workflowStep.ended(request);
        if (reviews.ended(request)) {
            // Asked by another system: the person's review message now shows the outcome.
            return;
        }
        if (request.status() == RequestStatus.APPROVED) {
            notifier.toChannel(request, Messages.approved(request, ending.verified()));
        } else if (!ending.requesterKnows()) {
            notifier.toRequester(request, Messages.ended(request, ending.why()));
        }
    }
}

package dev.countersign.slack;

import com.slack.api.model.view.View;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.FollowUpLedger.Due;
import dev.countersign.approval.Notice;
import dev.countersign.approval.RequestStatus;
import java.util.List;
import java.util.Optional;

/**
 * How each notice the domain records ({@link Notice}) is said in
 * Slack: the final screen in every modal still showing the request, the result where it was
 * asked for, word to the requester, the approvals-channel message. Each answers whether it was
 * {@link Given}, is worth another try (Slack or the network failed for now), or can never be.
 */
final class SlackNotices {

    /** What became of one notice. */
    sealed interface Given {
        record Done() implements Given {
        }

        record TryAgain(String error) implements Given {
        }

        record Never(String why) implements Given {
        }
    }

    private final Modals modals;
    private final ApprovalsChannel approvalsChannel;
    private final Notifier notifier;
    private final ReviewMessages reviews;
    private final WorkflowStep workflowStep;

    /**
     * @param reviews      the review messages of requests other systems ask for: the outcome
     *                     shows there instead of a message of its own
     * @param workflowStep completes the Workflow Builder step a request was asked by
     */
    SlackNotices(Modals modals, ApprovalsChannel approvalsChannel, Notifier notifier,
                 ReviewMessages reviews, WorkflowStep workflowStep) {
        this.modals = modals;
        this.approvalsChannel = approvalsChannel;
        this.notifier = notifier;
        this.reviews = reviews;
        this.workflowStep = workflowStep;
    }

    Given give(Due due, Announcements.Seen seen) {
        ApprovalRequest request = due.request();
        boolean stale = request.status() != due.followUp().status();
        return switch (due.followUp().notice()) {
            case SCREENS -> stale ? done() : screens(request, seen.answeredView());
            case RESULT -> reviewed(request).orElseGet(() -> given(notifier.toChannel(request,
                    Messages.approved(request, due.verified()))));
            case REQUESTER -> stale ? done() : requester(due, seen);
            case APPROVERS_ASKED -> stale ? done() : given(approvalsChannel.announce(request));
            case APPROVERS_OUTCOME -> given(approvalsChannel.decided(request));
        };
    }

    /**
     * The screen for where the request now stands, in the modals showing it (but the one whose
     * answer already shows it). Ended, in all of them; waiting for a second approver, only in the
     * requester's, as the approver's own code modal may be open by now.
     */
    private Given screens(ApprovalRequest request, String answeredView) {
        // Every move records this notice: the one place an ended request's workflow step is
        // completed (recorded durably by the step itself before Slack hears it).
        workflowStep.ended(request);
        View screen = FinalScreens.ended(request);
        List<String> shown = request.status().isOpen()
                ? modals.showing(request.id(), request.requester()).stream().toList()
                : modals.showing(request.id());
        Given given = done();
        for (String viewId : shown) {
            if (!viewId.equals(answeredView)) {
                SlackReply<?> updated = modals.update(viewId, screen);
                // A modal closed or gone is simply not shown any more; others may still be.
                if (updated.failedForNow()) {
                    given = new Given.TryAgain(updated.error());
                }
            }
            if (!request.status().isOpen()) {
                modals.finished(viewId);
            }
        }
        return given;
    }

    private Given requester(Due due, Announcements.Seen seen) {
        ApprovalRequest request = due.request();
        if (request.status() == RequestStatus.AWAITING_SECOND_APPROVER) {
            return given(notifier.toRequester(request, Messages.awaitingSecondApprover(request)));
        }
        if (request.isEnrollment() && request.status() == RequestStatus.APPROVED) {
            return due.enrollment().map(enrollment -> given(notifier.dm(
                            request.requester().userId(), Messages.phoneChanged(enrollment))))
                    .orElseGet(SlackNotices::done);
        }
        if (seen.requesterSees()) {
            return done();
        }
        Optional<Given> reviewed = reviewed(request);
        if (reviewed.isPresent()) {
            return reviewed.get();
        }
        return given(notifier.toRequester(request, Messages.ended(request,
                Messages.whyEnded(request))));
    }

    /**
     * For a request another system asked for, the outcome shown in its review message, which is
     * the person's word of it. Its place may not be recorded yet when the system cancels right
     * after asking (the post and the cancel race): then later, not as a message of its own.
     */
    private Optional<Given> reviewed(ApprovalRequest request) {
        if (!reviews.askedElsewhere(request)) {
            return Optional.empty();
        }
        if (reviews.ended(request)) {
            return Optional.of(done());
        }
        // FAILED without a review message: it could never be posted, so there is no one to
        // tell in Slack (the asking system sees "failed").
        return Optional.of(request.status() == RequestStatus.FAILED ? done()
                : new Given.TryAgain("review message not recorded yet"));
    }

    private static Given given(SlackReply<?> reply) {
        if (reply.ok()) {
            return done();
        }
        return reply.failedForNow() ? new Given.TryAgain(reply.error())
                : new Given.Never("Slack answered " + reply.error());
    }

    private static Given done() {
        return new Given.Done();
    }
}

package dev.countersign.slack;

import com.slack.api.model.view.View;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.people.Enrollment;

/**
 * What a checked code means for the person: the modal's answer (an error under the code input,
 * or a new screen) and what to do after answering (post the result, ask the second approver,
 * send the next code). Shared by the synchronous answer and the late one after "Checking…".
 */
final class CodeCheckAnswers {

    /** How the modal answers: an error on the code input, or a replacement view. */
    sealed interface Answer {
        record Error(String message) implements Answer {
        }

        record Replace(View view) implements Answer {
        }
    }

    /** The answer, and the follow-up to run in the background once the answer is given. */
    record Outcome(Answer answer, Runnable followUp) {
    }

    private static final Runnable NOTHING = () -> {
    };

    private final CodeFlow codeFlow;
    private final Notifier notifier;
    private final ApprovalsChannel dualControl;
    private final boolean trial;
    private final Runnable afterApproval;

    CodeCheckAnswers(CodeFlow codeFlow, Notifier notifier, ApprovalsChannel dualControl, boolean trial,
                  Runnable afterApproval) {
        this.codeFlow = codeFlow;
        this.notifier = notifier;
        this.dualControl = dualControl;
        this.trial = trial;
        this.afterApproval = afterApproval;
    }

    Outcome of(Check check, String viewId) {
        if (check instanceof Check.Approved approved) {
            ApprovalRequest request = approved.request();
            return replace(FinalScreens.ended(request), () -> {
                afterApproval.run();
                notifier.toChannel(request, Messages.approved(request, approved.verified()));
                dualControl.decided(request);
            });
        }
        if (check instanceof Check.SecondApproverNeeded waiting) {
            return replace(FinalScreens.ended(waiting.request()), () -> {
                dualControl.announce(waiting.request());
                notifier.toRequester(waiting.request(),
                        Messages.awaitingSecondApprover(waiting.request()));
            });
        }
        if (check instanceof Check.Enrolled enrolled) {
            return replace(FinalScreens.ended(enrolled.request()),
                    () -> notifier.dm(enrolled.request().requester().userId(),
                            phoneChanged(enrolled.enrollment())));
        }
        if (check instanceof Check.NextCode next) {
            return replace(CodeModal.sending(next.request(), next.next(), trial),
                    () -> codeFlow.send(viewId, next.next().id()));
        }
        if (check instanceof Check.WrongCode wrong) {
            return error("That code isn't right. " + attempts(wrong.attemptsLeft())
                    + " left before this request locks.");
        }
        if (check instanceof Check.Locked locked) {
            return replace(FinalScreens.ended(locked.request()), NOTHING);
        }
        if (check instanceof Check.Expired expired) {
            if (!expired.requestEnded()) {
                return error("That code has expired. Close this window and press Approve on the "
                        + "request again for a new code.");
            }
            return replace(FinalScreens.ended(expired.request()), NOTHING);
        }
        if (check instanceof Check.AlreadyDecided decided) {
            return replace(FinalScreens.ended(decided.request()), NOTHING);
        }
        if (check instanceof Check.NotYours) {
            return error("This code was sent to someone else; only they can enter it.");
        }
        if (check instanceof Check.NotFound) {
            return error("This request no longer exists. Close this window and start again.");
        }
        if (check instanceof Check.NotReady notReady) {
            return error(notReady.message());
        }
        if (check instanceof Check.Malformed malformed) {
            return error(malformed.message());
        }
        Check.CouldNotCheck failed = (Check.CouldNotCheck) check;
        return error("I couldn't check your code just now, and that attempt wasn't counted. "
                + failed.failure().userMessage());
    }

    private static Messages.Message phoneChanged(Enrollment enrollment) {
        return Messages.plain(":iphone: Your Countersign phone is now "
                + enrollment.phone().masked()
                + ". Codes for your approvals go there from now on."
                + (enrollment.changedAt() != null
                ? " Large payments are held for 24 hours after a change. If you didn't change "
                + "it, tell your Countersign admin right away." : ""));
    }

    private static String attempts(int left) {
        return left == 1 ? "1 attempt" : left + " attempts";
    }

    private static Outcome replace(View view, Runnable followUp) {
        return new Outcome(new Answer.Replace(view), followUp);
    }

    private static Outcome error(String message) {
        return new Outcome(new Answer.Error(message), NOTHING);
    }

    static boolean isPayment(ApprovalRequest request) {
        return request.action() instanceof Action.Payment;
    }
}

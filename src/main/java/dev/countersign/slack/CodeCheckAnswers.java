package dev.countersign.slack;

import com.slack.api.model.view.View;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.CodeVerification;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/**
 * What a checked code means for the person: the modal's answer (an error under the code input,
 * or a new screen) and what to do after answering (announce the end, ask the second approver,
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
    private static final DateTimeFormatter HH_MM = DateTimeFormatter
            .ofPattern("d MMM HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final CodeFlow codeFlow;
    private final Notifier notifier;
    private final ApprovalsChannel approvalsChannel;
    private final EndAnnouncer announcer;
    private final boolean trial;
    private final Runnable afterApproval;
    private final Set<String> admins;

    CodeCheckAnswers(CodeFlow codeFlow, Notifier notifier, ApprovalsChannel approvalsChannel,
                     EndAnnouncer announcer, boolean trial, Runnable afterApproval,
                     Set<String> admins) {
        this.codeFlow = codeFlow;
        this.notifier = notifier;
        this.approvalsChannel = approvalsChannel;
        this.announcer = announcer;
        this.trial = trial;
        this.afterApproval = afterApproval;
        this.admins = Set.copyOf(admins);
    }

    /** The answer to {@code check}, typed by {@code submitter} in modal {@code viewId}. */
    Outcome of(Check check, String viewId, Actor submitter) {
        return switch (check) {
            case Check.Approved(ApprovalRequest request, List<CodeChallenge> verified) ->
                    replace(FinalScreens.ended(request), () -> {
                        afterApproval.run();
                        announcer.ended(EndAnnouncer.Ending.approved(request, verified, viewId));
                    });
            case Check.SecondApproverNeeded(ApprovalRequest request) ->
                    replace(FinalScreens.ended(request), () -> {
                        approvalsChannel.announce(request);
                        notifier.toRequester(request, Messages.awaitingSecondApprover(request));
                    });
            case Check.Enrolled(ApprovalRequest request, Enrollment enrollment) ->
                    replace(FinalScreens.ended(request), () -> notifier.dm(
                            request.requester().userId(), phoneChanged(enrollment)));
            case Check.NextCode(ApprovalRequest request, CodeChallenge next) ->
                    replace(CodeModal.sending(request, next, trial),
                            () -> codeFlow.send(viewId, next.id()));
            case Check.WrongCode(var request, var challenge, int left, var blocked) ->
                    new Outcome(new Answer.Error("That code isn't right. " + blocked
                            .map(CodeCheckAnswers::blockedNotice)
                            .orElse(attempts(left) + " left before this request locks.")),
                            () -> blocked.ifPresent(this::tellAdmins));
            case Check.Locked(ApprovalRequest request, var blocked) -> {
                Outcome ended = ended(request, "too many wrong codes were entered", viewId,
                        submitter);
                yield new Outcome(ended.answer(), () -> {
                    ended.followUp().run();
                    blocked.ifPresent(this::tellAdmins);
                });
            }
            case Check.Expired(ApprovalRequest request, boolean requestEnded) -> requestEnded
                    ? ended(request, "the code expired before it was entered", viewId, submitter)
                    : error("That code has expired. Close this window and press Approve on the "
                            + "request again for a new code.");
            case Check.AlreadyDecided(ApprovalRequest request) ->
                    replace(FinalScreens.ended(request), NOTHING);
            case Check.NotYours notYours ->
                    error("This code was sent to someone else; only they can enter it.");
            case Check.NotFound notFound ->
                    error("This request no longer exists. Close this window and start again.");
            case Check.NotReady(ApprovalRequest request, String message) -> error(message);
            case Check.Malformed(String message) -> error(message);
            case Check.CouldNotCheck failed -> error("I couldn't check your code just now, and "
                    + "that attempt wasn't counted. " + failed.failure().userMessage());
        };
    }

    /**
     * A code ended the request (locked, expired): this modal shows it, the rest is announced;
     * the requester is told unless they are the one looking at this modal.
     */
    private Outcome ended(ApprovalRequest request, String why, String viewId, Actor submitter) {
        EndAnnouncer.Ending ending = request.requester().equals(submitter)
                ? EndAnnouncer.Ending.seenBy(request, why, viewId)
                : EndAnnouncer.Ending.toTell(request, why, viewId);
        return replace(FinalScreens.ended(request), () -> announcer.ended(ending));
    }

    private static String blockedNotice(CodeVerification.Blocked blocked) {
        return "That was too many wrong codes for one day: Countersign sends you no more codes "
                + "until " + HH_MM.format(blocked.until()) + ". If it wasn't you, tell your "
                + "Countersign admin.";
    }

    /** Once, when a person reaches the cap: every admin hears, so a stolen session is seen. */
    private void tellAdmins(CodeVerification.Blocked blocked) {
        if (!blocked.justNow()) {
            return;
        }
        Messages.Message message = Messages.plain(":rotating_light: " + blocked.person().mention()
                + " has entered too many wrong codes in 24 hours. Countersign sends them no "
                + "codes until " + HH_MM.format(blocked.until()) + ". If they didn't do it, "
                + "someone may be trying their account; `/approve admin reset "
                + blocked.person().mention() + "` clears it once their phone is safe.");
        admins.forEach(admin -> notifier.dm(admin, message));
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
}

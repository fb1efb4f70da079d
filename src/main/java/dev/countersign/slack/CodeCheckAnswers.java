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
import java.util.function.Consumer;

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

    /**
     * The answer, and the follow-up to run in the background once the answer is given: it is
     * handed the modal whose answer shows the outcome (null when the answer came too late to be
     * one, after "Checking…"). {@code announced}: the request moved, and its recorded notices
     * ({@link Announcements}) show the outcome in every modal, this one included when late.
     */
    record Outcome(Answer answer, Consumer<String> followUp, boolean announced) {
    }

    private static final Consumer<String> NOTHING = answeredView -> {
    };
    private static final DateTimeFormatter HH_MM = DateTimeFormatter
            .ofPattern("d MMM HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final CodeFlow codeFlow;
    private final Notifier notifier;
    private final Announcements announcements;
    private final boolean trial;
    private final Runnable afterApproval;
    private final Set<String> admins;

    CodeCheckAnswers(CodeFlow codeFlow, Notifier notifier, Announcements announcements,
                     boolean trial, Runnable afterApproval, Set<String> admins) {
        this.codeFlow = codeFlow;
        this.notifier = notifier;
        this.announcements = announcements;
        this.trial = trial;
        this.afterApproval = afterApproval;
        this.admins = Set.copyOf(admins);
    }

    /** The answer to {@code check}, typed by {@code submitter} in modal {@code viewId}. */
    Outcome of(Check check, String viewId, Actor submitter) {
        return switch (check) {
            case Check.Approved(ApprovalRequest request, List<CodeChallenge> _) ->
                    announced(request, answeredView -> {
                        afterApproval.run();
                        announcements.deliverNow(request.id(),
                                new Announcements.Seen(answeredView, true));
                    });
            case Check.SecondApproverNeeded(ApprovalRequest request) ->
                    announced(request, false);
            case Check.Enrolled(ApprovalRequest request, Enrollment _) ->
                    announced(request, false);
            case Check.NextCode(ApprovalRequest request, CodeChallenge next) ->
                    replace(CodeModal.sending(request, next, trial),
                            answeredView -> codeFlow.send(viewId, next.id()));
            case Check.WrongCode(var request, var challenge, int left, var blocked) ->
                    new Outcome(new Answer.Error("That code isn't right. " + blocked
                            .map(CodeCheckAnswers::blockedNotice)
                            .orElse(attempts(left) + " left before this request locks.")),
                            answeredView -> blocked.ifPresent(this::tellAdmins), false);
            case Check.Locked(ApprovalRequest request, var blocked) -> {
                Outcome ended = announced(request, request.requester().equals(submitter));
                yield new Outcome(ended.answer(), answeredView -> {
                    ended.followUp().accept(answeredView);
                    blocked.ifPresent(this::tellAdmins);
                }, true);
            }
            case Check.Expired(ApprovalRequest request, boolean requestEnded) -> requestEnded
                    ? announced(request, request.requester().equals(submitter))
                    : error("That code has expired. Close this window and press Approve on the "
                            + "request again for a new code.");
            // Decided elsewhere, or just now because its details no longer verify: this window
            // shows the end, and the notices still pending are given with that known.
            case Check.AlreadyDecided(ApprovalRequest request) ->
                    announced(request, request.requester().equals(submitter));
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
     * The code moved the request: this modal shows where it now stands, the rest is in its
     * recorded notices. {@code requesterSees}: an ending is seen by the requester in this modal
     * (they typed the code), so they need no word of it.
     */
    private Outcome announced(ApprovalRequest request, boolean requesterSees) {
        return announced(request, answeredView -> announcements.deliverNow(request.id(),
                new Announcements.Seen(answeredView, requesterSees)));
    }

    private static Outcome announced(ApprovalRequest request, Consumer<String> followUp) {
        return new Outcome(new Answer.Replace(FinalScreens.ended(request)), followUp, true);
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

    private static String attempts(int left) {
        return left == 1 ? "1 attempt" : left + " attempts";
    }

    private static Outcome replace(View view, Consumer<String> followUp) {
        return new Outcome(new Answer.Replace(view), followUp, false);
    }

    private static Outcome error(String message) {
        return new Outcome(new Answer.Error(message), NOTHING, false);
    }
}

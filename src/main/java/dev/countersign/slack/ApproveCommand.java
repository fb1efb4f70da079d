package dev.countersign.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.approval.Command;
import dev.countersign.approval.CommandParser;
import dev.countersign.approval.PhoneAdministration;
import dev.countersign.approval.PhoneAdministration.Reset;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestCancellation;
import dev.countersign.approval.RequestCancellation.Cancellation;
import dev.countersign.approval.RequestOpening;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.StatusReports;
import dev.countersign.enrollment.PhoneCheck;
import dev.countersign.enrollment.PhonePolicy;
import dev.countersign.people.Actor;
import dev.countersign.people.Installation;

/**
 * {@code /approve …}. Answers within milliseconds: parse, check, store, acknowledge. Anything
 * that talks to Slack or the code provider happens after the acknowledgement ({@link CodeFlow}).
 * Refusals come back as an ephemeral answer only the person sees.
 */
final class ApproveCommand {

    private final Installation installation;
    private final RequestOpening opening;
    private final RequestCancellation cancellation;
    private final StatusReports statusReports;
    private final PhoneAdministration phones;
    private final PhonePolicy phonePolicy;
    private final CodeFlow codeFlow;
    private final RequestForms forms;
    private final Announcements announcements;
    private final AfterAck afterAck;
    private final Notifier notifier;
    private final Admission admission;

    ApproveCommand(Installation installation, RequestOpening opening,
                   RequestCancellation cancellation, StatusReports statusReports,
                   PhoneAdministration phones, PhonePolicy phonePolicy, CodeFlow codeFlow,
                   RequestForms forms, Announcements announcements, AfterAck afterAck,
                   Notifier notifier,
                   Admission admission) {
        this.installation = installation;
        this.opening = opening;
        this.cancellation = cancellation;
        this.statusReports = statusReports;
        this.phones = phones;
        this.phonePolicy = phonePolicy;
        this.codeFlow = codeFlow;
        this.forms = forms;
        this.announcements = announcements;
        this.afterAck = afterAck;
        this.notifier = notifier;
        this.admission = admission;
    }

    Response handle(SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload payload = request.getPayload();
        Trigger trigger = Trigger.receivedNow(payload.getTriggerId());
        Actor actor = installation.person(payload.getUserId());
        ReplyTo replyTo = new ReplyTo(payload.getChannelId(), payload.getResponseUrl());
        return switch (CommandParser.parse(SlackText.typed(payload.getText()))) {
            case Command.RequestApproval(var action) -> admission.admits()
                    ? opened(ctx, trigger, opening.requestApproval(actor, action, replyTo))
                    : ctx.ack(Messages.BUSY);
            case Command.Enroll(String phone) -> switch (phonePolicy.check(phone)) {
                case PhoneCheck.Refused(String reason) ->
                        ctx.ack(":x: " + reason + "\nExample: `/approve enroll +12015550123`");
                case PhoneCheck.Accepted(var accepted) -> admission.admits()
                        ? opened(ctx, trigger, opening.requestEnrollment(actor, accepted, replyTo))
                        : ctx.ack(Messages.BUSY);
            };
            case Command.OpenForm() -> {
                if (!admission.admits()) {
                    yield ctx.ack(Messages.BUSY);
                }
                forms.open(trigger, replyTo);
                yield ctx.ack();
            }
            case Command.Status() -> ctx.ack(Messages.status(statusReports.status(actor)));
            case Command.Cancel(String reference) ->
                    cancelled(ctx, cancellation.cancelByReference(reference, actor));
            case Command.AdminReset(String userId) ->
                    reset(ctx, phones.adminReset(actor, installation.person(userId)));
            case Command.Invalid(String problem) ->
                    ctx.ack(":x: " + problem + "\n\n" + CommandParser.USAGE);
            case Command.Help() -> ctx.ack(CommandParser.USAGE);
        };
    }

    private Response opened(SlashCommandContext ctx, Trigger trigger, Opening opened) {
        return switch (opened) {
            case Opening.Ready ready -> {
                codeFlow.open(trigger, ready.request(), ready.challenge());
                yield ctx.ack();
            }
            case Opening.Refused refused -> ctx.ack(":x: " + refused.message());
        };
    }

    private Response cancelled(SlashCommandContext ctx, Cancellation cancelled) {
        return switch (cancelled) {
            case Cancellation.Cancelled(var request) -> {
                afterAck.run(() -> announcements.deliverNow(request.id(),
                        Announcements.Seen.BY_REQUESTER));
                yield ctx.ack(":no_entry_sign: Cancelled " + request.reference() + " ("
                        + ActionDetails.summary(request) + "). Nothing was approved.");
            }
            case Cancellation.Refused(String message) -> ctx.ack(":x: " + message);
        };
    }

    private Response reset(SlashCommandContext ctx, Reset reset) {
        return switch (reset) {
            case Reset.Done done -> {
                afterAck.run(() -> {
                    notifier.dm(done.user().userId(), Messages.plain(":warning: A Countersign "
                            + "admin removed your enrolled phone. Run `/approve enroll "
                            + "+12015550123` with your new number before your next approval. If "
                            + "you didn't ask for this, tell your admin right away."));
                    done.cancelled().forEach(request -> announcements.deliverNow(request.id(),
                            Announcements.Seen.BY_REQUESTER));
                });
                String user = done.user().mention();
                yield ctx.ack(done.hadPhone()
                        ? ":white_check_mark: Removed " + user + "'s phone"
                        + (done.cancelled().isEmpty()
                        ? "" : " and cancelled " + done.cancelled().size() + " open request(s)")
                        + ". They can enroll a new one with `/approve enroll`; large payments are "
                        + "held for 24 hours after."
                        : user + " had no enrolled phone. Nothing changed.");
            }
            case Reset.Refused(String message) -> ctx.ack(":x: " + message);
        };
    }
}

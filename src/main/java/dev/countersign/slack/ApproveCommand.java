package dev.countersign.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.countersign.people.Actor;
import dev.countersign.approval.Approvals;
import dev.countersign.approval.Command;
import dev.countersign.approval.CommandParser;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestDesk;
import dev.countersign.enrollment.PhoneCheck;
import dev.countersign.enrollment.PhonePolicy;

/**
 * {@code /approve …}. Answers within milliseconds: parse, check, store, acknowledge. Anything
 * that talks to Slack or the code provider happens after the acknowledgement ({@link CodeFlow}).
 * Refusals come back as an ephemeral answer only the person sees.
 */
final class ApproveCommand {

    private final Approvals approvals;
    private final PhonePolicy phones;
    private final CodeFlow codeFlow;
    private final Background background;
    private final SlackGateway slack;
    private final Notifier notifier;
    private final ApprovalsChannel dualControl;

    ApproveCommand(Approvals approvals, PhonePolicy phones, CodeFlow codeFlow,
            Background background,
                   SlackGateway slack, Notifier notifier, ApprovalsChannel dualControl) {
        this.approvals = approvals;
        this.phones = phones;
        this.codeFlow = codeFlow;
        this.background = background;
        this.slack = slack;
        this.notifier = notifier;
        this.dualControl = dualControl;
    }

    Response handle(SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload payload = request.getPayload();
        Actor actor = new Actor(payload.getTeamId(), payload.getUserId());
        ReplyTo replyTo = new ReplyTo(payload.getChannelId(), payload.getResponseUrl());
        Command command = CommandParser.parse(SlackText.typed(payload.getText()));
        RequestDesk desk = approvals.desk();
        if (command instanceof Command.RequestApproval approval) {
            return opened(ctx, payload.getTriggerId(),
                    desk.requestApproval(actor, approval.action(), replyTo));
        }
        if (command instanceof Command.Enroll enroll) {
            PhoneCheck check = phones.check(enroll.phone());
            if (check instanceof PhoneCheck.Refused refused) {
                return ctx.ack(":x: " + refused.reason()
                        + "\nExample: `/approve enroll +12015550123`");
            }
            return opened(ctx, payload.getTriggerId(), desk.requestEnrollment(actor,
                    ((PhoneCheck.Accepted) check).phone(), replyTo));
        }
        if (command instanceof Command.OpenForm) {
            String trigger = payload.getTriggerId();
            background.modal(() -> {
                SlackGateway.Reply<SlackGateway.ViewRef> opened =
                        slack.openModal(trigger, RequestForm.form(replyTo));
                if (!opened.ok()) {
                    slack.respond(replyTo.responseUrl(), false,
                            Messages.cannotOpen(opened.error()), null);
                }
            });
            return ctx.ack();
        }
        if (command instanceof Command.Status) {
            return ctx.ack(Messages.status(desk.status(actor)));
        }
        if (command instanceof Command.Cancel cancel) {
            return cancelled(ctx, desk.cancelByReference(cancel.reference(), actor));
        }
        if (command instanceof Command.AdminReset reset) {
            return reset(ctx, desk.adminReset(actor, new Actor(actor.teamId(), reset.userId())));
        }
        if (command instanceof Command.Invalid invalid) {
            return ctx.ack(":x: " + invalid.problem() + "\n\n" + CommandParser.USAGE);
        }
        return ctx.ack(CommandParser.USAGE);
    }

    private Response opened(SlashCommandContext ctx, String triggerId,
            RequestDesk.Opening opening) {
        if (opening instanceof RequestDesk.Opening.Ready ready) {
            codeFlow.open(triggerId, ready.request(), ready.challenge());
            return ctx.ack();
        }
        return ctx.ack(":x: " + ((RequestDesk.Opening.Refused) opening).message());
    }

    private Response cancelled(SlashCommandContext ctx, RequestDesk.Cancellation cancellation) {
        if (cancellation instanceof RequestDesk.Cancellation.Cancelled done) {
            background.slack(() -> {
                done.shownIn().stream().findFirst().ifPresent(challenge ->
                        codeFlow.update(challenge.viewId(), challenge.id(),
                                FinalScreens.ended(done.request())));
                dualControl.decided(done.request());
            });
            return ctx.ack(":no_entry_sign: Cancelled " + done.request().reference() + " ("
                    + ActionDetails.summary(done.request()) + "). Nothing was approved.");
        }
        return ctx.ack(":x: " + ((RequestDesk.Cancellation.Refused) cancellation).message());
    }

    private Response reset(SlashCommandContext ctx, RequestDesk.Reset reset) {
        if (reset instanceof RequestDesk.Reset.Done done) {
            String user = done.user().mention();
            background.slack(() -> notifier.dm(done.user().userId(), Messages.plain(
                    ":warning: A Countersign admin removed your enrolled phone. Run `/approve enroll "
                            + "+12015550123` with your new number before your next approval. If "
                            + "you didn't ask for this, tell your admin right away.")));
            return ctx.ack(done.hadPhone()
                    ? ":white_check_mark: Removed " + user + "'s phone"
                            + (done.cancelled().isEmpty()
                    ? "" : " and cancelled " + done.cancelled().size() + " open request(s)")
                    + ". They can enroll a new one with `/approve enroll`; large payments are held "
                    + "for 24 hours after."
                    : user + " had no enrolled phone. Nothing changed.");
        }
        return ctx.ack(":x: " + ((RequestDesk.Reset.Refused) reset).message());
    }
}

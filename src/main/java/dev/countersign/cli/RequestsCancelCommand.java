package dev.countersign.cli;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.FollowUpLedger;
import dev.countersign.approval.Notice;
import dev.countersign.approval.RequestCancellation.Cancellation;
import dev.countersign.config.ToolSettings;
import dev.countersign.slack.RequesterNotice;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code requests cancel REF --reason TEXT}: ends an open request, audited as the operator, then
 * tells the requester through Slack's Web API with the bot token ({@link RequesterNotice}).
 */
@Command(name = "cancel", description = "Cancel an open request. The requester gets a direct "
        + "message from the bot with the reason, and a code modal still open for it shows "
        + "\"Cancelled\" (needs SLACK_BOT_TOKEN; without it the request is cancelled and they "
        + "are not told). Audited as done by the operator.",
        footer = {"", OperatorTools.SETTINGS_HELP})
final class RequestsCancelCommand implements Callable<Integer> {

    private static final int MAX_REASON = 200;

    @Mixin
    private ToolRun tool;

    @Parameters(index = "0", paramLabel = "REF", description = "The reference, like CS-7K3P9Q.")
    private String reference;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why, in a few words: recorded in the audit trail and sent to the "
                    + "requester (at most " + MAX_REASON + " characters).")
    private String reason;

    @Override
    public Integer call() {
        String why = reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON
                || why.chars().anyMatch(Character::isISOControl)) {
            throw tool.usageError("--reason must be 1 to " + MAX_REASON
                    + " characters on one line");
        }
        return tool.withSettings(settings -> cancel(settings, why));
    }

    private int cancel(ToolSettings settings, String why) {
        PrintWriter out = tool.out();
        PrintWriter err = tool.err();
        return tool.withDatabase(settings, (store, surfaces) -> {
            ApprovalServices approvals = OperatorTools.approvals(store);
            Cancellation outcome = approvals.cancellation().cancelByOperator(
                    OperatorTools.reference(reference), OperatorTools.operator(), why);
            return switch (outcome) {
                case Cancellation.Refused(String message) -> {
                    err.println(message);
                    yield CountersignCommand.USAGE;
                }
                case Cancellation.Cancelled(ApprovalRequest cancelled) -> {
                    out.println("cancelled " + cancelled.reference() + " of "
                            + RequestTable.requester(cancelled));
                    if (tell(settings, cancelled, why, surfaces.modalsOf(cancelled.id()),
                            err)) {
                        // Told here: the server's notice loop must not say it a second time.
                        // What is left (an approvals-channel message) the server still gives.
                        FollowUpLedger ledger = approvals.followUps();
                        ledger.done(ledger.pendingOf(cancelled.id()).stream()
                                .map(FollowUpLedger.Due::followUp)
                                .filter(followUp -> followUp.notice() == Notice.SCREENS
                                        || followUp.notice() == Notice.REQUESTER)
                                .toList());
                    }
                    yield CountersignCommand.OK;
                }
            };
        });
    }

    /** Whether the requester was told; if not, the server tells them when it next runs. */
    private static boolean tell(ToolSettings settings, ApprovalRequest cancelled, String why,
                                List<String> modals, PrintWriter err) {
        if (settings.slackBotToken().isEmpty()) {
            err.println("the requester was not told from here (SLACK_BOT_TOKEN is not set): "
                    + "the running server tells them");
            return false;
        }
        RequesterNotice.Told told = RequesterNotice.over(settings.slackApiUrl(),
                settings.slackBotToken().get()).cancelled(cancelled, why, modals);
        err.println(told.messaged()
                ? "the requester was told in a direct message"
                : "the requester was not told from here (Slack answered " + told.messageError()
                        + "): the running server tells them");
        if (told.modalsUpdated() > 0) {
            err.println("their open code modal now shows the cancellation");
        }
        return told.messaged();
    }
}

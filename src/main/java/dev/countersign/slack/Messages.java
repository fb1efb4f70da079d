package dev.countersign.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;

import com.slack.api.model.block.LayoutBlock;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.StatusReports;
import dev.countersign.approval.RequestStatus;
import dev.countersign.people.Enrollment;
import java.util.ArrayList;
import java.util.List;

/** Messages Countersign posts: pure functions of what happened. */
final class Messages {

    /** A message: notification text plus blocks. */
    record Message(String text, List<LayoutBlock> blocks) {
    }

    private Messages() {
    }

    /**
     * The result posted where the request was made: the word "approved", who approved, what
     * exactly, how they were verified, and the reference.
     */
    static Message approved(ApprovalRequest request, List<CodeChallenge> verified) {
        String by = verifiedBy(verified);
        String text = ":white_check_mark: Approved: " + ActionDetails.summary(request)
                + ". Approved by "
                + by + ". Ref " + request.reference() + ".";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(":white_check_mark: *Approved* by " + by
                + " — " + ActionDetails.title(request.action()).replace("Approve ", "")))));
        blocks.add(section(s -> s.fields(ActionDetails.fields(request))));
        blocks.add(context(c -> c.elements(List.of(markdownText("Requested by "
                + request.requester().mention() + " · ref " + request.reference() + " · "
                + Mrkdwn.time(request.decidedAt() != null ? request.decidedAt()
                        : request.createdAt()))))));
        return new Message(text, blocks);
    }

    /** "@alice (code by SMS to •••• 0123)", and the second approver when there is one. */
    static String verifiedBy(List<CodeChallenge> verified) {
        List<String> people = new ArrayList<>();
        for (CodeChallenge challenge : verified) {
            people.add(challenge.verifier().mention() + " (code by " + challenge.channel().label()
                    + " to " + challenge.maskedPhone() + ")");
        }
        return people.isEmpty() ? "code" : String.join(" and ", people);
    }

    /** To the requester whose request now waits for someone else. */
    static Message awaitingSecondApprover(ApprovalRequest request) {
        String text = ":hourglass_flowing_sand: Your code is confirmed for "
                + ActionDetails.summary(request) + " (ref " + request.reference()
                + "). It is waiting for a second approver; I'll tell you when it is decided.";
        return new Message(text, List.of(section(s -> s.text(markdownText(text))),
                section(s -> s.fields(ActionDetails.fields(request)))));
    }

    /** A request ended without approval: expired, locked, cancelled, failed, rejected. */
    static Message ended(ApprovalRequest request, String why) {
        String emoji = request.status() == RequestStatus.CANCELLED ? ":no_entry_sign:" : ":x:";
        String text = emoji + " Request " + request.reference() + " ("
                + ActionDetails.summary(request)
                + ") is " + request.status().word() + (why == null || why.isBlank() ? "." : ": "
                        + why)
                + " Nothing was approved.";
        return new Message(text, List.of(section(s -> s.text(markdownText(text)))));
    }

    /** Why a request ended, in the words its requester is told (from what the store keeps). */
    static String whyEnded(ApprovalRequest request) {
        String detail = request.statusDetail() == null ? "" : request.statusDetail();
        return switch (request.status()) {
            case EXPIRED -> detail.equals("code expired")
                    ? "the code expired before it was entered" : "no code was entered in time";
            case LOCKED -> detail.equals("too many wrong codes")
                    || detail.equals("attempts used up")
                    ? "too many wrong codes were entered" : detail;
            case CANCELLED -> switch (detail) {
                case "modal closed" -> "you closed the window";
                case "phone reset by an admin" -> "your phone was reset";
                case "cancelled by the requester", "cancelled from the Home tab" ->
                        "you cancelled it";
                default -> detail;
            };
            case REJECTED -> "rejected by <@" + request.decidedBy() + ">: "
                    + Mrkdwn.escape(detail);
            default -> detail;
        };
    }

    /** To a person whose phone enrollment (or change) was just verified. */
    static Message phoneChanged(Enrollment enrollment) {
        return plain(":iphone: Your Countersign phone is now "
                + enrollment.phone().masked()
                + ". Codes for your approvals go there from now on."
                + (enrollment.changedAt() != null
                ? " Large payments are held for 24 hours after a change. If you didn't change "
                + "it, tell your Countersign admin right away." : ""));
    }

    static Message plain(String text) {
        return new Message(text, List.of(section(s -> s.text(markdownText(text)))));
    }

    /** {@code /approve status}. */
    static String status(StatusReports.StatusReport report) {
        StringBuilder text = new StringBuilder();
        text.append(report.enrollment().map(e -> "*Your phone:* " + e.phone().masked())
                .orElse("*Your phone:* none enrolled — run `/approve enroll +12015550123`"))
                .append("\n\n*Open requests*\n");
        if (report.open().isEmpty()) {
            text.append("_none_\n");
        }
        for (ApprovalRequest request : report.open()) {
            text.append("• `").append(request.reference()).append("` ")
                    .append(ActionDetails.summary(request)).append(" — ")
                    .append(request.status().word()).append(" (cancel: `/approve cancel ")
                    .append(request.reference()).append("`)\n");
        }
        text.append("\n*Last decisions*\n");
        if (report.decided().isEmpty()) {
            text.append("_none_\n");
        }
        for (ApprovalRequest request : report.decided()) {
            text.append("• `").append(request.reference()).append("` ")
                    .append(ActionDetails.summary(request)).append(" — *")
                    .append(request.status().word()).append("*");
            if (request.decidedAt() != null) {
                text.append(" ").append(Mrkdwn.time(request.decidedAt()));
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** What went wrong when sending, for the person. */
    /** What someone hears when their modal could not be opened in Slack's 3 seconds. */
    static final String BUSY = ":hourglass: Countersign is busy right now, so nothing was sent to "
            + "your phone and nothing was approved. Please try again in a minute.";

    static String cannotOpen(String slackError) {
        if (slackError.equals("busy")) {
            return BUSY;
        }
        String why = switch (slackError) {
            case "expired_trigger_id", "exchanged_trigger_id" ->
                    "Slack's window for opening it closed before I could (expired_trigger_id): "
                            + "Countersign is busy right now, so try again in a minute";
            case "ratelimited" -> "Slack is rate-limiting Countersign right now";
            case "timeout", "network_error" -> "Slack did not answer in time";
            default -> "Slack refused to open it (" + slackError + ")";
        };
        return ":x: I couldn't open the approval window: " + why + ". Nothing was sent to your "
                + "phone and nothing was approved — please run the command again.";
    }
}

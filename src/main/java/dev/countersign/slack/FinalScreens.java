package dev.countersign.slack;

import dev.countersign.people.PhoneNumber;
import com.slack.api.model.view.View;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;

/** Final modal screens: what a modal shows once its request has ended (or moved on). */
final class FinalScreens {

    private FinalScreens() {
    }

    static View ended(ApprovalRequest request) {
        return CodeModal.done(request, headline(request), body(request));
    }

    static String headline(ApprovalRequest request) {
        if (request.action() instanceof Action.PhoneEnrollment enrollment) {
            return switch (request.status()) {
                case APPROVED -> ":white_check_mark: *Phone "
                        + PhoneNumber.maskLastFour(enrollment.lastFour())
                        + (enrollment.change() ? " is now your Countersign phone.*"
                        : " enrolled.* Codes for your approvals will go to this phone.");
                default -> ":no_entry_sign: *Phone not " + (enrollment.change() ? "changed"
                        : "enrolled")
                        + "* — this verification is " + request.status().word() + ".";
            };
        }
        return switch (request.status()) {
            case APPROVED -> ":white_check_mark: *Approved.*";
            case AWAITING_SECOND_APPROVER -> ":hourglass_flowing_sand: *Your code is confirmed.* "
                    + "This request now waits for a second approver; you'll be told when it's decided.";
            case AWAITING_CODE -> ":hourglass_flowing_sand: *Waiting for a code.*";
            case LOCKED -> ":lock: *Locked: too many wrong codes.* Nothing was approved. Start a new "
                    + "request if you still need this.";
            case EXPIRED -> ":alarm_clock: *Expired:* the code wasn't entered in time. Nothing was "
                    + "approved. Start a new request if you still need this.";
            case CANCELLED -> ":no_entry_sign: *Cancelled.* Nothing was approved.";
            case REJECTED -> ":x: *Rejected* by <@" + request.decidedBy()
                    + ">. Nothing was approved.";
            case FAILED -> ":x: *This request has ended* ("
                    + Mrkdwn.escape(request.statusDetail() == null ? "failed"
                            : request.statusDetail())
                    + "). Nothing was approved.";
        };
    }

    private static String body(ApprovalRequest request) {
        if (request.status() == dev.countersign.approval.RequestStatus.REJECTED
                && request.statusDetail() != null) {
            return "Reason: " + Mrkdwn.escape(request.statusDetail());
        }
        return "Reference " + request.reference();
    }
}

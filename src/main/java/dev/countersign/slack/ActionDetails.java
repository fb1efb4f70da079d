package dev.countersign.slack;

import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.composition.TextObject;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What is being approved, as section fields. Values people typed go in {@code plain_text}, which
 * Slack shows literally: a payee of {@code <script>} reads as {@code <script>}.
 */
final class ActionDetails {

    private ActionDetails() {
    }

    static List<TextObject> fields(ApprovalRequest request) {
        List<TextObject> fields = new ArrayList<>();
        Action action = request.action();
        if (action instanceof Action.Payment payment) {
            fields.add(field("Amount", payment.money().formatted()));
            fields.add(field("Payee", payment.payee()));
            if (payment.memo() != null) {
                fields.add(field("For", payment.memo()));
            }
        } else if (action instanceof Action.Signature signature) {
            fields.add(field("Document", signature.document()));
            if (signature.counterparty() != null) {
                fields.add(field("With", signature.counterparty()));
            }
        } else if (action instanceof Action.Generic generic) {
            fields.add(field("Action", generic.description()));
        } else if (action instanceof Action.PhoneEnrollment enrollment) {
            fields.add(field(enrollment.change() ? "New phone" : "Phone",
                    "•••• " + enrollment.lastFour()));
        }
        fields.add(field("Reference", request.reference()));
        return fields;
    }

    /** What kind of approval, for titles (at most 24 characters). */
    static String title(Action action) {
        if (action instanceof Action.Payment) {
            return "Approve payment";
        }
        if (action instanceof Action.Signature) {
            return "Approve signature";
        }
        if (action instanceof Action.PhoneEnrollment enrollment) {
            return enrollment.change() ? "Change your phone" : "Verify your phone";
        }
        return "Approve action";
    }

    /** One line of plain text for notifications and fallbacks, escaped for mrkdwn. */
    static String summary(ApprovalRequest request) {
        return Mrkdwn.escape(request.action().summary());
    }

    private static TextObject field(String label, String value) {
        return plainText(label + ": " + value);
    }
}

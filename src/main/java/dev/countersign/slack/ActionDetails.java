package dev.countersign.slack;

import dev.countersign.people.PhoneNumber;
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
        switch (request.action()) {
            case Action.Payment payment -> {
                fields.add(field("Amount", payment.money().formatted()));
                fields.add(field("Payee", payment.payee()));
                if (payment.memo() != null) {
                    fields.add(field("For", payment.memo()));
                }
            }
            case Action.Signature signature -> {
                fields.add(field("Document", signature.document()));
                if (signature.counterparty() != null) {
                    fields.add(field("With", signature.counterparty()));
                }
            }
            case Action.Generic generic -> fields.add(field("Action", generic.description()));
            case Action.PhoneEnrollment enrollment -> fields.add(field(
                    enrollment.change() ? "New phone" : "Phone",
                    PhoneNumber.maskLastFour(enrollment.lastFour())));
        }
        fields.add(field("Reference", request.reference()));
        return fields;
    }

    /** What kind of approval, for titles (at most 24 characters). */
    static String title(Action action) {
        return switch (action) {
            case Action.Payment payment -> "Approve payment";
            case Action.Signature signature -> "Approve signature";
            case Action.Generic generic -> "Approve action";
            case Action.PhoneEnrollment enrollment ->
                    enrollment.change() ? "Change your phone" : "Verify your phone";
        };
    }

    /** One line of plain text for notifications and fallbacks, escaped for mrkdwn. */
    static String summary(ApprovalRequest request) {
        return Mrkdwn.escape(request.action().summary());
    }

    private static TextObject field(String label, String value) {
        return plainText(label + ": " + value);
    }
}

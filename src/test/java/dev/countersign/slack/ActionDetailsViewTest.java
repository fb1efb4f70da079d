package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.MAX_MODAL_LABEL;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.request;
import static dev.countersign.slack.ViewSamples.shown;
import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import dev.countersign.approval.Action;
import dev.countersign.approval.RequestStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionDetailsViewTest {

    @Test
    void paymentShowsAmountWithCurrencyPayeeMemoAndReference() {
        assertThat(shownFields(payment("2500", "USD", "Acme Corp", "INV-1042"))).containsExactly(
                "Amount: USD 2,500.00", "Payee: Acme Corp", "For: INV-1042",
                "Reference: " + REFERENCE);
    }

    @Test
    void amountKeepsTheCurrencysOwnDecimals() {
        assertThat(shownFields(payment("2500", "JPY", "Tokyo Supplies", null))).containsExactly(
                "Amount: JPY 2,500", "Payee: Tokyo Supplies", "Reference: " + REFERENCE);
        assertThat(shownFields(payment("19.99", "EUR", "Globex", null)).getFirst())
                .isEqualTo("Amount: EUR 19.99");
    }

    @Test
    void signatureShowsDocumentAndCounterparty() {
        assertThat(shownFields(new Action.Signature("Master Services Agreement", "Globex")))
                .containsExactly("Document: Master Services Agreement", "With: Globex",
                        "Reference: " + REFERENCE);
        assertThat(shownFields(new Action.Signature("NDA", null)))
                .containsExactly("Document: NDA", "Reference: " + REFERENCE);
    }

    @Test
    void otherActionShowsItsText() {
        assertThat(shownFields(new Action.Generic("deploy billing-service v2.3 to production")))
                .containsExactly("Action: deploy billing-service v2.3 to production",
                        "Reference: " + REFERENCE);
    }

    @Test
    void phoneEnrollmentShowsOnlyTheLastFourDigits() {
        assertThat(shownFields(new Action.PhoneEnrollment("0123", false)))
                .containsExactly("Phone: •••• 0123", "Reference: " + REFERENCE);
        assertThat(shownFields(new Action.PhoneEnrollment("0123", true)))
                .containsExactly("New phone: •••• 0123", "Reference: " + REFERENCE);
    }

    @Test
    void everyFieldIsPlainTextSoNothingTypedCanFormat() {
        List<TextObject> fields = ActionDetails.fields(request(payment("1", "USD", HOSTILE,
                HOSTILE), RequestStatus.AWAITING_CODE));

        assertThat(fields).allSatisfy(field -> assertThat(field).isInstanceOf(
                PlainTextObject.class));
        assertThat(fields).allSatisfy(field -> assertThat(json(field).get("type").getAsString())
                .isEqualTo("plain_text"));
        assertThat(shownFields(payment("1", "USD", HOSTILE, HOSTILE)))
                .contains("Payee: " + HOSTILE, "For: " + HOSTILE);
        assertThat(shownFields(new Action.Signature(HOSTILE, HOSTILE)))
                .contains("Document: " + HOSTILE, "With: " + HOSTILE);
        assertThat(shownFields(new Action.Generic(HOSTILE))).contains("Action: " + HOSTILE);
    }

    @Test
    void titlesNameTheKindWithinSlacksLimit() {
        assertThat(ActionDetails.title(payment("1", "USD", "A", null)))
                .isEqualTo("Approve payment");
        assertThat(ActionDetails.title(new Action.Signature("NDA", null)))
                .isEqualTo("Approve signature");
        assertThat(ActionDetails.title(new Action.Generic("deploy")))
                .isEqualTo("Approve action");
        assertThat(ActionDetails.title(new Action.PhoneEnrollment("0123", false)))
                .isEqualTo("Verify your phone");
        assertThat(ActionDetails.title(new Action.PhoneEnrollment("0123", true)))
                .isEqualTo("Change your phone").hasSizeLessThanOrEqualTo(MAX_MODAL_LABEL);
    }

    @Test
    void summaryIsOneLineThatReadsAsTypedWithNothingLive() {
        String summary = ActionDetails.summary(request(payment("2500", "USD", HOSTILE, "AT&T"),
                RequestStatus.AWAITING_CODE));

        assertThat(shown(summary)).isEqualTo("pay USD 2,500.00 to " + HOSTILE + " (for AT&T)");
        assertThat(summary).doesNotContain("<!channel>").doesNotContain("<https:")
                .doesNotContain("*bold*").contains("AT&amp;T");
    }

    private static List<String> shownFields(Action action) {
        return ActionDetails.fields(request(action, RequestStatus.AWAITING_CODE)).stream()
                .map(field -> ((PlainTextObject) field).getText()).toList();
    }
}

package dev.countersign.slack;

import static dev.countersign.slack.ViewSamples.ALICE;
import static dev.countersign.slack.ViewSamples.CREATED;
import static dev.countersign.slack.ViewSamples.FULL_PHONE;
import static dev.countersign.slack.ViewSamples.HOSTILE;
import static dev.countersign.slack.ViewSamples.REFERENCE;
import static dev.countersign.slack.ViewSamples.REQUEST_ID;
import static dev.countersign.slack.ViewSamples.assertHostileTextInert;
import static dev.countersign.slack.ViewSamples.block;
import static dev.countersign.slack.ViewSamples.decided;
import static dev.countersign.slack.ViewSamples.json;
import static dev.countersign.slack.ViewSamples.mrkdwn;
import static dev.countersign.slack.ViewSamples.payment;
import static dev.countersign.slack.ViewSamples.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.StatusReports.StatusReport;
import dev.countersign.approval.RequestStatus;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HomeTabViewTest {

    private static final Optional<Enrollment> ENROLLED = Optional.of(new Enrollment(ALICE,
            new PhoneNumber(FULL_PHONE), CREATED, null));
    private static final Action PAYMENT = payment("2500", "USD", "Acme Corp", "INV-1042");

    @Test
    void homeShowsTheEnrolledPhoneMaskedNeverInFull() {
        JsonObject home = json(HomeTab.render(new StatusReport(ENROLLED, List.of(), List.of(),
                List.of())));

        assertThat(home.get("type").getAsString()).isEqualTo("home");
        assertThat(mrkdwn(home)).contains(":iphone: Codes for your approvals go to *•••• 0123*.");
        assertThat(home.toString()).doesNotContain(FULL_PHONE).doesNotContain("2015550123");
    }

    @Test
    void homeWithoutAPhoneSaysHowToEnrollAndThatNothingWaits() {
        JsonObject home = json(HomeTab.render(new StatusReport(Optional.empty(), List.of(),
                List.of(), List.of())));

        assertThat(mrkdwn(home)).contains(":iphone: You have no phone enrolled yet. Type "
                + "`/approve enroll +12015550123` with your own mobile number to start.",
                "Nothing waiting.", "None yet.");
        assertThat(home.toString()).doesNotContain("\"button\"")
                .doesNotContain("Waiting for your second approval");
    }

    @Test
    void openRequestShowsWhatItIsAndACancelButtonForThatRequest() {
        ApprovalRequest open = request(PAYMENT, RequestStatus.AWAITING_CODE);
        JsonObject home = json(HomeTab.render(new StatusReport(ENROLLED, List.of(open), List.of(),
                List.of())));

        JsonObject line = block(home, "open_" + REQUEST_ID);
        assertThat(line.getAsJsonObject("text").get("text").getAsString()).isEqualTo("`"
                + REFERENCE + "` pay USD 2,500.00 to Acme Corp (for INV-1042)\n_waiting for a "
                + "code_");
        JsonObject cancel = line.getAsJsonObject("accessory");
        assertThat(cancel.get("action_id").getAsString()).isEqualTo(HomeTab.CANCEL);
        assertThat(cancel.get("value").getAsString()).isEqualTo(REQUEST_ID);
        assertThat(cancel.getAsJsonObject("text").get("text").getAsString()).isEqualTo("Cancel");
        assertThat(mrkdwn(home)).doesNotContain("Nothing waiting.");
    }

    @Test
    void approverSeesRequestsWaitingForThemWithApproveAndReject() {
        ApprovalRequest waiting = request(PAYMENT, RequestStatus.AWAITING_SECOND_APPROVER);
        JsonObject home = json(HomeTab.render(new StatusReport(ENROLLED, List.of(), List.of(),
                List.of(waiting))));

        assertThat(mrkdwn(home)).contains("*Waiting for your second approval*", "`" + REFERENCE
                + "` pay USD 2,500.00 to Acme Corp (for INV-1042)\nRequested by <@U0ALICE>");
        JsonArray buttons = block(home, "second_" + REQUEST_ID).getAsJsonArray("elements");
        assertThat(buttons).hasSize(2);
        assertThat(buttons.get(0).getAsJsonObject().get("action_id").getAsString())
                .isEqualTo(ApprovalsChannelMessage.APPROVE);
        assertThat(buttons.get(1).getAsJsonObject().get("action_id").getAsString())
                .isEqualTo(ApprovalsChannelMessage.REJECT);
        assertThat(buttons).allSatisfy(button -> assertThat(button.getAsJsonObject().get("value")
                .getAsString()).isEqualTo(REQUEST_ID));
    }

    @Test
    void lastDecisionsShowTheOutcomeAndWhen() {
        ApprovalRequest approved = decided(PAYMENT, RequestStatus.APPROVED, null);
        JsonObject home = json(HomeTab.render(new StatusReport(ENROLLED, List.of(),
                List.of(approved), List.of())));

        assertThat(mrkdwn(home)).contains("`" + REFERENCE + "` pay USD 2,500.00 to Acme Corp "
                + "(for INV-1042)\n*approved* " + Mrkdwn.time(approved.decidedAt()));
        assertThat(mrkdwn(home)).doesNotContain("None yet.");
    }

    @Test
    void longListsAreCutToWhatTheHomeTabShows() {
        List<ApprovalRequest> many = IntStream.range(0, 30).mapToObj(HomeTabViewTest::numbered)
                .toList();
        JsonObject home = json(HomeTab.render(new StatusReport(ENROLLED, many, many, many)));

        String all = home.toString();
        assertThat(countOf(all, HomeTab.CANCEL)).isEqualTo(20);
        assertThat(countOf(all, ApprovalsChannelMessage.APPROVE)).isEqualTo(15);
        assertThat(home.getAsJsonArray("blocks")).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void hostileTextInEveryListReadsAsTypedAndPingsNobody() {
        ApprovalRequest payment = request(payment("1", "USD", HOSTILE, HOSTILE),
                RequestStatus.AWAITING_CODE);
        ApprovalRequest signature = request(new Action.Signature(HOSTILE, HOSTILE),
                RequestStatus.AWAITING_SECOND_APPROVER);
        ApprovalRequest generic = decided(new Action.Generic(HOSTILE), RequestStatus.REJECTED,
                HOSTILE);

        JsonObject home = json(HomeTab.render(new StatusReport(ENROLLED, List.of(payment),
                List.of(generic), List.of(signature))));

        assertHostileTextInert(home);
    }

    private static ApprovalRequest numbered(int n) {
        Action action = payment("1", "USD", "Payee " + n, null);
        ApprovalRequest base = request(action, RequestStatus.AWAITING_CODE);
        return new ApprovalRequest("req-" + n, "CS-" + n, new Actor("T0ACME", "U0OTHER"),
                action, base.digest(), RequestStatus.AWAITING_SECOND_APPROVER, null,
                ReplyTo.NOWHERE, CREATED, base.expiresAt(), null, null);
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}

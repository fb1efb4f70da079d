package dev.countersign.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.view.Views.view;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import dev.countersign.people.Actor;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.StatusReports;
import java.util.ArrayList;
import java.util.List;

/**
 * The App Home tab: your phone (masked), your open requests with Cancel, requests waiting for
 * your second approval (approvers), and your last ten decisions.
 */
final class HomeTab {

    static final String CANCEL = "countersign_home_cancel";

    private final StatusReports statusReports;
    private final SlackGateway slack;

    HomeTab(StatusReports statusReports, SlackGateway slack) {
        this.statusReports = statusReports;
        this.slack = slack;
    }

    void publish(Actor user) {
        slack.publishHome(user.userId(), render(statusReports.status(user)));
    }

    /** A pure function of the status report. */
    static View render(StatusReports.StatusReport report) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("Countersign"))));
        blocks.add(section(s -> s.text(markdownText(report.enrollment()
                .map(e -> ":iphone: Codes for your approvals go to *" + e.phone().masked() + "*.")
                .orElse(":iphone: You have no phone enrolled yet. Type `/approve enroll "
                        + "+12015550123` with your own mobile number to start.")))));
        blocks.add(divider());
        blocks.add(section(s -> s.text(markdownText("*Your open requests*"))));
        if (report.open().isEmpty()) {
            blocks.add(context(c -> c.elements(List.of(markdownText("Nothing waiting.")))));
        }
        for (ApprovalRequest request : limit(report.open(), 20)) {
            blocks.add(section(s -> s.blockId("open_" + request.id())
                    .text(markdownText(line(request) + "\n_" + request.status().word() + "_"))
                    .accessory(button(b -> b.actionId(CANCEL).text(plainText("Cancel"))
                            .style("danger").value(request.id())))));
        }
        if (!report.toSecondApprove().isEmpty()) {
            blocks.add(divider());
            blocks.add(section(s -> s.text(markdownText("*Waiting for your second approval*"))));
            for (ApprovalRequest request : limit(report.toSecondApprove(), 15)) {
                blocks.add(section(s -> s.text(markdownText(line(request) + "\nRequested by "
                        + request.requester().mention()))));
                blocks.add(actions(a -> a.blockId("second_" + request.id()).elements(List.of(
                        button(b -> b.actionId(ApprovalsChannelMessage.APPROVE)
                                .text(plainText("Approve")).style("primary").value(request.id())),
                        button(b -> b.actionId(ApprovalsChannelMessage.REJECT)
                                .text(plainText("Reject")).style("danger").value(request.id()))))));
            }
        }
        blocks.add(divider());
        blocks.add(section(s -> s.text(markdownText("*Your last decisions*"))));
        if (report.decided().isEmpty()) {
            blocks.add(context(c -> c.elements(List.of(markdownText("None yet.")))));
        }
        for (ApprovalRequest request : limit(report.decided(), 10)) {
            blocks.add(section(s -> s.text(markdownText(line(request) + "\n*"
                    + request.status().word()
                    + "*" + (request.decidedAt() == null ? "" : " "
                            + Mrkdwn.time(request.decidedAt()))))));
        }
        return view(v -> v.type("home").blocks(blocks));
    }

    private static String line(ApprovalRequest request) {
        return "`" + request.reference() + "` " + ActionDetails.summary(request);
    }

    private static <T> List<T> limit(List<T> items, int max) {
        return items.size() <= max ? items : items.subList(0, max);
    }
}

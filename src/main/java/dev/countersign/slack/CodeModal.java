package dev.countersign.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.otp.DeliveryChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The modal in which a person sees exactly what they approve and types the code: pure functions
 * from a request's state to a Block Kit view. {@code private_metadata} holds only the request id.
 */
final class CodeModal {

    static final String CALLBACK_ID = "countersign_code";
    static final String CODE_BLOCK = "code";
    static final String CODE_ACTION = "code_input";
    static final String RESEND_SMS = "countersign_resend_sms";
    static final String RESEND_CALL = "countersign_resend_call";

    private CodeModal() {
    }

    /** Opened at once after the command; the code is on its way. */
    static View sending(ApprovalRequest request, CodeChallenge challenge, boolean trial) {
        List<LayoutBlock> blocks = head(request, challenge);
        blocks.add(status(":hourglass_flowing_sand: Sending a code by "
                + challenge.channel().label()
                + " to " + challenge.maskedPhone() + "…"));
        blocks.add(codeInput());
        addTrialNote(blocks, trial);
        return awaitingCode(request, challenge, blocks);
    }

    /** The code went out; {@code notice} (may be null) explains what just happened. */
    static View ready(ApprovalRequest request, CodeChallenge challenge, String notice, boolean trial,
                      Instant now) {
        List<LayoutBlock> blocks = head(request, challenge);
        if (notice != null) {
            // Its own block id: Slack refuses a view whose block ids repeat.
            blocks.add(section(s -> s.blockId("notice").text(markdownText(":warning: "
                    + notice))));
        }
        long minutes = Math.max(1, (Duration.between(now,
                challenge.expiresAt()).toSeconds() + 59) / 60);
        String how = challenge.channel() == DeliveryChannel.CALL ? "We're calling "
                : "We sent a 6-digit code by SMS to ";
        String what = challenge.channel() == DeliveryChannel.CALL ? " to read you a 6-digit code"
                : "";
        String step = challenge.purpose() == ChallengePurpose.CURRENT_PHONE
                ? " (your current phone — a second code will go to the new one)" : "";
        blocks.add(status(":iphone: " + how + challenge.maskedPhone() + what + step
                + ". It expires "
                + Mrkdwn.time(challenge.expiresAt()) + " (in " + minutes
                + (minutes == 1 ? " minute" : " minutes") + ")."));
        blocks.add(codeInput());
        blocks.add(actions(a -> a.blockId("countersign_resend").elements(List.of(
                button(b -> b.actionId(RESEND_SMS).text(plainText("Resend code")).value("sms")),
                button(b -> b.actionId(RESEND_CALL).text(plainText(
                        challenge.channel() == DeliveryChannel.CALL ? "Call me again"
                                : "Call me instead")).value("call"))))));
        addTrialNote(blocks, trial);
        return awaitingCode(request, challenge, blocks);
    }

    /** Shown while a slow provider is still checking the code. */
    static View checking(ApprovalRequest request) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(details(request));
        blocks.add(status(":hourglass_flowing_sand: Checking your code… this window will update "
                + "in a moment."));
        return finished(request, blocks, "Close");
    }

    /** A final screen: no input, nothing to submit. */
    static View done(ApprovalRequest request, String headline, String body) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(headline))));
        blocks.add(details(request));
        if (body != null && !body.isBlank()) {
            blocks.add(context(c -> c.elements(List.of(markdownText(body)))));
        }
        return finished(request, blocks, "Done");
    }

    private static View awaitingCode(ApprovalRequest request, CodeChallenge challenge,
                                     List<LayoutBlock> blocks) {
        String submit = challenge.purpose() == ChallengePurpose.NEW_PHONE
                || challenge.purpose() == ChallengePurpose.CURRENT_PHONE ? "Verify" : "Approve";
        return view(v -> v.type("modal")
                .callbackId(CALLBACK_ID)
                .privateMetadata(request.id())
                .notifyOnClose(true)
                .title(viewTitle(t -> t.type("plain_text").text(title(request, challenge))))
                .submit(viewSubmit(s -> s.type("plain_text").text(submit)))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    private static View finished(ApprovalRequest request, List<LayoutBlock> blocks, String close) {
        return view(v -> v.type("modal")
                .callbackId(CALLBACK_ID)
                .privateMetadata(request.id())
                .title(viewTitle(t -> t.type("plain_text").text(ActionDetails.title(
                        request.action()))))
                .close(viewClose(c -> c.type("plain_text").text(close)))
                .blocks(blocks));
    }

    private static List<LayoutBlock> head(ApprovalRequest request, CodeChallenge challenge) {
        List<LayoutBlock> blocks = new ArrayList<>();
        String intro = switch (challenge.purpose()) {
            case SECOND_APPROVER -> "*" + request.requester().mention() + " asks you to give the "
                    + "second approval for:*";
            case NEW_PHONE, CURRENT_PHONE -> "*Confirm the phone that will receive your approval "
                    + "codes:*";
            case REQUESTER -> "*You are approving exactly this:*";
        };
        blocks.add(section(s -> s.text(markdownText(intro))));
        blocks.add(details(request));
        blocks.add(divider());
        return blocks;
    }

    private static LayoutBlock details(ApprovalRequest request) {
        return section(s -> s.blockId("details").fields(ActionDetails.fields(request)));
    }

    private static LayoutBlock status(String text) {
        return section(s -> s.blockId("status").text(markdownText(text)));
    }

    private static LayoutBlock codeInput() {
        return input(i -> i.blockId(CODE_BLOCK)
                .label(plainText("6-digit code"))
                .element(plainTextInput(p -> p.actionId(CODE_ACTION).maxLength(12)
                        .placeholder(plainText("Type the code")))));
    }

    private static void addTrialNote(List<LayoutBlock> blocks, boolean trial) {
        if (trial) {
            blocks.add(context(c -> c.elements(List.of(markdownText(":warning: *Local trial "
                    + "mode* (OTP_PROVIDER=console): no SMS is sent; the code is printed in "
                    + "Countersign's log. Never use this mode for real approvals.")))));
        }
    }

    private static String title(ApprovalRequest request, CodeChallenge challenge) {
        return challenge.purpose() == ChallengePurpose.SECOND_APPROVER ? "Second approval"
                : ActionDetails.title(request.action());
    }
}

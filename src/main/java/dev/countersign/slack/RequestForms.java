package dev.countersign.slack;

import dev.countersign.approval.ReplyTo;

/** Opens the request form ({@code /approve} with no text) with the command's trigger. */
final class RequestForms {

    private final SlackGateway slack;
    private final AfterAck afterAck;

    RequestForms(SlackGateway slack, AfterAck afterAck) {
        this.slack = slack;
        this.afterAck = afterAck;
    }

    void open(Trigger trigger, ReplyTo replyTo) {
        afterAck.openModal(() -> {
            String error = slack.stillUsable(trigger)
                    ? slack.openModal(trigger.id(), RequestForm.form(replyTo)).error() : "busy";
            if (error != null) {
                slack.respond(replyTo.responseUrl(), false, Messages.cannotOpen(error), null);
            }
        });
    }
}

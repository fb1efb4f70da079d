package dev.countersign.metrics;

import dev.countersign.approval.ApprovalEvents;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening;
import dev.countersign.approval.RequestStatus;
import dev.countersign.otp.DeliveryChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The domain's events as counters. Labels come only from enums and the action's kind, a word
 * the code chooses ({@code payment}, {@code signature}, {@code action}, {@code enrollment},
 * {@code phone_change}). Micrometer keeps each counter after its first lookup, so a count costs a
 * map lookup and an add: cheap enough for Slack's acknowledgement path.
 */
final class DomainCounters implements ApprovalEvents {

    private final MeterRegistry registry;

    DomainCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void opened(ApprovalRequest request) {
        Counter.builder("requests.opened").description("Requests stored, by kind of action")
                .tag("kind", request.action().kind()).register(registry).increment();
    }

    @Override
    public void refused(RequestOpening.Reason reason) {
        Counter.builder("requests.refused")
                .description("Requests refused before anything was stored or sent")
                .tag("reason", Labels.of(reason)).register(registry).increment();
    }

    @Override
    public void ended(ApprovalRequest request, RequestStatus status) {
        Counter.builder("requests.ended").description("Requests that reached a final status")
                .tag("kind", request.action().kind()).tag("outcome", Labels.of(status))
                .register(registry).increment();
    }

    @Override
    public void codeSent(DeliveryChannel channel) {
        codeSend(channel, "sent");
    }

    @Override
    public void codeNotSent(DeliveryChannel channel) {
        codeSend(channel, "failed");
    }

    @Override
    public void codeRefused(DeliveryChannel channel) {
        codeSend(channel, "refused");
    }

    private void codeSend(DeliveryChannel channel, String result) {
        Counter.builder("code.sends")
                .description("Codes asked of the provider (sent, failed) or held back by limits "
                        + "(refused)")
                .tag("channel", Labels.of(channel)).tag("result", result)
                .register(registry).increment();
    }

    @Override
    public void codeChecked(Check check) {
        Counter.builder("code.checks").description("Typed codes, by what checking them came to")
                .tag("result", result(check)).register(registry).increment();
    }

    static String result(Check check) {
        return switch (check) {
            case Check.Approved approved -> "approved";
            case Check.SecondApproverNeeded needed -> "second_approver_needed";
            case Check.Enrolled enrolled -> "enrolled";
            case Check.NextCode next -> "next_code";
            case Check.WrongCode wrong -> "wrong";
            case Check.Locked locked -> "locked";
            case Check.Expired expired -> "expired";
            case Check.AlreadyDecided decided -> "already_decided";
            case Check.NotYours notYours -> "not_yours";
            case Check.NotFound notFound -> "not_found";
            case Check.NotReady notReady -> "not_ready";
            case Check.Malformed malformed -> "malformed";
            case Check.CouldNotCheck failed -> "could_not_check";
        };
    }
}

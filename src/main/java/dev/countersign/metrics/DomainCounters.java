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
    private final Meters meters = new Meters();

    DomainCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void opened(ApprovalRequest request) {
        String kind = request.action().kind();
        meters.get(() -> Counter.builder("requests.opened")
                .description("Requests stored, by kind of action")
                .tag("kind", kind).register(registry), "requests.opened", kind).increment();
    }

    @Override
    public void refused(RequestOpening.Reason reason) {
        String label = Labels.of(reason);
        meters.get(() -> Counter.builder("requests.refused")
                .description("Requests refused before anything was stored or sent")
                .tag("reason", label).register(registry), "requests.refused", label).increment();
    }

    @Override
    public void ended(ApprovalRequest request, RequestStatus status) {
        String kind = request.action().kind();
        String outcome = Labels.of(status);
        meters.get(() -> Counter.builder("requests.ended")
                .description("Requests that reached a final status")
                .tag("kind", kind).tag("outcome", outcome).register(registry),
                "requests.ended", kind, outcome).increment();
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
        String label = Labels.of(channel);
        meters.get(() -> Counter.builder("code.sends")
                .description("Codes asked of the provider (sent, failed) or held back by limits "
                        + "(refused)")
                .tag("channel", label).tag("result", result).register(registry),
                "code.sends", label, result).increment();
    }

    @Override
    public void codeChecked(Check check) {
        String result = result(check);
        meters.get(() -> Counter.builder("code.checks")
                .description("Typed codes, by what checking them came to")
                .tag("result", result).register(registry), "code.checks", result).increment();
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

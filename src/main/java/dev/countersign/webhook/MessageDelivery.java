package dev.countersign.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.OutboxMessage;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.Store;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditRecord;
import dev.countersign.keys.KeyRing;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try at carrying an outbox message to the receiver: the checks before sending, the signed
 * POST, and the {@link DeliveryOutcome} it came to under the {@link RetryPolicy}. It only reads
 * the database; {@link OutcomeRecorder} stores the outcome.
 *
 * <p>Before the POST everything that makes the message true is checked again, against the
 * server's key: the entry's seal, the request's status ({@code APPROVED}), its binding, its
 * {@code request.approved} audit row, its verified codes, and that the stored event matches the
 * request. A message that fails any is never sent and is dead at once, with the reason.
 */
final class MessageDelivery {

    private static final Logger log = LoggerFactory.getLogger(MessageDelivery.class);

    private final Store store;
    private final WebhookClient client;
    private final RetryPolicy retries;
    private final Clock clock;
    private final ActionBinding binding;
    private final AuditChain chain;

    MessageDelivery(Store store, WebhookClient client, RetryPolicy retries, Clock clock,
                    KeyRing keys) {
        this.store = store;
        this.client = client;
        this.retries = retries;
        this.clock = clock;
        this.binding = new ActionBinding(keys);
        this.chain = new AuditChain(keys);
    }

    /** What the database says about the message's request, read in one snapshot. */
    private record Evidence(Optional<ApprovalRequest> request, List<AuditRecord> audit,
                            List<CodeChallenge> verified) {
    }

    DeliveryOutcome attempt(OutboxMessage message) {
        int attempt = message.attempts() + 1;
        Optional<ApprovalRequest> found;
        Evidence evidence;
        try {
            evidence = store.read(tx -> new Evidence(tx.requests().find(message.requestId()),
                    tx.audit().ofRequest(message.requestId()),
                    tx.challenges().verifiedOf(message.requestId())));
            found = evidence.request();
        } catch (RuntimeException unreadable) {
            // A busy disk, or a stored request that no longer decodes: not sent either way.
            log.warn("webhook message {}: its request could not be read: {}", message.id(),
                    unreadable.toString());
            return failed(message, Optional.empty(), attempt, "stored request could not be read");
        }
        if (found.isEmpty()) {
            return new DeliveryOutcome.Dead(message, found, attempt - 1,
                    "the approved request is missing");
        }
        ApprovalRequest request = found.get();
        Optional<String> refusal = refusal(message, request, evidence);
        if (refusal.isPresent()) {
            log.error("webhook for {} refused and never sent: {}", request.reference(),
                    refusal.get());
            return new DeliveryOutcome.Dead(message, found, attempt - 1, refusal.get());
        }
        return switch (client.post(message)) {
            case WebhookClient.Attempt.Accepted(int status) ->
                    new DeliveryOutcome.Delivered(message, request, attempt, status);
            case WebhookClient.Attempt.Failed(String error) ->
                    failed(message, found, attempt, error);
        };
    }

    /** Why this message must not be sent, if it must not. */
    private Optional<String> refusal(OutboxMessage message, ApprovalRequest request,
                                     Evidence evidence) {
        if (!message.sealed()) {
            return Optional.of("the outbox entry's seal does not verify under the server's key "
                    + "(added or changed outside Countersign)");
        }
        if (request.status() != RequestStatus.APPROVED) {
            return Optional.of("the request is " + request.status() + ", not APPROVED");
        }
        if (!binding.verifies(request)) {
            return Optional.of("digest mismatch: the request's details changed after approval, "
                    + "or were bound under a key this server does not know");
        }
        boolean audited = evidence.audit().stream().anyMatch(row ->
                "request.approved".equals(row.type()) && chain.verifies(row));
        if (!audited) {
            return Optional.of("the request has no intact request.approved audit row");
        }
        boolean codeChecked = evidence.verified().stream().anyMatch(challenge ->
                challenge.purpose() == ChallengePurpose.REQUESTER);
        if (!codeChecked) {
            return Optional.of("the request has no verified code from its requester");
        }
        JsonNode event;
        try {
            event = WebhookEvents.JSON.readTree(message.payload());
        } catch (IOException e) {
            return Optional.of("the stored event is not JSON");
        }
        return WebhookEvents.mismatch(event, request).map(why -> "digest mismatch: " + why);
    }

    private DeliveryOutcome failed(OutboxMessage message, Optional<ApprovalRequest> request,
                                   int attempt, String error) {
        Instant now = clock.instant();
        if (retries.givesUp(message.createdAt(), now)) {
            return new DeliveryOutcome.Dead(message, request, attempt, error);
        }
        return new DeliveryOutcome.RetryLater(message, request, attempt,
                retries.nextAttemptAt(attempt, message.createdAt(), now), error);
    }
}

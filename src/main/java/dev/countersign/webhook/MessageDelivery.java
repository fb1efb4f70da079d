package dev.countersign.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.OutboxMessage;
import dev.countersign.approval.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try at carrying an outbox message to the receiver: the checks before sending, the signed
 * POST, and the {@link DeliveryOutcome} it came to under the {@link RetryPolicy}. It only reads
 * the database; {@link OutcomeRecorder} stores the outcome.
 *
 * <p>Before the POST the request's digest is checked again, and the stored event must match the
 * request; a message that fails either is never sent and is dead at once.
 */
final class MessageDelivery {

    private static final Logger log = LoggerFactory.getLogger(MessageDelivery.class);

    private final Store store;
    private final WebhookClient client;
    private final RetryPolicy retries;
    private final Clock clock;

    MessageDelivery(Store store, WebhookClient client, RetryPolicy retries, Clock clock) {
        this.store = store;
        this.client = client;
        this.retries = retries;
        this.clock = clock;
    }

    DeliveryOutcome attempt(OutboxMessage message) {
        int attempt = message.attempts() + 1;
        Optional<ApprovalRequest> found;
        try {
            found = store.read(tx -> tx.requests().find(message.requestId()));
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
        Optional<String> refusal = refusal(message, request);
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
    private static Optional<String> refusal(OutboxMessage message, ApprovalRequest request) {
        if (!request.digestMatches()) {
            return Optional.of("digest mismatch: the request's details changed after approval");
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

package dev.countersign.webhook;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.OutboxMessage;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery of an outbox message came to, before anything is stored: the receiver took
 * it, it is to be tried again later, or it never will be. {@code attempts} counts the POSTs made
 * so far including this one; a message refused before sending keeps the count it had. The
 * request is missing only when it could not be read or is no longer in the database.
 */
sealed interface DeliveryOutcome {

    OutboxMessage message();

    int attempts();

    /** The receiver answered 2xx with {@code status}. */
    record Delivered(OutboxMessage message, ApprovalRequest request, int attempts, int status)
            implements DeliveryOutcome {
        public Delivered {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(request, "request");
        }
    }

    /** This attempt failed with {@code error}; the next one is due at {@code at}. */
    record RetryLater(OutboxMessage message, Optional<ApprovalRequest> request, int attempts,
                      Instant at, String error) implements DeliveryOutcome {
        public RetryLater {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(error, "error");
        }
    }

    /** Never to be sent again: the last try failed with {@code error}, or sending was refused. */
    record Dead(OutboxMessage message, Optional<ApprovalRequest> request, int attempts,
                String error) implements DeliveryOutcome {
        public Dead {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(error, "error");
        }
    }

    /** How logs name a message: its request's reference, never its payload. */
    static String name(OutboxMessage message, Optional<ApprovalRequest> request) {
        return request.map(ApprovalRequest::reference).orElse("message " + message.id());
    }
}

package dev.countersign.webhook;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.OutboxMessage;
import dev.countersign.approval.Store;
import dev.countersign.audit.AuditEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of a {@link DeliveryOutcome}: the outbox row, one audit row for a delivery or
 * a death, a log line, and the {@link DeadLetterListener}. Failed attempts are logged and kept in
 * the outbox row ({@code last_error}), not audited, so a long outage does not flood the trail.
 * Each outbox call changes a message only while it is pending, so an outcome recorded twice (two
 * dispatchers racing) is audited and reported once.
 */
final class OutcomeRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);
    private static final String ACTOR = "system";

    private final Store store;
    private final Clock clock;
    private final DeadLetterListener deadLetters;
    private final DeliveryCounts counts;

    OutcomeRecorder(Store store, Clock clock, DeadLetterListener deadLetters) {
        this(store, clock, deadLetters, DeliveryCounts.NONE);
    }

    OutcomeRecorder(Store store, Clock clock, DeadLetterListener deadLetters,
                    DeliveryCounts counts) {
        this.store = store;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.counts = counts;
    }

    void record(DeliveryOutcome outcome) {
        switch (outcome) {
            case DeliveryOutcome.Delivered delivered -> delivered(delivered);
            case DeliveryOutcome.RetryLater retry -> retryLater(retry);
            case DeliveryOutcome.Dead dead -> dead(dead);
        }
        counts.counted(switch (outcome) {
            case DeliveryOutcome.Delivered delivered -> DeliveryCounts.Result.DELIVERED;
            case DeliveryOutcome.RetryLater retry -> DeliveryCounts.Result.RETRY;
            case DeliveryOutcome.Dead dead -> DeliveryCounts.Result.DEAD;
        });
    }

    private void delivered(DeliveryOutcome.Delivered outcome) {
        ApprovalRequest request = outcome.request();
        store.write(tx -> {
            Instant now = clock.instant();
            if (tx.outbox().delivered(outcome.message().id(), outcome.attempts(), now)) {
                Map<String, String> details = details(Optional.of(request), outcome.attempts());
                details.put("status", Integer.toString(outcome.status()));
                tx.audit().append(AuditEvent.of("webhook.delivered", request.id(),
                        request.requester().installationId(), ACTOR, details), now);
            }
            return null;
        });
        log.info("webhook for {} delivered: HTTP {} on attempt {}", request.reference(),
                outcome.status(), outcome.attempts());
    }

    private void retryLater(DeliveryOutcome.RetryLater outcome) {
        store.write(tx -> tx.outbox().retryLater(outcome.message().id(), outcome.attempts(),
                outcome.at(), outcome.error()));
        log.warn("webhook for {} failed on attempt {}: {}; next try at {}",
                DeliveryOutcome.name(outcome.message(), outcome.request()), outcome.attempts(),
                outcome.error(), outcome.at());
    }

    private void dead(DeliveryOutcome.Dead outcome) {
        OutboxMessage message = outcome.message();
        Optional<ApprovalRequest> request = outcome.request();
        boolean killed = store.write(tx -> {
            Instant now = clock.instant();
            if (!tx.outbox().dead(message.id(), outcome.attempts(), now, outcome.error())) {
                return false;
            }
            Map<String, String> details = details(request, outcome.attempts());
            details.put("error", outcome.error());
            tx.audit().append(AuditEvent.of("webhook.dead", message.requestId(),
                    request.map(found -> found.requester().installationId()).orElse(null), ACTOR,
                    details), now);
            return true;
        });
        if (!killed) {
            return;
        }
        log.error("webhook for {} is dead after {} attempts: {}",
                DeliveryOutcome.name(message, request), outcome.attempts(), outcome.error());
        request.ifPresent(found -> tellDeadLetters(found, outcome.error()));
    }

    private void tellDeadLetters(ApprovalRequest request, String error) {
        try {
            deadLetters.dead(request, error);
        } catch (RuntimeException e) {
            log.warn("dead-letter listener failed for {}: {}", request.reference(), e.toString());
        }
    }

    private static Map<String, String> details(Optional<ApprovalRequest> request, int attempts) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("attempts", Integer.toString(attempts));
        request.ifPresent(found -> {
            details.put("reference", found.reference());
            details.put("kind", found.action().kind());
        });
        return details;
    }
}

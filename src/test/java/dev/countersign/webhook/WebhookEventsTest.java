package dev.countersign.webhook;

import dev.countersign.approval.OutboxMessage;
import dev.countersign.approval.FollowUps;
import dev.countersign.approval.Origins;
import dev.countersign.approval.Outbox;
import dev.countersign.approval.RequestOrigin;
import static dev.countersign.testing.ApprovalFixture.payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.countersign.approval.Action;
import dev.countersign.approval.ActionDigest;
import dev.countersign.people.Actor;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.ChallengeState;
import dev.countersign.approval.Challenges;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.Requests;
import dev.countersign.approval.Transaction;
import dev.countersign.audit.AuditTrail;
import dev.countersign.people.Enrollments;
import dev.countersign.otp.DeliveryChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WebhookEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2026-11-02T09:30:00.250Z");
    private static final Instant APPROVED = Instant.parse("2026-11-02T09:31:07.123456Z");
    private static final Actor ALICE = new Actor("T0ACME", "U0ALICE");
    private static final Actor BOB = new Actor("T0ACME", "U0BOB");

    private final RecordingOutbox outbox = new RecordingOutbox();

    @Test
    void paymentEventHasItsFieldsInAFixedOrder() throws Exception {
        ApprovalRequest request = request(payment("2500", "USD", "Acme Corp", "INV-1042"));

        new WebhookEvents().recordApproval(transaction(), request, List.of(
                verified(BOB, ChallengePurpose.SECOND_APPROVER, DeliveryChannel.CALL, "0456"),
                verified(ALICE, ChallengePurpose.REQUESTER, DeliveryChannel.SMS, "0123")),
                APPROVED);

        assertThat(outbox.enqueued).singleElement().satisfies(message -> {
            assertThat(message.requestId()).isEqualTo(request.id());
            assertThat(message.at()).isEqualTo(APPROVED);
            assertThat(message.payload()).isEqualTo("{\"id\":\"" + request.id() + "\","
                    + "\"type\":\"payment.approved\",\"reference\":\"CS-7K3P9Q\","
                    + "\"amount\":\"2500.00\",\"currency\":\"USD\",\"payee\":\"Acme Corp\","
                    + "\"memo\":\"INV-1042\",\"action\":{\"currency\":\"USD\",\"amount\":"
                    + "\"2500.00\",\"payee\":\"Acme Corp\",\"memo\":\"INV-1042\"},"
                    + "\"requester\":{\"team_id\":\"T0ACME\",\"user_id\":\"U0ALICE\"},"
                    + "\"approvers\":[{\"user_id\":\"U0ALICE\",\"channel\":\"sms\","
                    + "\"phone_last4\":\"0123\"},{\"user_id\":\"U0BOB\",\"channel\":\"call\","
                    + "\"phone_last4\":\"0456\"}],\"verification_channels\":[\"sms\",\"call\"],"
                    + "\"approved_at\":\"2026-11-02T09:31:07.123Z\","
                    + "\"digest\":\"" + request.digest() + "\"}");
        });
    }

    @Test
    void signatureAndGenericEventsLeaveOutWhatTheyDoNotHave() throws Exception {
        JsonNode signature = JSON.readTree(WebhookEvents.payload(
                request(new Action.Signature("Master Services Agreement", null)),
                List.of(verified(ALICE, ChallengePurpose.REQUESTER, DeliveryChannel.SMS, "0123")),
                APPROVED));
        JsonNode generic = JSON.readTree(WebhookEvents.payload(
                request(new Action.Generic("deploy billing v2.3 to production")),
                List.of(verified(ALICE, ChallengePurpose.REQUESTER, DeliveryChannel.SMS, "0123")),
                APPROVED));

        assertThat(signature.path("type").asText()).isEqualTo("signature.approved");
        assertThat(signature.path("document").asText()).isEqualTo("Master Services Agreement");
        assertThat(signature.has("counterparty")).isFalse();
        assertThat(signature.has("amount")).isFalse();
        assertThat(signature.path("action").toString())
                .isEqualTo("{\"document\":\"Master Services Agreement\"}");
        assertThat(generic.path("type").asText()).isEqualTo("action.approved");
        assertThat(generic.path("description").asText())
                .isEqualTo("deploy billing v2.3 to production");
        assertThat(generic.has("payee")).isFalse();
    }

    @Test
    void enrollmentsAreNotSent() {
        new WebhookEvents().recordApproval(transaction(), request(new Action.PhoneEnrollment("0123",
                false)), List.of(), APPROVED);

        assertThat(outbox.enqueued).isEmpty();
    }

    @Test
    void storedEventMatchesItsRequestUntilEitherIsChanged() throws Exception {
        ApprovalRequest request = request(payment("2500", "USD", "Acme Corp", null));
        ObjectNode event = (ObjectNode) JSON.readTree(WebhookEvents.payload(request, List.of(),
                APPROVED));
        assertThat(WebhookEvents.mismatch(event, request)).isEmpty();

        ObjectNode topLevel = event.deepCopy().put("payee", "Mallory Ltd");
        ObjectNode inAction = event.deepCopy();
        ((ObjectNode) inAction.path("action")).put("payee", "Mallory Ltd");
        ObjectNode added = event.deepCopy().put("memo", "also pay Mallory");
        ObjectNode digest = event.deepCopy().put("digest", "0".repeat(64));
        ApprovalRequest other = request(payment("2500", "USD", "Acme Corp", null));

        assertThat(WebhookEvents.mismatch(topLevel, request)).isPresent();
        assertThat(WebhookEvents.mismatch(inAction, request)).isPresent();
        assertThat(WebhookEvents.mismatch(added, request)).isPresent();
        assertThat(WebhookEvents.mismatch(digest, request)).isPresent();
        assertThat(WebhookEvents.mismatch(event, other)).isPresent();
    }

    private static ApprovalRequest request(Action action) {
        String id = UUID.randomUUID().toString();
        return new ApprovalRequest(id, "CS-7K3P9Q", ALICE, action,
                ActionDigest.of(id, ALICE, action, CREATED), RequestStatus.APPROVED, null,
                ReplyTo.NOWHERE, CREATED, CREATED.plusSeconds(300), APPROVED, ALICE.userId());
    }

    private static CodeChallenge verified(Actor who, ChallengePurpose purpose, DeliveryChannel channel,
                                      String lastFour) {
        return new CodeChallenge(1, "req", who, purpose, channel, lastFour, "provider-id",
                ChallengeState.VERIFIED, 1, 3, CREATED, CREATED.plusSeconds(300));
    }

    private Transaction transaction() {
        return new Transaction() {
            @Override
            public Requests requests() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Challenges challenges() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Enrollments enrollments() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AuditTrail audit() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Outbox outbox() {
                return outbox;
            }

            @Override
            public FollowUps followUps() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Origins origins() {
                return new Origins() {
                    @Override
                    public void record(String requestId, RequestOrigin origin) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public RequestOrigin of(String requestId) {
                        return RequestOrigin.SLACK;
                    }

                    @Override
                    public Optional<Remembered> byIdempotencyKey(String client, String key) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public void rememberIdempotencyKey(String client, String key,
                                                       String bodyHash, String requestId,
                                                       Instant at) {
                        throw new UnsupportedOperationException();
                    }
                };
            }
        };
    }

    private record Enqueued(String requestId, String payload, Instant at) {
    }

    /** Only what the events write: the outbox's other methods are never called here. */
    private static final class RecordingOutbox implements Outbox {
        final List<Enqueued> enqueued = new ArrayList<>();

        @Override
        public void enqueue(String requestId, String payload, Instant at) {
            enqueued.add(new Enqueued(requestId, payload, at));
        }

        @Override
        public List<OutboxMessage> due(Instant now, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Instant> nextDue() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delivered(long id, int attempts, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean retryLater(long id, int attempts, Instant next, String error) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean dead(long id, int attempts, Instant at, String error) {
            throw new UnsupportedOperationException();
        }
    }
}

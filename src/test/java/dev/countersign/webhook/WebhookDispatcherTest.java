package dev.countersign.webhook;

import static dev.countersign.testing.ApprovalFixture.ALICE;
import static dev.countersign.testing.ApprovalFixture.ALICE_PHONE;
import static dev.countersign.testing.ApprovalFixture.payment;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.people.Actor;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CodeVerification;
import dev.countersign.approval.SecondApproval;
import dev.countersign.audit.AuditRecord;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.MutableClock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class WebhookDispatcherTest {

    private static final String SECRET = "whsec-test-0123456789abcdef";
    private static final Instant START = Instant.parse("2026-11-02T09:30:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final MutableClock clock = new MutableClock(START);
    private final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final MockWebServer receiver = new MockWebServer();
    private final List<WebhookDispatcher> dispatchers = new ArrayList<>();
    private ApprovalFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        receiver.start();
        fixture = new ApprovalFixture(directory, clock, new WebhookEvents());
        fixture.enroll(ALICE, ALICE_PHONE);
    }

    @AfterEach
    void tearDown() throws IOException {
        dispatchers.forEach(WebhookDispatcher::close);
        fixture.close();
        receiver.shutdown();
    }

    @Test
    void paymentApprovalIsPostedSignedWithItsDetails() throws Exception {
        ApprovalRequest request = fixture.approve(ALICE,
                payment("2500", "USD", "Société Acme  Ltd.", "INV-1042"));
        receiver.enqueue(new MockResponse().setResponseCode(200));

        assertThat(dispatcher().deliverDueNow()).isEqualTo(1);

        RecordedRequest post = receiver.takeRequest(1, TimeUnit.SECONDS);
        String body = post.getBody().readUtf8();
        assertThat(post.getMethod()).isEqualTo("POST");
        assertThat(post.getPath()).isEqualTo("/hooks/countersign");
        assertThat(WebhookSigner.verify(SECRET, post.getHeader("Countersign-Timestamp"), body,
                post.getHeader("Countersign-Signature"), clock.instant())).isTrue();
        assertThat(post.getHeader("Countersign-Timestamp"))
                .isEqualTo(Long.toString(START.getEpochSecond()));
        assertThat(post.getHeader("Idempotency-Key")).isEqualTo(request.id());
        assertThat(post.getHeader("User-Agent")).isEqualTo("Countersign-Webhook/1");
        assertThat(post.getHeader("Content-Type")).startsWith("application/json");

        JsonNode event = JSON.readTree(body);
        assertThat(event.path("id").asText()).isEqualTo(request.id());
        assertThat(event.path("type").asText()).isEqualTo("payment.approved");
        assertThat(event.path("reference").asText()).isEqualTo(request.reference());
        assertThat(event.path("amount").isTextual()).isTrue();
        assertThat(event.path("amount").asText()).isEqualTo("2500.00");
        assertThat(event.path("currency").asText()).isEqualTo("USD");
        assertThat(event.path("payee").asText()).isEqualTo("Société Acme  Ltd.");
        assertThat(event.path("memo").asText()).isEqualTo("INV-1042");
        assertThat(event.path("action").path("payee").asText()).isEqualTo("Société Acme  Ltd.");
        assertThat(event.path("requester").path("user_id").asText()).isEqualTo("U0ALICE");
        assertThat(event.path("requester").path("team_id").asText()).isEqualTo("T0ACME");
        assertThat(event.path("approvers")).hasSize(1);
        assertThat(event.path("approvers").get(0).path("user_id").asText()).isEqualTo("U0ALICE");
        assertThat(event.path("approvers").get(0).path("channel").asText()).isEqualTo("sms");
        assertThat(event.path("approvers").get(0).path("phone_last4").asText()).isEqualTo("0123");
        assertThat(event.path("verification_channels").toString()).isEqualTo("[\"sms\"]");
        assertThat(event.path("approved_at").asText()).isEqualTo(START.toString());
        assertThat(event.path("digest").asText()).isEqualTo(request.digest()).hasSize(64);

        assertThat(outboxRow(request)).containsExactly("DELIVERED", 1, null);
        assertThat(audit(request, "webhook.delivered")).singleElement()
                .satisfies(row -> assertThat(JSON.readTree(row.details()).path("status").asText())
                        .isEqualTo("200"));
        assertThat(dispatcher().deliverDueNow()).isZero();
    }

    @Test
    void dualControlEventListsTheRequesterThenTheSecondApprover() throws Exception {
        Actor bob = new Actor("T0ACME", "U0BOB");
        Path dualDirectory = Files.createDirectory(directory.resolve("dual"));
        try (ApprovalFixture dual = new ApprovalFixture(dualDirectory, clock, new WebhookEvents(),
                new ApprovalPolicy.DualControlRule(Map.of("*", new BigDecimal("10000")), false,
                        Duration.ofHours(24)), bob::equals)) {
            dual.enroll(ALICE, ALICE_PHONE);
            dual.enroll(bob, "+12015550456");
            String id = dual.open(ALICE, payment("25000", "USD", "Acme Corp", null)).request().id();
            assertThat(dual.typeLastCode(id, ALICE))
                    .isInstanceOf(CodeVerification.Check.SecondApproverNeeded.class);
            SecondApproval.Start start = dual.approvals().secondApproval().begin(id, bob);
            long challenge = ((SecondApproval.Start.Ready) start).challenge().id();
            dual.approvals().delivery().send(challenge);
            clock.advance(Duration.ofSeconds(30)); // the resend cooldown
            dual.approvals().delivery().resend(id, bob, DeliveryChannel.CALL);
            assertThat(dual.typeLastCode(id, bob))
                    .isInstanceOf(CodeVerification.Check.Approved.class);
            receiver.enqueue(new MockResponse().setResponseCode(200));

            WebhookDispatcher dispatcher = new WebhookDispatcher(dual.store(), dual.store().keys(),
                    receiver.url("/").uri(), new WebhookSigner(SECRET),
                    WebhookDispatcher.newHttpClient(), clock, DeadLetterListener.NONE);
            dispatchers.add(dispatcher);
            dispatcher.deliverDueNow();

            JsonNode event = JSON.readTree(receiver.takeRequest(1, TimeUnit.SECONDS).getBody()
                    .readUtf8());
            assertThat(event.path("approvers").toString()).isEqualTo("["
                    + "{\"user_id\":\"U0ALICE\",\"channel\":\"sms\",\"phone_last4\":\"0123\"},"
                    + "{\"user_id\":\"U0BOB\",\"channel\":\"call\",\"phone_last4\":\"0456\"}]");
            assertThat(event.path("verification_channels").toString())
                    .isEqualTo("[\"sms\",\"call\"]");
            assertThat(event.path("amount").asText()).isEqualTo("25000.00");
        }
    }

    @Test
    void answersOf500AreRetriedAtTheBackoffTimesAndDeliveredOnce() throws Exception {
        ApprovalRequest request = fixture.approve(ALICE, payment("19.99", "EUR", "Globex", null));
        receiver.enqueue(new MockResponse().setResponseCode(500));
        receiver.enqueue(new MockResponse().setResponseCode(500));
        receiver.enqueue(new MockResponse().setResponseCode(200));
        WebhookDispatcher dispatcher = dispatcher();

        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        assertThat(nextDue()).isEqualTo(START.plusSeconds(5));
        assertThat(outboxRow(request)).containsExactly("PENDING", 1, "HTTP 500");

        clock.advance(Duration.ofMillis(4_999));
        assertThat(dispatcher.deliverDueNow()).as("not due before 5 s").isZero();
        clock.set(START.plusSeconds(5));
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
        assertThat(nextDue()).isEqualTo(START.plusSeconds(5 + 10));

        clock.set(START.plusSeconds(14));
        assertThat(dispatcher.deliverDueNow()).as("not due before 10 s more").isZero();
        clock.set(START.plusSeconds(15));
        assertThat(dispatcher.deliverDueNow()).isEqualTo(1);

        assertThat(receiver.getRequestCount()).isEqualTo(3);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordedRequest post = receiver.takeRequest(1, TimeUnit.SECONDS);
            keys.add(post.getHeader("Idempotency-Key"));
            // Each attempt is signed afresh, so a receiver's five-minute window always holds.
            assertThat(WebhookSigner.verify(SECRET, post.getHeader("Countersign-Timestamp"),
                    post.getBody().readUtf8(), post.getHeader("Countersign-Signature"),
                    clock.instant())).isTrue();
        }
        assertThat(keys).containsOnly(request.id());
        assertThat(outboxRow(request)).containsExactly("DELIVERED", 3, null);
        assertThat(audit(request, "webhook.delivered")).singleElement()
                .satisfies(row -> assertThat(JSON.readTree(row.details()).path("attempts")
                        .asText()).isEqualTo("3"));
        clock.advance(Duration.ofHours(1));
        assertThat(dispatcher.deliverDueNow()).isZero();
    }

    @Test
    void pendingMessageIsDeliveredAfterARestart() throws Exception {
        ApprovalRequest request = fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        receiver.enqueue(new MockResponse().setResponseCode(502));
        WebhookDispatcher before = dispatcher();
        before.deliverDueNow();
        before.close();

        fixture.reopen();
        clock.advance(Duration.ofSeconds(5));
        receiver.enqueue(new MockResponse().setResponseCode(204));
        assertThat(dispatcher().deliverDueNow()).isEqualTo(1);

        assertThat(receiver.getRequestCount()).isEqualTo(2);
        assertThat(outboxRow(request)).containsExactly("DELIVERED", 2, null);
        assertThat(audit(request, "webhook.delivered")).hasSize(1);
    }

    @Test
    void afterADayOfFailuresTheMessageIsDeadAndReportedOnce() {
        ApprovalRequest request = fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest recorded) {
                return new MockResponse().setResponseCode(500);
            }
        });
        WebhookDispatcher dispatcher = dispatcher();

        int passes = 0;
        while (!"DEAD".equals(outboxRow(request).get(0))) {
            clock.set(nextDue());
            assertThat(dispatcher.deliverDueNow()).isEqualTo(1);
            assertThat(++passes).isLessThan(1_000);
        }

        // 7 doublings (0 s … 315 s), every 10 minutes from 635 s, and a last try at 24 h.
        assertThat(receiver.getRequestCount()).isEqualTo(151);
        assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofHours(24)));
        assertThat(outboxRow(request)).containsExactly("DEAD", 151, "HTTP 500");
        assertThat(deadLetters).containsExactly(request.reference() + ": HTTP 500");
        assertThat(audit(request, "webhook.dead")).singleElement()
                .satisfies(row -> assertThat(row.details()).contains("\"attempts\":\"151\"",
                        "\"error\":\"HTTP 500\""));
        clock.advance(Duration.ofDays(2));
        assertThat(dispatcher.deliverDueNow()).isZero();
        assertThat(receiver.getRequestCount()).isEqualTo(151);
    }

    @Test
    void requestChangedInTheDatabaseIsNeverSent() {
        ApprovalRequest request = fixture.approve(ALICE,
                payment("2500", "USD", "Acme Corp", "INV-1042"));
        fixture.sql("UPDATE requests SET action_json = "
                + "'{\"currency\":\"USD\",\"amount\":\"2500.00\",\"payee\":\"Mallory Ltd\","
                + "\"memo\":\"INV-1042\"}' WHERE id = '" + request.id() + "'");

        assertThat(dispatcher().deliverDueNow()).isEqualTo(1);

        assertThat(receiver.getRequestCount()).isZero();
        assertThat(outboxRow(request).get(0)).isEqualTo("DEAD");
        assertThat(deadLetters).singleElement().asString().contains("digest mismatch");
        assertThat(audit(request, "webhook.dead")).singleElement()
                .satisfies(row -> assertThat(row.details()).contains("digest mismatch"));
        assertThat(dispatcher().deliverDueNow()).isZero();
    }

    @Test
    void eventChangedInTheOutboxIsNeverSent() {
        ApprovalRequest request = fixture.approve(ALICE,
                payment("2500", "USD", "Acme Corp", "INV-1042"));
        fixture.sql("UPDATE outbox SET payload = replace(payload, 'Acme Corp', 'Mallory Ltd')");

        dispatcher().deliverDueNow();

        assertThat(receiver.getRequestCount()).isZero();
        assertThat(outboxRow(request).get(0)).isEqualTo("DEAD");
        // The entry's seal catches the edit first: the payload is no longer what was sealed.
        assertThat(deadLetters).singleElement().asString().contains("seal does not verify");
    }

    @Test
    void approvedPaymentRewrittenWithItsDigestRecomputedIsNeverSent() {
        ApprovalRequest approved = fixture.approve(ALICE,
                payment("100", "USD", "Acme Corp", null));
        // The attacker rewrites the request, recomputes its SHA-256 digest, and makes the
        // outbox event say the same.
        fixture.sql("UPDATE requests SET action_json = replace(replace(action_json, 'Acme Corp', "
                + "'Mallory Ltd'), '100.00', '99000.00') WHERE id = '" + approved.id() + "'");
        ApprovalRequest rewritten = fixture.store().read(tx -> tx.requests()
                .find(approved.id())).orElseThrow();
        String forged = ActionDigest.of(rewritten.id(), rewritten.requester(),
                rewritten.action(), rewritten.createdAt());
        fixture.sql("UPDATE requests SET digest = '" + forged + "' WHERE id = '" + approved.id()
                        + "'",
                "UPDATE outbox SET payload = replace(replace(replace(payload, 'Acme Corp', "
                        + "'Mallory Ltd'), '100.00', '99000.00'), '" + approved.digest() + "', '"
                        + forged + "')");

        dispatcher().deliverDueNow();

        assertThat(receiver.getRequestCount()).isZero();
        assertThat(outboxRow(approved).get(0)).isEqualTo("DEAD");
        assertThat(deadLetters).singleElement().asString().startsWith(approved.reference());
    }

    @Test
    void outboxRowAddedForACancelledRequestIsNeverDelivered() {
        ApprovalRequest approved = fixture.approve(ALICE,
                payment("100", "USD", "Acme Corp", null));
        receiver.enqueue(new MockResponse().setResponseCode(200));
        dispatcher().deliverDueNow();
        assertThat(receiver.getRequestCount()).isEqualTo(1);
        receiver.enqueue(new MockResponse().setResponseCode(200));
        ApprovalRequest cancelled = fixture.open(ALICE, payment("100", "USD", "Acme Corp", null))
                .request();
        fixture.approvals().cancellation().cancel(cancelled.id(), ALICE, "changed my mind");
        // A copy of the delivered event, made to name the cancelled request.
        fixture.sql("INSERT INTO outbox (request_id, payload, state, attempts, created_at, "
                + "next_attempt_at) SELECT '" + cancelled.id() + "', replace(replace(payload, '"
                + approved.id() + "', '" + cancelled.id() + "'), '" + approved.digest() + "', '"
                + cancelled.digest() + "'), 'PENDING', 0, created_at, created_at "
                + "FROM outbox WHERE request_id = '" + approved.id() + "'");

        dispatcher().deliverDueNow();

        assertThat(receiver.getRequestCount()).isEqualTo(1);
        assertThat(outboxRow(cancelled).get(0)).isEqualTo("DEAD");
        assertThat(deadLetters).anySatisfy(line -> assertThat(line)
                .startsWith(cancelled.reference()));
    }

    @Test
    void redirectIsAFailureAndIsNotFollowed() throws Exception {
        ApprovalRequest request = fixture.approve(ALICE, payment("10", "USD", "Acme Corp", null));
        receiver.enqueue(new MockResponse().setResponseCode(302)
                .setHeader("Location", receiver.url("/elsewhere")));
        receiver.enqueue(new MockResponse().setResponseCode(200));

        dispatcher().deliverDueNow();

        assertThat(receiver.getRequestCount()).isEqualTo(1);
        assertThat(outboxRow(request)).containsExactly("PENDING", 1, "HTTP 302");
    }

    @Test
    void unavailableWithRetryAfterZeroIsNotRetriedAtOnce() {
        ApprovalRequest request = fixture.approve(ALICE, payment("10", "USD", "Acme Corp", null));
        receiver.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "0"));
        receiver.enqueue(new MockResponse().setResponseCode(200));

        dispatcher().deliverDueNow();

        assertThat(receiver.getRequestCount()).isEqualTo(1);
        assertThat(outboxRow(request)).containsExactly("PENDING", 1, "HTTP 503");
    }

    @Test
    void receiverThatNeverAnswersCountsAsAFailedAttempt() {
        ApprovalRequest request = fixture.approve(ALICE, payment("10", "USD", "Acme Corp", null));
        receiver.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        OkHttpClient impatient = WebhookDispatcher.newHttpClient().newBuilder()
                .callTimeout(Duration.ofMillis(300)).build();

        dispatcher(impatient).deliverDueNow();

        assertThat(outboxRow(request)).containsExactly("PENDING", 1, "no answer in time");
        assertThat(nextDue()).isAfterOrEqualTo(START.plusSeconds(5));
    }

    @Test
    void startedDispatcherDeliversWhenWoken() throws Exception {
        ApprovalRequest request = fixture.approve(ALICE, payment("10", "USD", "Acme Corp", null));
        receiver.enqueue(new MockResponse().setResponseCode(200));
        WebhookDispatcher dispatcher = dispatcher();

        dispatcher.start();
        dispatcher.wake();
        RecordedRequest post = receiver.takeRequest(10, TimeUnit.SECONDS);
        dispatcher.close(); // waits for the pass in flight to record its outcome

        assertThat(post).isNotNull();
        assertThat(outboxRow(request)).containsExactly("DELIVERED", 1, null);
    }

    @Test
    void logsNameTheReferenceButNeverTheSecretOrThePayload() {
        // The whole package: the dispatcher, the delivery and the outcome recorder all log.
        Logger logger = (Logger) LoggerFactory.getLogger("dev.countersign.webhook");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            ApprovalRequest request = fixture.approve(ALICE,
                    payment("2500", "USD", "Acme Corp", "INV-1042"));
            receiver.enqueue(new MockResponse().setResponseCode(500));
            receiver.enqueue(new MockResponse().setResponseCode(200));
            WebhookDispatcher dispatcher = dispatcher();
            dispatcher.deliverDueNow();
            clock.advance(Duration.ofSeconds(5));
            dispatcher.deliverDueNow();

            assertThat(logs.list).hasSize(2);
            assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains(request.reference())
                    .doesNotContain(SECRET, "Acme Corp", "INV-1042", request.digest()));
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void receiverHangingOnOneApprovalDoesNotHoldBackTheNext() throws Exception {
        ApprovalRequest hanging = fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        clock.advance(Duration.ofSeconds(1)); // due after the hanging one, so it queues behind it
        ApprovalRequest next = fixture.approve(ALICE, payment("10", "USD", "Globex", null));
        CountDownLatch hangingArrived = new CountDownLatch(1);
        CountDownLatch letItAnswer = new CountDownLatch(1);
        AtomicInteger hangingPosts = new AtomicInteger();
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
                if (hanging.id().equals(recorded.getHeader("Idempotency-Key"))) {
                    hangingPosts.incrementAndGet();
                    hangingArrived.countDown();
                    letItAnswer.await(20, TimeUnit.SECONDS);
                }
                return new MockResponse().setResponseCode(200);
            }
        });
        WebhookDispatcher dispatcher = dispatcher();
        try {
            dispatcher.start();
            dispatcher.wake();
            assertThat(hangingArrived.await(10, TimeUnit.SECONDS)).isTrue();

            // Well inside the 15 s the hanging call may take: one at a time would fail here.
            awaitState(next, "DELIVERED", Duration.ofSeconds(5));
            assertThat(outboxRow(hanging)).containsExactly("PENDING", 0, null);
            assertThat(dispatcher.deliverDueNow()).as("a delivery under way is not started twice")
                    .isZero();
        } finally {
            letItAnswer.countDown();
        }
        awaitState(hanging, "DELIVERED", Duration.ofSeconds(10));
        assertThat(outboxRow(hanging)).containsExactly("DELIVERED", 1, null);
        assertThat(hangingPosts).hasValue(1);
        assertThat(audit(hanging, "webhook.delivered")).hasSize(1);
        assertThat(audit(next, "webhook.delivered")).hasSize(1);
    }

    @Test
    void receiverGetsAtMostFourDeliveriesAtOnceAndAllOfThemInTheEnd() throws Exception {
        List<ApprovalRequest> requests = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            requests.add(fixture.approve(ALICE, payment(Integer.toString(i), "USD", "Acme", null)));
        }
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        // Holds the first POSTs until four are under way together, or gives up after 10 s.
        CountDownLatch fourTogether = new CountDownLatch(WebhookDispatcher.MAX_IN_FLIGHT);
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
                mostAtOnce.accumulateAndGet(underWay.incrementAndGet(), Math::max);
                fourTogether.countDown();
                fourTogether.await(10, TimeUnit.SECONDS);
                underWay.decrementAndGet();
                return new MockResponse().setResponseCode(200);
            }
        });
        WebhookDispatcher dispatcher = dispatcher();

        dispatcher.start();
        dispatcher.wake();

        for (ApprovalRequest request : requests) {
            awaitState(request, "DELIVERED", Duration.ofSeconds(20));
        }
        assertThat(WebhookDispatcher.MAX_IN_FLIGHT).isEqualTo(4);
        assertThat(mostAtOnce).hasValue(4);
        assertThat(receiver.getRequestCount()).isEqualTo(7);
    }

    @Test
    void closeDuringAHangingDeliveryLeavesTheMessagePendingForTheNextStart() throws Exception {
        ApprovalRequest request = fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch letItAnswer = new CountDownLatch(1);
        AtomicInteger posts = new AtomicInteger();
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
                if (posts.incrementAndGet() == 1) {
                    firstArrived.countDown();
                    letItAnswer.await(20, TimeUnit.SECONDS);
                }
                return new MockResponse().setResponseCode(200);
            }
        });
        WebhookDispatcher before = new WebhookDispatcher(fixture.store(), fixture.store().keys(),
                receiver.url("/hooks/countersign").uri(), new WebhookSigner(SECRET),
                WebhookDispatcher.newHttpClient(), clock,
                (dead, error) -> deadLetters.add(dead.reference() + ": " + error),
                Duration.ofMillis(300));
        dispatchers.add(before);
        long closedIn;
        try {
            before.start();
            before.wake();
            assertThat(firstArrived.await(10, TimeUnit.SECONDS)).isTrue();

            long closing = System.nanoTime();
            before.close();
            closedIn = System.nanoTime() - closing;
        } finally {
            letItAnswer.countDown();
        }

        assertThat(Duration.ofNanos(closedIn)).as("close waits a bounded time")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(outboxRow(request)).as("untouched: not dead, not counted")
                .containsExactly("PENDING", 0, null);
        assertThat(nextDue()).isEqualTo(START);
        assertThat(deadLetters).isEmpty();
        assertThat(audit(request, "webhook.dead")).isEmpty();
        assertThat(audit(request, "webhook.delivered")).isEmpty();

        fixture.reopen();
        assertThat(dispatcher().deliverDueNow()).isEqualTo(1);
        assertThat(posts).hasValue(2);
        assertThat(outboxRow(request)).containsExactly("DELIVERED", 1, null);
        assertThat(audit(request, "webhook.delivered")).hasSize(1);
    }

    private WebhookDispatcher dispatcher() {
        return dispatcher(WebhookDispatcher.newHttpClient());
    }

    private WebhookDispatcher dispatcher(OkHttpClient client) {
        WebhookDispatcher dispatcher = new WebhookDispatcher(fixture.store(), fixture.store().keys(),
                receiver.url("/hooks/countersign").uri(), new WebhookSigner(SECRET), client, clock,
                (request, error) -> deadLetters.add(request.reference() + ": " + error));
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    /** Polls the outbox row until it is in {@code state}, failing at the deadline. */
    private void awaitState(ApprovalRequest request, String state, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!state.equals(outboxRow(request).get(0))) {
            assertThat(System.nanoTime()).as("%s %s within %s", request.reference(), state, within)
                    .isLessThan(deadline);
            Thread.sleep(10); // polling interval, bounded by the deadline above
        }
    }

    private Instant nextDue() {
        return fixture.store().read(tx -> tx.outbox().nextDue()).orElseThrow();
    }

    /** state, attempts, last_error. */
    private List<Object> outboxRow(ApprovalRequest request) {
        return fixture.rows("SELECT state, attempts, last_error FROM outbox WHERE request_id = '"
                + request.id() + "'").get(0);
    }

    private List<AuditRecord> audit(ApprovalRequest request, String type) {
        return fixture.store().read(tx -> tx.audit().ofRequest(request.id())).stream()
                .filter(row -> row.type().equals(type)).toList();
    }
}

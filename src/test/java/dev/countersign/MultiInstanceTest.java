package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditVerification;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import dev.countersign.testing.ChildServer;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.StorageEngine;
import dev.countersign.testing.TestApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real servers (child JVMs) on one PostgreSQL database, as behind a load balancer: each
 * flow's command reaches one instance, its code submission another, and for a large payment the
 * second approver's click and code a third. The instance sending the webhooks is killed
 * (SIGKILL) while flows run, and the survivors carry on, one of them taking the outbox over.
 * Then: every approval happened exactly once, each sent its webhook (twice at most for the one
 * delivery the kill may have cut short), and the audit trail verifies.
 */
@Timeout(240)
class MultiInstanceTest {

    /** The deliveries one dispatcher has under way at once (WebhookDispatcher.MAX_IN_FLIGHT). */
    private static final int DELIVERIES_IN_FLIGHT = 4;

    private static final int INSTANCES = 3;
    private static final int REQUESTERS = 4;
    private static final int FLOWS_EACH = 6;
    private static final String CHANNEL = "C0APPROVALS";
    private static final String APPROVER = "U0APPROVER1";
    private static final Duration STEP = Duration.ofSeconds(10);
    /** A dead instance's jobs (the webhook outbox) are taken over within a minute. */
    private static final Duration WEBHOOKS_DONE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_JOB = "webhook-outbox";
    private static final String SWEEP_JOB = "expiry-sweep";
    private static final String NOTICES_JOB = "follow-up-notices";
    private static final String ANCHOR_JOB = "audit-anchor";

    @TempDir
    Path dir;

    private StorageEngine.TestDatabase storage;
    private FakeSlackApi slack;
    private FakeSignalWire signalWire;
    private MockWebServer receiver;
    private final List<ChildServer> servers = new ArrayList<>();
    private final List<SlackClient> clients = new ArrayList<>();
    private final Set<Integer> killed = ConcurrentHashMap.newKeySet();
    /** Webhook deliveries the receiver took, by approval id. */
    private final Map<String, AtomicInteger> webhooks = new ConcurrentHashMap<>();
    /** Requests a person was shown as approved. */
    private final List<String> shownApproved = new CopyOnWriteArrayList<>();
    private final AtomicInteger interrupted = new AtomicInteger();
    private final AtomicInteger flowNumbers = new AtomicInteger();

    @AfterEach
    void stopEverything() throws IOException {
        servers.forEach(ChildServer::close);
        if (slack != null) {
            slack.close();
        }
        if (signalWire != null) {
            signalWire.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void flowsSpreadOverThreeInstancesWithOneKilledApproveEachRequestExactlyOnce()
            throws Exception {
        long began = System.nanoTime();
        storage = StorageEngine.postgresSchema();
        startInstances();
        enroll(APPROVER, "+12015550177");
        List<String> requesters = new ArrayList<>();
        for (int i = 1; i <= REQUESTERS; i++) {
            requesters.add(String.format("U0MULTI%04d", i));
        }
        requesters.forEach(user -> enroll(user, TestApp.PHONE));

        ExecutorService people = Executors.newFixedThreadPool(REQUESTERS);
        List<Future<?>> flows = new ArrayList<>();
        for (String user : requesters) {
            flows.add(people.submit(() -> {
                for (int i = 0; i < FLOWS_EACH; i++) {
                    oneFlow(user);
                }
            }));
        }
        // Mid-flow: once a few approvals are through, the instance sending the webhooks dies.
        TestApp.awaitCondition(() -> shownApproved.size() >= REQUESTERS, Duration.ofSeconds(60),
                "the first approvals");
        int victim = runnerOf(WEBHOOK_JOB).orElseThrow(() -> new AssertionError(
                "no instance runs the webhook outbox"));
        servers.get(victim).kill();
        killed.add(victim);
        people.shutdown();
        for (Future<?> flow : flows) {
            flow.get(150, TimeUnit.SECONDS);
        }

        List<String> approved = approvedActions();
        TestApp.awaitCondition(() -> approved.stream().allMatch(webhooks::containsKey), WEBHOOKS_DONE,
                "a webhook for every approval");
        int successor = runnerOf(WEBHOOK_JOB).filter(index -> index != victim).orElseThrow(
                () -> new AssertionError("no survivor took the webhook outbox over"));
        // The other loops run on one live instance each: a dead holder's are taken over.
        TestApp.awaitCondition(() -> liveRunners(SWEEP_JOB) == 1 && liveRunners(NOTICES_JOB) == 1,
                Duration.ofSeconds(40), "one live instance sweeping and giving notices");
        // The anchor (at start, then hourly) is claimed once: the others never try it again
        // within the hour this test lasts.
        assertThat(instancesLogging("now runs the " + ANCHOR_JOB + " job")).as("anchor claims")
                .isEqualTo(1);
        for (int i = 0; i < INSTANCES; i++) {
            if (!killed.contains(i)) {
                servers.get(i).stop();
            }
        }

        String diagnosis = "logs:\n" + servers.get(0).logTail() + "\n" + servers.get(1).logTail();
        assertThat(shownApproved).as("approvals a person saw").isNotEmpty()
                .allSatisfy(id -> assertThat(approved).contains(id));
        Map<String, Integer> approvedRows = auditCounts("request.approved");
        assertThat(approvedRows.values()).as("approved at most once each: " + diagnosis)
                .allMatch(count -> count == 1);
        assertThat(approvedRows.keySet()).containsAll(approved);
        // At least once: a delivery under way when its instance died is sent again by the next
        // one (receivers dedupe on the event id). Only those may arrive twice, and a dispatcher
        // has at most four under way (WebhookDispatcher.MAX_IN_FLIGHT); each at most twice.
        List<String> twice = approved.stream().filter(id -> webhooks.get(id).get() > 1).toList();
        assertThat(twice).as("approvals whose webhook came twice")
                .hasSizeLessThanOrEqualTo(DELIVERIES_IN_FLIGHT);
        assertThat(approved).as("one webhook per approval").allSatisfy(id ->
                assertThat(webhooks.get(id).get()).as(id).isBetween(1, twice.contains(id) ? 2 : 1));
        assertThat(webhooks.keySet()).as("no webhook for anything unapproved")
                .allMatch(approved::contains);
        try (Database database = StorageEngine.open(storage.url())) {
            assertThat(new AuditVerification(new SqliteStore(database),
                    new AuditChain(database.keys())).verify())
                    .as(diagnosis).isInstanceOf(AuditVerification.Result.Intact.class);
        }
        System.out.printf("multi-instance test: %d instances on one PostgreSQL, %d flows, "
                        + "%d instance killed (SIGKILL, the webhook sender; instance %d took "
                        + "over), %d flows cut short by the kill, %d approvals (%d of them with "
                        + "a second approver), each approved exactly once; webhooks: %d approvals "
                        + "with one, %d with two (in flight at the kill); sweep, notices and "
                        + "anchor each on one instance; audit trail intact; %.1f s%n",
                INSTANCES, flowNumbers.get(), killed.size(), successor, interrupted.get(),
                approved.size(),
                auditCounts("request.awaiting_second_approver").size(),
                approved.size() - twice.size(), twice.size(), (System.nanoTime() - began) / 1e9);
    }

    // --- the flows ----------------------------------------------------------------------------

    /**
     * {@code /approve pay …} on one instance, the code on the next; every third one is large
     * enough for dual control, and the approver's click and code go to the one after.
     */
    private void oneFlow(String user) {
        int number = flowNumbers.incrementAndGet();
        String payee = "Payee-" + number;
        boolean dual = number % 3 == 0;
        String amount = dual ? "12000" : Integer.toString(100 + number);
        try {
            SlackClient.Reply ack = client(number).command("pay " + amount + " USD to " + payee,
                    user);
            if (ack.status() != 200 || !ack.body().isEmpty()) {
                interrupted.incrementAndGet();
                return;
            }
            Optional<Modal> modal = codeModal(ack.triggerId());
            if (modal.isEmpty()) {
                interrupted.incrementAndGet();
                return;
            }
            String requestId = modal.get().requestId();
            SlackClient.Reply confirmed = client(number + 1).submitCode(modal.get().viewId(),
                    requestId, user, FakeSignalWire.DEFAULT_CODE);
            if (!dual) {
                if (confirmed.body().contains("*Approved.*")) {
                    shownApproved.add(requestId);
                } else {
                    interrupted.incrementAndGet();
                }
                return;
            }
            secondApproval(number, payee, requestId);
        } catch (UncheckedIOException | AssertionError cutShortByTheKill) {
            interrupted.incrementAndGet();
        }
    }

    private void secondApproval(int number, String payee, String requestId) {
        FakeSlackApi.Call posted = slack.await("chat.postMessage",
                call -> CHANNEL.equals(call.params().get("channel"))
                        && call.text().contains(payee) && call.answered() != null, STEP);
        String ts = posted.answered().path("ts").asText();
        SlackClient.Reply click = client(number + 2).messageButton(CHANNEL, ts, APPROVER,
                "countersign_second_approve", requestId);
        Optional<Modal> modal = codeModal(click.triggerId());
        if (modal.isEmpty()) {
            interrupted.incrementAndGet();
            return;
        }
        SlackClient.Reply approved = client(number).submitCode(modal.get().viewId(), requestId,
                APPROVER, FakeSignalWire.DEFAULT_CODE);
        if (approved.body().contains("*Approved.*")) {
            shownApproved.add(requestId);
        } else {
            interrupted.incrementAndGet();
        }
    }

    /** The instance the load balancer sends the {@code n}th call to: a live one. */
    private SlackClient client(int n) {
        for (int i = 0; i < INSTANCES; i++) {
            int index = (n + i) % INSTANCES;
            if (!killed.contains(index)) {
                return clients.get(index);
            }
        }
        throw new IllegalStateException("no instance alive");
    }

    private record Modal(String viewId, String requestId) {
    }

    /** The code modal a trigger opened, once it says the code went out. */
    private Optional<Modal> codeModal(String triggerId) {
        Optional<FakeSlackApi.Call> open = awaitCall("views.open",
                call -> triggerId.equals(call.params().get("trigger_id"))
                        && call.answered() != null);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        String viewId = open.get().viewId();
        String requestId = open.get().jsonParam("view").path("private_metadata").asText();
        return awaitCall("views.update", call -> viewId.equals(call.params().get("view_id"))
                && call.text().contains("We sent")).map(update -> new Modal(viewId, requestId));
    }

    /** Waits for a Slack call; empty at the deadline (a flow the kill cut short). */
    private Optional<FakeSlackApi.Call> awaitCall(String method,
                                                  Predicate<FakeSlackApi.Call> match) {
        return slack.awaitWhile(method, match, STEP, () -> true);
    }

    private void enroll(String user, String phone) {
        SlackClient.Reply ack = client(0).command("enroll " + phone, user);
        assertThat(ack.body()).isEmpty();
        Modal modal = codeModal(ack.triggerId()).orElseThrow(() -> new AssertionError(
                "no enrollment modal for " + user + "\n" + servers.get(0).logTail()));
        SlackClient.Reply reply = client(1).submitCode(modal.viewId(), modal.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(reply.body()).doesNotContain("\"errors\"");
    }

    // --- set-up -------------------------------------------------------------------------------

    private void startInstances() throws Exception {
        slack = FakeSlackApi.start();
        signalWire = FakeSignalWire.start();
        receiver = new MockWebServer();
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    JsonNode event = JSON.readTree(request.getBody().readUtf8());
                    webhooks.computeIfAbsent(event.path("id").asText(),
                            id -> new AtomicInteger()).incrementAndGet();
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400);
                }
                return new MockResponse().setResponseCode(204);
            }
        });
        receiver.start();
        Map<String, String> env = new HashMap<>(ChildServer.envFor(slack, signalWire,
                storage.url()));
        env.put("MAX_CODES_PER_USER_PER_HOUR", "1000000");
        env.put("MAX_CODES_PER_TEAM_PER_DAY", "100000000");
        env.put("DUAL_CONTROL_THRESHOLDS", "USD:10000");
        env.put("APPROVALS_CHANNEL", CHANNEL);
        env.put("APPROVER_USER_IDS", APPROVER);
        env.put("APPROVAL_WEBHOOK_URL", receiver.url("/countersign").toString());
        env.put("APPROVAL_WEBHOOK_SECRET", "0123456789abcdef0123456789abcdef");
        ExecutorService starting = Executors.newFixedThreadPool(INSTANCES);
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            Path workDir = Files.createDirectories(dir.resolve("instance-" + i));
            ChildServer server = new ChildServer(env, ChildServer.freePort(), workDir);
            servers.add(server);
            clients.add(new SlackClient(server.baseUrl(), env.get("SLACK_SIGNING_SECRET"),
                    slack));
            // The first two together: they migrate the empty schema under one lock, once. The
            // third after them, so three JVMs starting at once on two busy cores stay within
            // the child's start-up deadline.
            if (i == INSTANCES - 1) {
                for (Future<?> each : started) {
                    each.get(90, TimeUnit.SECONDS);
                }
            }
            started.add(starting.submit(server::start));
        }
        for (Future<?> each : started) {
            each.get(90, TimeUnit.SECONDS);
        }
        starting.shutdown();
    }

    /**
     * The live instance whose log says it took {@code job}: a claim lasts as long as its
     * instance, so while all are alive only the holder has said so.
     */
    /** How many instances still alive have claimed {@code job}. */
    private int liveRunners(String job) {
        int runners = 0;
        for (int i = 0; i < INSTANCES; i++) {
            if (!killed.contains(i) && logOf(i).contains("now runs the " + job + " job")) {
                runners++;
            }
        }
        return runners;
    }

    /** How many instances, the killed one too, logged {@code text}. */
    private int instancesLogging(String text) {
        int logging = 0;
        for (int i = 0; i < INSTANCES; i++) {
            if (logOf(i).contains(text)) {
                logging++;
            }
        }
        return logging;
    }

    private String logOf(int instance) {
        try {
            return Files.readString(dir.resolve("instance-" + instance).resolve("child.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Integer> runnerOf(String job) {
        for (int i = 0; i < INSTANCES; i++) {
            if (killed.contains(i)) {
                continue;
            }
            try {
                String log = Files.readString(dir.resolve("instance-" + i).resolve("child.log"));
                if (log.contains("now runs the " + job + " job")) {
                    return Optional.of(i);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    // --- what the database holds --------------------------------------------------------------

    /** Approved payments (enrollments send no webhook). */
    private List<String> approvedActions() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(storage.url());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM requests "
                     + "WHERE status = 'APPROVED' AND kind = 'payment'")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private Map<String, Integer> auditCounts(String type) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(storage.url());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT request_id, COUNT(*) FROM "
                     + "audit_events WHERE type = '" + type + "' GROUP BY request_id")) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
        }
        return counts;
    }
}

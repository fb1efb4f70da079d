package dev.countersign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.approval.RequestStatus;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditVerification;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import dev.countersign.testing.ChildServer;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.SlackClient;
import dev.countersign.testing.TestApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Kills the real server (a child JVM) with SIGKILL at random moments while several people run
 * approval flows against it, restarts it on the same port and SQLite file, and then reads the
 * file: every request Slack was acknowledged for is there, every state is legal and consistent,
 * and the audit trail is intact and has exactly the rows each state calls for. Also: a code modal
 * opened before a kill can still approve after the restart.
 *
 * <p>The seed ({@code -Dcrash.seed=…}) fixes the kill schedule and each person's choices; thread
 * timing still varies from run to run, which is the point.
 */
class CrashRecoveryTest {

    private static final long SEED = Long.getLong("crash.seed", 0xC0FFEEL);
    private static final int USERS = 6;
    private static final int RANDOM_KILLS = 4;
    /** How long a step of a flow may take while the server is up. */
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final Duration FLOWS_DONE = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A command answered with an empty 200: Countersign stored the request, then said so. */
    private record Acked(String user, String payee) {
    }

    @TempDir
    Path dir;

    private FakeSlackApi slack;
    private FakeSignalWire signalWire;
    private ChildServer child;
    private SlackClient client;

    private final AtomicInteger payees = new AtomicInteger();
    private final Queue<Acked> acked = new ConcurrentLinkedQueue<>();
    /** What a person was shown at the end of a flow, by request id: the store must agree. */
    private final Map<String, RequestStatus> shown = new ConcurrentHashMap<>();
    private final AtomicInteger clientErrors = new AtomicInteger();
    private final AtomicBoolean chaosOver = new AtomicBoolean();

    @AfterEach
    void stopEverything() {
        if (child != null) {
            child.close();
        }
        if (slack != null) {
            slack.close();
        }
        if (signalWire != null) {
            signalWire.close();
        }
    }

    @Test
    void acknowledgedRequestsSurviveSigkillInLegalStatesWithCompleteAuditTrail() throws Exception {
        long began = System.nanoTime();
        String databaseUrl = "jdbc:sqlite:" + dir.resolve("countersign.db");
        startChild(databaseUrl);
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= USERS; i++) {
            users.add(String.format("U0CRASH%03d", i));
        }
        users.forEach(this::enroll);

        ExecutorService people = Executors.newFixedThreadPool(USERS);
        List<Future<?>> flows = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String user = users.get(i);
            Random choices = new Random(SEED + i + 1);
            flows.add(people.submit(() -> drive(user, choices)));
        }
        int kills = chaos(new Random(SEED));
        chaosOver.set(true);
        people.shutdown();
        for (Future<?> flow : flows) {
            flow.get(FLOWS_DONE.toSeconds(), TimeUnit.SECONDS);
        }

        modalOpenedBeforeKillApprovesAfterRestart(users.get(0));
        kills++;
        int exit = child.stop();
        assertThat(exit).as("graceful stop").isIn(0, ChildServer.TERMINATED);

        String diagnosis = "seed " + SEED + "; child log tail:\n" + child.logTail();
        assertThat(acked).as("flows that got as far as an acknowledgement")
                .hasSizeGreaterThan(2 * USERS);
        Stored stored = read(databaseUrl);
        assertThat(problems(stored)).as(diagnosis).isEmpty();
        try (Database database = Database.open(databaseUrl)) {
            assertThat(new AuditVerification(new SqliteStore(database),
                    new AuditChain(database.keys())).verify())
                    .as(diagnosis).isInstanceOf(AuditVerification.Result.Intact.class);
        }
        System.out.printf("crash test (seed %d): %d kills, %d acknowledged commands, %d requests "
                        + "stored %s, open ones by latest code %s, %d client errors while down, "
                        + "%.1f s%n", SEED, kills, acked.size(), stored.requests().size(),
                stored.statusCounts(), stored.openByLatestCode(), clientErrors.get(),
                (System.nanoTime() - began) / 1e9);
    }

    private static final String APPROVALS = "C0APPROVALS";
    private static final String REQUESTER = "U0CRASHREQ1";
    private static final String APPROVER = "U0CRASHAPR1";
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    /**
     * Dual control: the requester's code, then the approver's, which takes long enough that the
     * modal says "Checking…". The approval commits and the server dies before Slack hears any of
     * it. After the restart each thing people must see arrives once: both modals show the
     * approval, the result is posted where the request was made, and the approvals-channel
     * message shows the outcome.
     */
    @Test
    void aKillAfterTheDecisionCommitsIsFollowedAfterRestartByEachAnnouncementExactlyOnce()
            throws Exception {
        String databaseUrl = "jdbc:sqlite:" + dir.resolve("countersign.db");
        startChild(databaseUrl, Map.of("DUAL_CONTROL_THRESHOLDS", "USD:10000,*:10000",
                "APPROVALS_CHANNEL", APPROVALS, "APPROVER_USER_IDS", APPROVER));
        enroll(REQUESTER, TestApp.PHONE);
        enroll(APPROVER, "+12015550456");
        int generation = child.generation();
        SlackClient.Reply ack = client.command("pay 12,000 USD to Wayne Enterprises", REQUESTER);
        Modal asked = codeModal(ack, generation).orElseThrow(() -> new AssertionError(
                "no code modal for the requester\n" + child.logTail()));
        assertThat(client.submitCode(asked.viewId(), asked.requestId(), REQUESTER,
                FakeSignalWire.DEFAULT_CODE).body()).contains("second approver");
        FakeSlackApi.Call posted = slack.await("chat.postMessage",
                call -> APPROVALS.equals(call.params().get("channel"))
                        && call.answered() != null, STEP);
        String ts = posted.answered().path("ts").asText();
        SlackClient.Reply click = client.messageButton(APPROVALS, ts, APPROVER,
                "countersign_second_approve", asked.requestId());
        Modal approving = codeModal(click, generation).orElseThrow(() -> new AssertionError(
                "no code modal for the approver\n" + child.logTail()));
        CountDownLatch release = new CountDownLatch(1);
        slack.lose(release, "views.update", "chat.update", "chat.postMessage", "response_url");
        signalWire.delayVerify(Duration.ofSeconds(3)); // past the 2.3 s: "Checking…"

        SlackClient.Reply checking = client.submitCode(approving.viewId(), approving.requestId(),
                APPROVER, FakeSignalWire.DEFAULT_CODE);
        assertThat(checking.body()).contains("Checking");
        TestApp.awaitCondition(() -> !slack.lostCalls().isEmpty(),
                "a Slack call after the approval committed");
        child.kill();
        release.countDown();
        signalWire.delayVerify(Duration.ZERO);
        assertThat(storedStatus(databaseUrl, asked.requestId()))
                .isEqualTo(RequestStatus.APPROVED);
        child.start();

        Predicate<FakeSlackApi.Call> approved = call -> call.text().contains("Approved");
        slack.await("views.update", call -> approving.viewId().equals(
                call.params().get("view_id")) && approved.test(call), RECOVERY);
        slack.await("views.update", call -> asked.viewId().equals(
                call.params().get("view_id")) && approved.test(call), RECOVERY);
        slack.await("response_url", call -> approved.test(call)
                && call.text().contains("Wayne Enterprises"), RECOVERY);
        slack.await("chat.update", call -> ts.equals(call.params().get("ts"))
                && approved.test(call), RECOVERY);
        assertThat(child.stop()).as("graceful stop").isIn(0, ChildServer.TERMINATED);

        assertThat(slack.calls("views.update")).as("modal updates after the restart")
                .filteredOn(call -> approving.viewId().equals(call.params().get("view_id")))
                .filteredOn(approved).hasSize(1);
        assertThat(slack.calls("views.update"))
                .filteredOn(call -> asked.viewId().equals(call.params().get("view_id")))
                .filteredOn(approved).hasSize(1);
        assertThat(slack.calls("response_url")).as("result messages")
                .filteredOn(call -> call.text().contains("Wayne Enterprises"))
                .filteredOn(approved).hasSize(1);
        assertThat(slack.calls("chat.postMessage")).as("no message posted twice")
                .filteredOn(call -> call.text().contains("Wayne Enterprises"))
                .hasSize(1);
        assertThat(slack.calls("chat.update")).as("approvals-channel updates")
                .filteredOn(call -> ts.equals(call.params().get("ts"))).hasSize(1);
        assertThat(pendingFollowUps(databaseUrl)).as("follow-ups left undone").isZero();
    }

    private static RequestStatus storedStatus(String databaseUrl, String requestId)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection(databaseUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT status FROM requests WHERE id = '"
                     + requestId.replace("'", "") + "'")) {
            return row.next() ? RequestStatus.valueOf(row.getString(1)) : null;
        }
    }

    private static long pendingFollowUps(String databaseUrl) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection(databaseUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT COUNT(*) FROM follow_ups WHERE state = 'PENDING'")) {
            row.next();
            return row.getLong(1);
        }
    }

    // --- the chaos --------------------------------------------------------------------------

    /** Kills the child at random moments and brings it back each time; returns the kill count. */
    private int chaos(Random schedule) {
        for (int i = 0; i < RANDOM_KILLS; i++) {
            // The schedule of the chaos, not synchronisation: flows run while this sleeps.
            sleep(500 + schedule.nextInt(1500));
            child.kill();
            child.start();
        }
        return RANDOM_KILLS;
    }

    /** One person's flows until the chaos is over, then one last flow that must go through. */
    private void drive(String user, Random choices) {
        while (!chaosOver.get()) {
            if (!child.awaitUp(Duration.ofSeconds(30))) {
                throw new AssertionError("the child did not come back\n" + child.logTail());
            }
            try {
                oneFlow(user, choices.nextInt(10));
            } catch (UncheckedIOException expectedWhileDown) {
                clientErrors.incrementAndGet();
            }
        }
        finalFlow(user);
    }

    /**
     * {@code /approve pay …}, then, if the modal opens and the code goes out: the right code (6 in
     * 10), a wrong one and then the right one (2), three wrong ones (1), or closing the modal (1).
     */
    private void oneFlow(String user, int choice) {
        int generation = child.generation();
        int number = payees.incrementAndGet();
        String payee = "Payee-" + number;
        SlackClient.Reply ack = client.command("pay " + (1 + number % 900) + " USD to " + payee,
                user);
        if (ack.status() != 200 || !ack.body().isEmpty()) {
            return; // refused (with a message) or not answered: nothing was promised
        }
        acked.add(new Acked(user, payee));
        Optional<Modal> modal = codeModal(ack, generation);
        if (modal.isEmpty()) {
            return; // killed before the modal opened or the code went out
        }
        String viewId = modal.get().viewId();
        String requestId = modal.get().requestId();
        if (choice == 0) {
            if (client.closeView(viewId, requestId, user).status() == 200) {
                shown.put(requestId, RequestStatus.CANCELLED);
            }
            return;
        }
        int wrong = choice == 1 ? 3 : choice <= 3 ? 1 : 0;
        for (int i = 0; i < wrong; i++) {
            remember(requestId, client.submitCode(viewId, requestId, user, "000000"));
        }
        if (wrong < 3) {
            remember(requestId, client.submitCode(viewId, requestId, user,
                    FakeSignalWire.DEFAULT_CODE));
        }
    }

    /** After the last restart every person's next flow goes through to the end. */
    private void finalFlow(String user) {
        int generation = child.generation();
        String payee = "Payee-" + payees.incrementAndGet();
        SlackClient.Reply ack = client.command("pay 5 USD to " + payee, user);
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body()).isEmpty();
        acked.add(new Acked(user, payee));
        Modal modal = codeModal(ack, generation).orElseThrow(() -> new AssertionError(
                "no code modal for " + payee + " after the last restart\n" + child.logTail()));
        SlackClient.Reply reply = client.submitCode(modal.viewId(), modal.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(reply.body()).contains("*Approved.*");
        remember(modal.requestId(), reply);
    }

    /** The code modal shown after the three-way ack (the open and the "code sent" update). */
    private record Modal(String viewId, String requestId) {
    }

    private Optional<Modal> codeModal(SlackClient.Reply ack, int generation) {
        Optional<FakeSlackApi.Call> open = awaitCall("views.open",
                call -> ack.triggerId().equals(call.params().get("trigger_id"))
                        && call.answered() != null, generation);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        String viewId = open.get().viewId();
        String requestId = open.get().jsonParam("view").path("private_metadata").asText();
        Optional<FakeSlackApi.Call> sent = awaitCall("views.update",
                call -> viewId.equals(call.params().get("view_id")) && call.answered() != null,
                generation);
        return sent.map(update -> new Modal(viewId, requestId));
    }

    /** Waits for a Slack call, giving up at the deadline or as soon as the child is killed. */
    private Optional<FakeSlackApi.Call> awaitCall(String method, Predicate<FakeSlackApi.Call> match,
                                                  int generation) {
        return slack.awaitWhile(method, match, STEP, () -> child.generation() == generation);
    }

    private void remember(String requestId, SlackClient.Reply reply) {
        if (reply.status() != 200) {
            return;
        }
        if (reply.body().contains("*Approved.*")) {
            shown.put(requestId, RequestStatus.APPROVED);
        } else if (reply.body().contains("*Locked")) {
            shown.put(requestId, RequestStatus.LOCKED);
        }
    }

    /**
     * The modal is open and the code went out; the server dies; after the restart the person
     * types the code into the same modal, and it approves.
     */
    private void modalOpenedBeforeKillApprovesAfterRestart(String user) {
        int generation = child.generation();
        String payee = "Payee-survivor";
        int startsBefore = signalWire.starts().size();
        SlackClient.Reply ack = client.command("pay 77 USD to " + payee, user);
        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body()).isEmpty();
        acked.add(new Acked(user, payee));
        Modal modal = codeModal(ack, generation).orElseThrow(() -> new AssertionError(
                "no code modal for " + payee + "\n" + child.logTail()));
        assertThat(signalWire.starts().subList(startsBefore, signalWire.starts().size()))
                .anySatisfy(start -> assertThat(start.text("message")).contains(payee));

        child.kill();
        child.start();

        SlackClient.Reply reply = client.submitCode(modal.viewId(), modal.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("Approved");
        shown.put(modal.requestId(), RequestStatus.APPROVED);
        slack.await("response_url", call -> call.text().contains(payee)
                && call.text().contains("Approved"), STEP);
    }

    // --- set-up -----------------------------------------------------------------------------

    private void startChild(String databaseUrl) {
        startChild(databaseUrl, Map.of());
    }

    private void startChild(String databaseUrl, Map<String, String> settings) {
        slack = FakeSlackApi.start();
        signalWire = FakeSignalWire.start();
        Map<String, String> env = new HashMap<>(ChildServer.envFor(slack, signalWire,
                databaseUrl));
        // Hundreds of codes in a minute: the send limits would refuse most flows otherwise.
        env.put("MAX_CODES_PER_USER_PER_HOUR", "1000000");
        env.put("MAX_CODES_PER_TEAM_PER_DAY", "100000000");
        // The drive types wrong codes on purpose, many per person: the daily cap is not under test.
        env.put("MAX_FAILED_CODES_PER_USER_PER_DAY", "1000");
        env.putAll(settings);
        child = new ChildServer(env, ChildServer.freePort(), dir);
        child.start();
        client = new SlackClient(child.baseUrl(), env.get("SLACK_SIGNING_SECRET"), slack);
    }

    private void enroll(String user) {
        enroll(user, TestApp.PHONE);
    }

    private void enroll(String user, String phone) {
        int generation = child.generation();
        SlackClient.Reply ack = client.command("enroll " + phone, user);
        assertThat(ack.body()).isEmpty();
        Modal modal = codeModal(ack, generation).orElseThrow(() -> new AssertionError(
                "no enrollment modal for " + user + "\n" + child.logTail()));
        SlackClient.Reply reply = client.submitCode(modal.viewId(), modal.requestId(), user,
                FakeSignalWire.DEFAULT_CODE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).doesNotContain("\"errors\"");
        shown.put(modal.requestId(), RequestStatus.APPROVED);
    }

    // --- what the file holds ------------------------------------------------------------------

    private record StoredRequest(String id, String userId, String kind, String payee,
                                 RequestStatus status, boolean decided, boolean pendingPhone) {
    }

    private record Stored(List<StoredRequest> requests, Map<String, List<String>> challenges,
                          Map<String, List<String>> audit) {

        Map<RequestStatus, Long> statusCounts() {
            Map<RequestStatus, Long> counts = new EnumMap<>(RequestStatus.class);
            requests.forEach(request -> counts.merge(request.status(), 1L, Long::sum));
            return counts;
        }

        /** PENDING: killed before the code went out; SENT: before the typed code was recorded. */
        Map<String, Long> openByLatestCode() {
            return requests.stream().filter(request -> request.status().isOpen())
                    .map(request -> challenges.getOrDefault(request.id(), List.of("none")))
                    .collect(Collectors.groupingBy(states -> states.get(states.size() - 1),
                            TreeMap::new, Collectors.counting()));
        }
    }

    /** Reads the SQLite file directly, read-only, after the child has stopped. */
    private static Stored read(String databaseUrl) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection(databaseUrl);
             Statement statement = connection.createStatement()) {
            List<StoredRequest> requests = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT id, user_id, kind, action_json, "
                    + "status, decided_at, pending_phone FROM requests")) {
                while (rows.next()) {
                    requests.add(new StoredRequest(rows.getString("id"), rows.getString("user_id"),
                            rows.getString("kind"), payee(rows.getString("action_json")),
                            RequestStatus.valueOf(rows.getString("status")),
                            rows.getObject("decided_at") != null,
                            rows.getObject("pending_phone") != null));
                }
            }
            Map<String, List<String>> challenges = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT request_id, state FROM challenges ORDER BY id")) {
                while (rows.next()) {
                    challenges.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
            Map<String, List<String>> audit = new HashMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT request_id, type FROM audit_events WHERE request_id IS NOT NULL "
                            + "ORDER BY id")) {
                while (rows.next()) {
                    audit.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
            return new Stored(requests, challenges, audit);
        }
    }

    private static String payee(String actionJson) {
        try {
            return JSON.readTree(actionJson).path("payee").asText(null);
        } catch (IOException e) {
            return "(unreadable action_json: " + actionJson + ")";
        }
    }

    /** Every broken promise found in the file, one line each. */
    private List<String> problems(Stored stored) {
        List<String> problems = new ArrayList<>();
        Map<String, List<StoredRequest>> byPayee = stored.requests().stream()
                .filter(request -> request.payee() != null)
                .collect(Collectors.groupingBy(StoredRequest::payee, TreeMap::new,
                        Collectors.toList()));
        for (Acked command : acked) {
            List<StoredRequest> found = byPayee.getOrDefault(command.payee(), List.of()).stream()
                    .filter(request -> request.userId().equals(command.user())).toList();
            if (found.size() != 1) {
                problems.add("acknowledged " + command + " is stored " + found.size() + " times");
            }
        }
        Map<String, StoredRequest> byId = stored.requests().stream()
                .collect(Collectors.toMap(StoredRequest::id, request -> request));
        shown.forEach((id, status) -> {
            StoredRequest request = byId.get(id);
            if (request == null || request.status() != status) {
                problems.add("request " + id + " was shown as " + status + " but is stored as "
                        + (request == null ? "nothing" : request.status()));
            }
        });
        stored.audit().keySet().stream().filter(id -> !byId.containsKey(id)).forEach(id ->
                problems.add("audit rows for a request that is not stored: " + id));
        for (StoredRequest request : stored.requests()) {
            problems.addAll(consistency(request,
                    stored.challenges().getOrDefault(request.id(), List.of()),
                    stored.audit().getOrDefault(request.id(), List.of())));
        }
        return problems;
    }

    private static final List<String> TERMINAL_AUDIT = List.of("request.approved",
            "enrollment.changed", "request.locked", "request.expired", "request.cancelled",
            "request.failed", "request.rejected");

    private static List<String> consistency(StoredRequest request, List<String> challenges,
                                            List<String> audit) {
        List<String> problems = new ArrayList<>();
        String name = request.kind() + " request " + request.id() + " (" + request.status() + ")";
        boolean enrollment = request.kind().equals("enrollment")
                || request.kind().equals("phone_change");
        if (request.status().isOpen() == request.decided()) {
            problems.add(name + ": decided_at is " + (request.decided() ? "set" : "missing"));
        }
        if (!request.status().isOpen() && request.pendingPhone()) {
            problems.add(name + ": still holds pending_phone");
        }
        String created = enrollment ? "enrollment.requested" : "request.created";
        if (audit.stream().filter(created::equals).count() != 1) {
            problems.add(name + ": " + created + " audit rows: " + audit);
        }
        List<String> endings = audit.stream().filter(TERMINAL_AUDIT::contains).toList();
        if (request.status().isOpen() ? !endings.isEmpty()
                : !endings.equals(List.of(endingOf(request.status(), enrollment)))) {
            problems.add(name + ": ending audit rows " + endings);
        }
        long verified = challenges.stream().filter("VERIFIED"::equals).count();
        if (verified > 0 && request.status() != RequestStatus.APPROVED) {
            problems.add(name + ": has a VERIFIED code but is not approved: " + challenges);
        }
        if (request.status() == RequestStatus.APPROVED && request.kind().equals("payment")
                && verified != 1) {
            problems.add(name + ": " + verified + " VERIFIED codes: " + challenges);
        }
        if (!request.status().isOpen() && challenges.stream()
                .anyMatch(state -> state.equals("PENDING") || state.equals("SENT"))) {
            problems.add(name + ": ended with a live code: " + challenges);
        }
        return problems;
    }

    private static String endingOf(RequestStatus status, boolean enrollment) {
        return switch (status) {
            case APPROVED -> enrollment ? "enrollment.changed" : "request.approved";
            case LOCKED -> "request.locked";
            case EXPIRED -> "request.expired";
            case CANCELLED -> "request.cancelled";
            case FAILED -> "request.failed";
            case REJECTED -> "request.rejected";
            case AWAITING_CODE, AWAITING_SECOND_APPROVER -> throw new IllegalArgumentException(
                    "open: " + status);
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

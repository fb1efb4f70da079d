package dev.countersign.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.approval.ActionBinding;
import dev.countersign.people.Actor;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.CurrencyCode;
import dev.countersign.approval.Money;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.Store;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditRecord;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The approval domain wired as in production, on a real SQLite file, with SignalWire faked at its
 * HTTP edge and a clock the test moves. {@link #restart()} closes the database and builds
 * everything again on the same file, as a process restart would.
 */
public final class ApprovalsHarness implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    public static final String TEAM = "T0001";
    public static final Actor ALICE = new Actor(TEAM, "UALICE");
    public static final Actor BOB = new Actor(TEAM, "UBOB");
    public static final Actor CAROL = new Actor(TEAM, "UCAROL");
    public static final Actor ADMIN = new Actor(TEAM, TestPolicy.ADMIN_ID);
    public static final String ALICE_PHONE = "+12015550123";
    public static final String BOB_PHONE = "+12015550177";
    public static final String CAROL_PHONE = "+12015550188";
    public static final ReplyTo REPLY = new ReplyTo("C0001", "https://hooks.slack.test/response/1");

    public final MutableClock clock = new MutableClock(START);
    public final FakeSignalWire signalWire = FakeSignalWire.start(clock);
    private final String url;
    private final StorageEngine.TestDatabase storage;
    private OneTimeCodes codes = signalWire.codes();
    private TestPolicy policy = new TestPolicy();
    private ApproverDirectory approvers = ApproverDirectory.NOBODY;
    private ApprovalOutbox approvedActions = ApprovalOutbox.NONE;
    private Database database;
    private Store store;
    private ApprovalServices approvals;
    private final List<Database> otherInstances = new ArrayList<>();

    public ApprovalsHarness(Path directory) {
        this(directory, StorageEngine.SQLITE);
    }

    /** The same on {@code engine}: a SQLite file in {@code directory}, or a PostgreSQL schema. */
    public ApprovalsHarness(Path directory, StorageEngine engine) {
        this.storage = engine.create(directory);
        this.url = storage.url();
        this.database = StorageEngine.open(url);
        this.store = new SqliteStore(database);
        rebuild();
    }

    // --- wiring -------------------------------------------------------------------------------

    public ApprovalsHarness policy(UnaryOperator<TestPolicy> change) {
        policy = change.apply(policy);
        rebuild();
        return this;
    }

    public ApprovalsHarness approvers(String... userIds) {
        Set<String> ids = Set.of(userIds);
        approvers = actor -> ids.contains(actor.userId());
        rebuild();
        return this;
    }

    public ApprovalsHarness approvedActions(ApprovalOutbox hook) {
        approvedActions = hook;
        rebuild();
        return this;
    }

    public ApprovalsHarness codes(OneTimeCodes provider) {
        codes = provider;
        rebuild();
        return this;
    }

    /** Closes the database and opens it again; everything in memory is built anew. */
    public void restart() {
        database.close();
        database = StorageEngine.open(url);
        store = new SqliteStore(database);
        rebuild();
    }

    private void rebuild() {
        approvals = ApprovalServices.create(store, codes, policy.build(), clock, approvers,
                approvedActions, binding());
    }

    public ApprovalServices approvals() {
        return approvals;
    }

    /**
     * The approval domain of another instance on the same database (PostgreSQL): its own
     * connections, its own in-process locks, the same SignalWire, policy and clock.
     */
    public ApprovalServices anotherInstance() {
        Database other = StorageEngine.open(url);
        otherInstances.add(other);
        return ApprovalServices.create(new SqliteStore(other), codes, policy.build(), clock,
                approvers, approvedActions, new ActionBinding(other.keys()));
    }

    public Store store() {
        return store;
    }

    /** The binding requests are made and checked with, under this database's key. */
    public ActionBinding binding() {
        return new ActionBinding(database.keys());
    }

    public Database database() {
        return database;
    }

    public String url() {
        return url;
    }

    // --- steps --------------------------------------------------------------------------------

    /** Stores {@code phone} as the person's, as an operator would (no code). */
    public void enroll(Actor user, String phone) {
        approvals.phones().enrollDirectly("operator", user, new PhoneNumber(phone));
    }

    public static Action.Payment payment(String amount, String payee) {
        Money money = new Money(new BigDecimal(amount), CurrencyCode.of("USD").orElseThrow());
        return new Action.Payment(money, payee, null);
    }

    public Opening open(Actor requester, Action action) {
        return approvals.opening().requestApproval(requester, action, REPLY);
    }

    /** Opens a payment that must be accepted, and sends its code. */
    public Opening.Ready openAndSend(Actor requester, Action action) {
        Opening opening = open(requester, action);
        assertThat(opening).isInstanceOf(Opening.Ready.class);
        Opening.Ready ready = (Opening.Ready) opening;
        assertThat(send(ready.challenge())).isInstanceOf(Delivery.Sent.class);
        return ready;
    }

    public Delivery send(CodeChallenge challenge) {
        return approvals.delivery().send(challenge.id());
    }

    // --- what is stored -----------------------------------------------------------------------

    public ApprovalRequest request(String id) {
        return store.read(tx -> tx.requests().find(id)).orElseThrow();
    }

    public RequestStatus status(String id) {
        return request(id).status();
    }

    public CodeChallenge challenge(long id) {
        return store.read(tx -> tx.challenges().find(id)).orElseThrow();
    }

    public List<CodeChallenge> challenges(String requestId) {
        return store.read(tx -> tx.challenges().ofRequest(requestId));
    }

    public List<AuditRecord> audit(String requestId) {
        return store.read(tx -> tx.audit().ofRequest(requestId));
    }

    public List<String> auditTypes(String requestId) {
        return audit(requestId).stream().map(AuditRecord::type).toList();
    }

    public List<AuditRecord> wholeAudit() {
        return store.read(tx -> tx.audit().after(0, Integer.MAX_VALUE));
    }

    /** What {@link AuditChain.Verifier} says about every row, in order; empty when all is well. */
    public List<String> auditChainProblems() {
        AuditChain.Verifier verifier = new AuditChain(database.keys()).verifier();
        List<String> problems = new ArrayList<>();
        for (AuditRecord row : wholeAudit()) {
            Optional<String> problem = verifier.check(row);
            problem.ifPresent(text -> problems.add("row " + row.id() + ": " + text));
        }
        verifier.finish().ifPresent(problem -> problems.add("row " + problem.rowId() + ": "
                + problem.reason()));
        return problems;
    }

    @Override
    public void close() {
        otherInstances.forEach(Database::close);
        database.close();
        signalWire.close();
        storage.close();
    }
}

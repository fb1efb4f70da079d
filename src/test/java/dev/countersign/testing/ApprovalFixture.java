package dev.countersign.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.people.Actor;
import dev.countersign.approval.ApprovalPolicy;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ApprovalServices;
import dev.countersign.approval.ApprovalOutbox;
import dev.countersign.approval.ApproverDirectory;
import dev.countersign.approval.CodeDelivery;
import dev.countersign.approval.CodeVerification;
import dev.countersign.approval.CurrencyCode;
import dev.countersign.approval.Money;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestOpening;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.console.ConsoleCodes;
import dev.countersign.store.Database;
import dev.countersign.store.SqliteStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The real approval domain on a SQLite file, with the console code provider: tests make requests
 * and approve them the way people do, reading the "sent" code from a sink.
 */
public final class ApprovalFixture implements AutoCloseable {

    public static final Actor ALICE = new Actor("T0ACME", "U0ALICE");
    public static final String ALICE_PHONE = "+12015550123";

    private final Path file;
    private final ApprovalPolicy policy;
    private final ApproverDirectory approvers;
    private final MutableClock clock;
    private final ApprovalOutbox approvedActions;
    private final List<String> codes = Collections.synchronizedList(new ArrayList<>());
    private final ConsoleCodes provider;
    private Database database;
    private SqliteStore store;
    private ApprovalServices approvals;

    public ApprovalFixture(Path directory, MutableClock clock, ApprovalOutbox approvedActions) {
        this(directory, clock, approvedActions, ApprovalPolicy.DualControlRule.OFF,
                ApproverDirectory.NOBODY);
    }

    /** With dual control: {@code approvers} may give the second approval. */
    public ApprovalFixture(Path directory, MutableClock clock, ApprovalOutbox approvedActions,
                           ApprovalPolicy.DualControlRule dualControl,
                           ApproverDirectory approvers) {
        this.file = directory.resolve("countersign.db");
        this.policy = new ApprovalPolicy(Duration.ofMinutes(5), 3, 100, 1000,
                Duration.ofSeconds(30), new BigDecimal("1000"), Duration.ofHours(24), false,
                Set.of(), dualControl, 1000);
        this.approvers = approvers;
        this.clock = clock;
        this.approvedActions = approvedActions;
        this.provider = new ConsoleCodes(clock, (maskedPhone, channel, message, code) ->
                codes.add(code));
        open();
    }

    public String jdbcUrl() {
        return "jdbc:sqlite:" + file;
    }

    public SqliteStore store() {
        return store;
    }

    public ApprovalServices approvals() {
        return approvals;
    }

    public static Action payment(String amount, String currency, String payee, String memo) {
        return new Action.Payment(new Money(new BigDecimal(amount),
                CurrencyCode.of(currency).orElseThrow()), payee, memo);
    }

    public void enroll(Actor user, String phone) {
        approvals.phones().enrollDirectly("operator", user, new PhoneNumber(phone));
    }

    /** An open request whose code has been sent. */
    public RequestOpening.Opening.Ready open(Actor requester, Action action) {
        RequestOpening.Opening opening = approvals.opening().requestApproval(requester, action,
                ReplyTo.NOWHERE);
        assertThat(opening).isInstanceOf(RequestOpening.Opening.Ready.class);
        RequestOpening.Opening.Ready ready = (RequestOpening.Opening.Ready) opening;
        assertThat(approvals.delivery().send(ready.challenge().id()))
                .isInstanceOf(CodeDelivery.Delivery.Sent.class);
        return ready;
    }

    /** Requests {@code action} as {@code requester} and types the code they were sent. */
    public ApprovalRequest approve(Actor requester, Action action) {
        RequestOpening.Opening.Ready ready = open(requester, action);
        CodeVerification.Check check = typeLastCode(ready.request().id(), requester);
        assertThat(check).isInstanceOf(CodeVerification.Check.Approved.class);
        return ((CodeVerification.Check.Approved) check).request();
    }

    /** Types the latest code sent, as {@code who}. */
    public CodeVerification.Check typeLastCode(String requestId, Actor who) {
        return approvals.verification().verify(requestId, who, codes.get(codes.size() - 1));
    }

    /** Closes the database and opens it again, as a restart does. */
    public void reopen() {
        database.close();
        open();
    }

    /** Runs statements on the file directly, as someone with access to it could. */
    public void sql(String... statements) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query, each as a list of column values. */
    public List<List<Object>> rows(String query) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<List<Object>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void open() {
        database = Database.open(jdbcUrl());
        store = new SqliteStore(database);
        approvals = ApprovalServices.create(store, provider, policy, clock, approvers,
                approvedActions, new ActionBinding(store.keys()));
    }

    @Override
    public void close() {
        database.close();
    }
}

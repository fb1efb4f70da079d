package dev.countersign.store;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.Challenges;
import dev.countersign.approval.FollowUps;
import dev.countersign.approval.Origins;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.Requests;
import dev.countersign.approval.Store;
import dev.countersign.approval.Transaction;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditReader;
import dev.countersign.audit.AuditRecord;
import dev.countersign.audit.AuditTrail;
import dev.countersign.keys.DerivedKeys;
import dev.countersign.keys.KeyRing;
import dev.countersign.keys.PhoneCipher;
import dev.countersign.keys.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import dev.countersign.people.Enrollments;
import dev.countersign.approval.Outbox;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The {@link Store} on a SQLite {@link Database}. */
public final class SqliteStore implements Store, AuditReader {

    private final Database database;
    private final PhoneCipher phones;
    private final AuditChain chain;
    private final DerivedKeys outboxKeys;

    public SqliteStore(Database database) {
        this.database = database;
        this.phones = new PhoneCipher(database.keys());
        this.chain = new AuditChain(database.keys());
        this.outboxKeys = database.keys().derive(Purpose.OUTBOX);
    }

    /** The keys the database was opened with: for checks made outside a transaction. */
    public KeyRing keys() {
        return database.keys();
    }

    @Override
    public <T> T write(Function<Transaction, T> work) {
        return database.write(connection -> work.apply(new JdbcTransaction(database.sql(
                connection), this)));
    }

    @Override
    public <T> T writeSoon(Function<Transaction, T> work) {
        return database.writeSoon(connection -> work.apply(new JdbcTransaction(database.sql(
                connection), this)));
    }

    @Override
    public <T> T read(Function<Transaction, T> work) {
        return database.read(connection -> work.apply(new JdbcTransaction(database.sql(
                connection), this)));
    }

    @Override
    public List<AuditRecord> after(long afterId, int limit) {
        return read(tx -> tx.audit().after(afterId, limit));
    }

    @Override
    public Optional<AuditRecord> last() {
        return database.read(connection -> new JdbcAuditTrail(database.sql(connection), chain)
                .last());
    }

    /**
     * The Slack workspaces (team ids) this database has enrollments or requests for: lets the
     * operator's tools leave out {@code --team} when there is only one.
     */
    public Set<String> teamIds() {
        return database.read(connection -> {
            Sql sql = database.sql(connection);
            Set<String> teams = new TreeSet<>(new JdbcEnrollments(sql, phones).teamIds());
            teams.addAll(new JdbcRequests(sql, phones).teamIds());
            return teams;
        });
    }

    /** The webhook messages waiting for delivery, read in one read transaction. */
    public OutboxBacklog outboxBacklog() {
        return database.read(connection -> new JdbcOutbox(database.sql(connection), outboxKeys)
                .backlog());
    }

    /** The API clients, in the same database. */
    public JdbcApiClients apiClients() {
        return new JdbcApiClients(database);
    }

    /**
     * Requests made at or after {@code since}, newest first, at most {@code limit}, only those
     * in {@code status} when given: for the operator's {@code requests list}.
     */
    public List<ApprovalRequest> requestsMadeSince(Instant since, Optional<RequestStatus> status,
                                                   int limit) {
        return database.read(connection -> new JdbcRequests(database.sql(connection), phones)
                .madeSince(since, status, limit));
    }

    private static final class JdbcTransaction implements Transaction {
        private final Sql sql;
        private final SqliteStore store;

        JdbcTransaction(Sql sql, SqliteStore store) {
            this.sql = sql;
            this.store = store;
        }

        @Override
        public Requests requests() {
            return new JdbcRequests(sql, store.phones);
        }

        @Override
        public Challenges challenges() {
            return new JdbcChallenges(sql);
        }

        @Override
        public Enrollments enrollments() {
            return new JdbcEnrollments(sql, store.phones);
        }

        @Override
        public AuditTrail audit() {
            return new JdbcAuditTrail(sql, store.chain);
        }

        @Override
        public Outbox outbox() {
            return new JdbcOutbox(sql, store.outboxKeys);
        }

        @Override
        public FollowUps followUps() {
            return new JdbcFollowUps(sql);
        }

        @Override
        public Origins origins() {
            return new JdbcOrigins(sql);
        }
    }
}

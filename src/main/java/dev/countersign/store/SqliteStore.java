package dev.countersign.store;

import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.Challenges;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.Requests;
import dev.countersign.approval.Store;
import dev.countersign.approval.Transaction;
import dev.countersign.audit.AuditReader;
import dev.countersign.audit.AuditRecord;
import dev.countersign.audit.AuditTrail;
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

    public SqliteStore(Database database) {
        this.database = database;
    }

    @Override
    public <T> T write(Function<Transaction, T> work) {
        return database.write(connection -> work.apply(new JdbcTransaction(database.sql(
                connection))));
    }

    @Override
    public <T> T writeSoon(Function<Transaction, T> work) {
        return database.writeSoon(connection -> work.apply(new JdbcTransaction(database.sql(
                connection))));
    }

    @Override
    public <T> T read(Function<Transaction, T> work) {
        return database.read(connection -> work.apply(new JdbcTransaction(database.sql(
                connection))));
    }

    @Override
    public List<AuditRecord> after(long afterId, int limit) {
        return read(tx -> tx.audit().after(afterId, limit));
    }

    /**
     * The Slack workspaces (team ids) this database has enrollments or requests for: lets the
     * operator's tools leave out {@code --team} when there is only one.
     */
    public Set<String> teamIds() {
        return database.read(connection -> {
            Sql sql = database.sql(connection);
            Set<String> teams = new TreeSet<>(new JdbcEnrollments(sql).teamIds());
            teams.addAll(new JdbcRequests(sql).teamIds());
            return teams;
        });
    }

    /**
     * Requests made at or after {@code since}, newest first, at most {@code limit}, only those
     * in {@code status} when given: for the operator's {@code requests list}.
     */
    public List<ApprovalRequest> requestsMadeSince(Instant since, Optional<RequestStatus> status,
                                                   int limit) {
        return database.read(connection -> new JdbcRequests(database.sql(connection))
                .madeSince(since, status, limit));
    }

    private static final class JdbcTransaction implements Transaction {
        private final Sql sql;

        JdbcTransaction(Sql sql) {
            this.sql = sql;
        }

        @Override
        public Requests requests() {
            return new JdbcRequests(sql);
        }

        @Override
        public Challenges challenges() {
            return new JdbcChallenges(sql);
        }

        @Override
        public Enrollments enrollments() {
            return new JdbcEnrollments(sql);
        }

        @Override
        public AuditTrail audit() {
            return new JdbcAuditTrail(sql);
        }

        @Override
        public Outbox outbox() {
            return new JdbcOutbox(sql);
        }
    }
}

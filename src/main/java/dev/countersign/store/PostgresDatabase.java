package dev.countersign.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.countersign.approval.JobClaims;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL database shared by several Countersign instances: a pool of connections
 * (HikariCP), each write one JDBC transaction on one of them.
 *
 * <p>Isolation: READ COMMITTED, with every write transaction opening with a transaction-scoped
 * advisory lock that all instances share. Why not SERIALIZABLE: nearly every write appends to
 * the audit chain, which is one chain and so must be appended to one transaction at a time
 * whatever the isolation; under SERIALIZABLE those appends would fail each other and every
 * caller would need a retry loop. Taking that one lock at the start of the transaction rather
 * than at the append makes it PostgreSQL's {@code BEGIN IMMEDIATE}: the domain's rule that
 * checks made in a write transaction still hold at its commit (send limits, failure caps, the
 * state a transition starts from) holds across instances, no two writes can deadlock, and the
 * chain has no gaps or forks. Each transition remains one conditional
 * {@code UPDATE … WHERE status IN (…)}, so correctness never rests on an in-process lock.
 * Reads take no lock: REPEATABLE READ, read only, on any pooled connection.
 *
 * <p>The locks' keys are derived from the schema's name, so two installations in two schemas
 * of one database do not wait for each other.
 */
final class PostgresDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    /** Connections per instance: half for writes (they queue on one lock), half for reads. */
    private static final int POOL_SIZE = 8;
    /**
     * A transaction left open this long by a stuck or partitioned instance is ended by the
     * server, which frees the write lock for everyone else.
     */
    private static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(15);
    /** A write that waits longer than this for the lock fails instead of hanging its caller. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    /**
     * TCP keepalives on the server side: a session whose instance vanished without closing its
     * socket (a dead machine) is ended within about 30 s, releasing the jobs it held.
     */
    private static final String KEEPALIVES = "SET tcp_keepalives_idle = 10; "
            + "SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 4";

    private final String url;
    private final HikariDataSource pool;
    private final long writeLock;
    private final String schema;
    private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);
    /**
     * Writes waiting for the lock hold a connection each while they wait: at most half the pool,
     * so reads (status, the Home tab, /healthz) always find one.
     */
    private final Semaphore writers = new Semaphore(POOL_SIZE / 2, true);
    /** The statement helper of each connection lent out, for {@link #sql(Connection)}. */
    private final Map<Connection, Sql> lent = new ConcurrentHashMap<>();
    private final Claims claims;
    /** Writes begun that do not hold the write lock yet, for the {@code /metrics} gauge. */
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile WriteTimings timings = WriteTimings.NONE;

    private PostgresDatabase(String url, HikariDataSource pool, String schema) {
        this.url = url;
        this.pool = pool;
        this.schema = schema;
        this.writeLock = key("writes");
        this.claims = new Claims();
    }

    /**
     * Connects, migrates (one instance at a time, the {@code keyed} steps in their versions'
     * transactions) and opens the pool.
     */
    static PostgresDatabase open(String url, KeyedMigrations keyed) throws SQLException {
        String schema;
        try (Connection connection = DriverManager.getConnection(url)) {
            schema = currentSchema(connection);
            migrate(connection, lockKey(schema, "migrations"), keyed);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("countersign-postgresql");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(2);
        config.setAutoCommit(false);
        config.setConnectionTimeout(5_000);
        config.setConnectionInitSql(KEEPALIVES + "; SET idle_in_transaction_session_timeout = "
                + IDLE_IN_TRANSACTION.toMillis() + "; SET lock_timeout = "
                + LOCK_WAIT.toMillis());
        return new PostgresDatabase(url, new HikariDataSource(config), schema);
    }

    /**
     * Migrations under a session lock: two instances starting together both wait for it, the
     * first applies what is missing, the second then finds nothing left to do.
     */
    private static void migrate(Connection connection, long key, KeyedMigrations keyed)
            throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                Dialect.POSTGRESQL.sessionLock())) {
            lock.setLong(1, key);
            lock.executeQuery().close();
        }
        try {
            Migrations.migrate(connection, Dialect.POSTGRESQL, keyed.steps());
            keyed.afterwards(connection);
        } finally {
            try (PreparedStatement unlock = connection.prepareStatement(
                    Dialect.POSTGRESQL.sessionUnlock())) {
                unlock.setLong(1, key);
                unlock.executeQuery().close();
            }
        }
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_schema()")) {
            row.next();
            String schema = row.getString(1);
            if (schema == null) {
                throw new SQLException("no schema to create tables in (check currentSchema in "
                        + "DATABASE_URL, and that the schema exists)");
            }
            return schema;
        }
    }

    <T> T write(SqlWork<T> work) {
        if (writing.get()) {
            throw new IllegalStateException("a write transaction may not start another");
        }
        waiting.incrementAndGet();
        try {
            takeWriteSlot();
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            throw e;
        }
        writing.set(true);
        long started = System.nanoTime();
        boolean[] lockTaken = {false};
        try {
            return inTransaction(false, connection -> {
                try (PreparedStatement lock = connection.prepareStatement(
                        Dialect.POSTGRESQL.writeLock())) {
                    lock.setLong(1, writeLock);
                    lock.executeQuery().close();
                }
                lockTaken[0] = true;
                waiting.decrementAndGet();
                return work.run(connection);
            });
        } finally {
            if (!lockTaken[0]) {
                waiting.decrementAndGet();
            }
            // One write per commit here: no group to share it with, and no WAL force of ours.
            timings.committed(1, System.nanoTime() - started);
            writing.set(false);
            writers.release();
        }
    }

    /** Writes begun on this instance that wait for a slot or for the write lock. */
    int writesWaiting() {
        return waiting.get();
    }

    /** From now on, {@code timings} hears how long each write transaction takes. */
    void timeWith(WriteTimings timings) {
        this.timings = timings;
    }

    private void takeWriteSlot() {
        try {
            if (!writers.tryAcquire(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreException("the database is busy: no write slot within "
                        + LOCK_WAIT.toSeconds() + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting to write", e);
        }
    }

    <T> T read(SqlWork<T> work) {
        return inTransaction(true, work);
    }

    private <T> T inTransaction(boolean readOnly, SqlWork<T> work) {
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException e) {
            throw new StoreException("no PostgreSQL connection: " + e.getMessage(), e);
        }
        Sql sql = new Sql(connection, Dialect.POSTGRESQL);
        lent.put(connection, sql);
        try (connection) {
            if (readOnly) {
                // A statement, not setReadOnly()/setTransactionIsolation(): those change the
                // session, and the pool would put them back in a transaction of their own.
                try (Statement statement = connection.createStatement()) {
                    statement.execute(Dialect.POSTGRESQL.readOnlySnapshot());
                }
            }
            boolean committed = false;
            try {
                T result = work.run(connection);
                connection.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollback(connection);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            lent.remove(connection);
            sql.close();
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("rollback: {}", e.getMessage());
        }
    }

    Sql sql(Connection connection) {
        Sql sql = lent.get(connection);
        if (sql == null) {
            throw new IllegalArgumentException("not a connection of this database");
        }
        return sql;
    }

    /**
     * The server answers, and a write could take the lock within {@code within}: an instance
     * whose writes would hang behind a stuck one must not look healthy.
     */
    boolean healthy(Duration within) {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = " + within.toMillis());
            try (PreparedStatement lock = connection.prepareStatement(
                    Dialect.POSTGRESQL.writeLock())) {
                lock.setLong(1, writeLock);
                lock.executeQuery().close();
            } finally {
                connection.rollback();
            }
            return true;
        } catch (SQLException e) {
            log.warn("database health check failed: {}", e.getMessage());
            return false;
        }
    }

    JobClaims jobs() {
        return claims;
    }

    String url() {
        return url;
    }

    private long key(String purpose) {
        return lockKey(schema, purpose);
    }

    /** A 64-bit advisory lock key for one purpose in one schema. */
    private static long lockKey(String schema, String purpose) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ("countersign:" + schema + ":" + purpose).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public void close() {
        claims.close();
        pool.close();
    }

    /**
     * Job claims as session advisory locks on a connection of their own, outside the pool: the
     * claim lasts exactly as long as this instance's session. A killed process's socket closes
     * and the server drops its locks at once; a vanished machine's session ends by keepalive
     * within about 30 s. The next instance to ask then takes the job.
     */
    private final class Claims implements JobClaims {
        private final Set<String> held = new HashSet<>();
        private Connection connection;

        @Override
        public synchronized boolean holds(String job) {
            try {
                if (connection != null && !connection.isValid(2)) {
                    // The session is gone, and with it every claim it held: others may run them.
                    log.warn("lost the database session holding jobs {}; claiming afresh", held);
                    closeConnection();
                }
                if (held.contains(job)) {
                    return true;
                }
                if (connection == null) {
                    connection = DriverManager.getConnection(url);
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(KEEPALIVES);
                    }
                }
                try (PreparedStatement claim = connection.prepareStatement(
                        Dialect.POSTGRESQL.trySessionLock())) {
                    claim.setLong(1, key("job:" + job));
                    try (ResultSet row = claim.executeQuery()) {
                        if (row.next() && row.getBoolean(1)) {
                            held.add(job);
                            log.info("this instance now runs the {} job", job);
                            return true;
                        }
                    }
                }
                return false;
            } catch (SQLException e) {
                log.warn("cannot claim the {} job: {}", job, e.getMessage());
                closeConnection();
                return false;
            }
        }

        private void closeConnection() {
            held.clear();
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("closing the job claims' connection: {}", e.getMessage());
                }
                connection = null;
            }
        }

        synchronized void close() {
            closeConnection();
        }
    }
}

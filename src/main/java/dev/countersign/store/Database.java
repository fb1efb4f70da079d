package dev.countersign.store;

import dev.countersign.keys.KeyFile;
import dev.countersign.keys.KeyRing;
import dev.countersign.keys.SecretKeys;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import dev.countersign.approval.JobClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The database: a SQLite file (the default), or PostgreSQL for several instances
 * ({@code jdbc:postgresql:} URLs; see {@link PostgresDatabase}, to which every method below
 * hands over when {@link #postgres} is set).
 *
 * <p>The SQLite file: one writer connection on one thread (SQLite allows one writer at a time
 * anyway; queueing in-process keeps threads from spinning on SQLITE_BUSY, and lets concurrent
 * writes share a commit, see {@link GroupCommit}) and a few reader connections, which WAL lets run
 * alongside the writer. Writes start with {@code BEGIN IMMEDIATE} so a transaction that reads
 * before it writes can't be overtaken. {@code synchronous=FULL}: a commit is on disk before Slack
 * is answered.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int READERS = 4;
    private static final int BUSY_TIMEOUT_MS = 5_000;
    /** A write that takes longer than this makes {@code /healthz} answer 503. */
    static final Duration HEALTHY_WRITE_WITHIN = Duration.ofSeconds(2);

    /**
     * How often the WAL is copied back into the database file. SQLite does it itself every 1,000
     * pages, inside the commit that crosses the mark, on the writer: everyone queued behind
     * that commit waited for a copy and two fsyncs. With the commits' own fsync moved off the
     * writer too ({@link WalSync}), a passive checkpoint from its own connection leaves the
     * writer no disk waits at all (the benchmark's S1 ack p99: 296–330 ms → 37 ms).
     */
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    private final String url;
    /** Set for a PostgreSQL database; everything SQLite's below is then unused (null). */
    private final PostgresDatabase postgres;
    private final KeyRing keys;
    private final Connection writer;
    private final GroupCommit writes;
    private final Connection checkpointer;
    private final ScheduledExecutorService checkpoints = Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sqlite-checkpoint")
                    .daemon().factory());
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    /** Each connection's statements, prepared once: a connection is used by one thread at a time. */
    private final Map<Connection, Sql> statements = new IdentityHashMap<>();

    private Database(PostgresDatabase postgres, KeyRing keys) {
        this.url = postgres.url();
        this.postgres = postgres;
        this.keys = keys;
        this.writer = null;
        this.writes = null;
        this.checkpointer = null;
    }

    private Database(String url, KeyRing keys) throws SQLException {
        this.url = url;
        this.postgres = null;
        this.keys = keys;
        this.writer = connect();
        try (Statement statement = writer.createStatement()) {
            // Reading opens the WAL (SQLite creates the -wal file on first use), so its syncer
            // below has a file to force.
            statement.executeQuery("SELECT COUNT(*) FROM sqlite_master").close();
            // Checkpoints (and their fsyncs) run from their own connection, not in a commit.
            statement.execute("PRAGMA wal_autocheckpoint = 0");
        }
        for (int i = 0; i < READERS; i++) {
            readers.add(connect());
        }
        this.writes = new GroupCommit(writer, walSync(url));
        this.checkpointer = newConnection(url);
        checkpoints.scheduleWithFixedDelay(this::checkpoint, CHECKPOINT_EVERY.toMillis(),
                CHECKPOINT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try (Statement statement = checkpointer.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            log.warn("WAL checkpoint failed (it is tried again in {} s): {}",
                    CHECKPOINT_EVERY.toSeconds(), e.getMessage());
        }
    }

    /**
     * Loads the driver for {@code jdbcUrl} (for SQLite, its native library) and runs one statement
     * on a database in memory, touching no file: start-up does this while it still checks Slack,
     * before it may create the database. The open that follows then only opens and migrates.
     * A failure here is left for that open to report.
     */
    public static void loadDriver(String jdbcUrl) {
        try {
            if (Dialect.of(jdbcUrl) == Dialect.POSTGRESQL) {
                Class.forName("org.postgresql.Driver");
                return;
            }
            try (Connection connection = newConnection("jdbc:sqlite::memory:");
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
        } catch (SQLException | ClassNotFoundException | RuntimeException e) {
            log.debug("database driver not loaded ahead: {}", e.toString());
        }
    }

    /** {@link #open(String, SecretKeys)} with the key file beside the database. */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, SecretKeys.FROM_FILE);
    }

    /**
     * Opens (creating the directory and file if needed) and migrates the schema, then runs the
     * steps that need the key ({@link KeyedMigrations}).
     */
    public static Database open(String jdbcUrl, SecretKeys secretKeys) {
        if (Dialect.of(jdbcUrl) == Dialect.POSTGRESQL) {
            return openPostgres(jdbcUrl, secretKeys);
        }
        createParentDirectory(jdbcUrl);
        try {
            KeyRing keys = secretKeys.ring(() -> keyFileOf(jdbcUrl));
            migrate(jdbcUrl, keys);
            Database database = new Database(jdbcUrl, keys);
            restrictFiles(jdbcUrl);
            return database;
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("cannot open the database at " + jdbcUrl + ": "
                    + e.getMessage(), e);
        }
    }

    private static void migrate(String jdbcUrl, KeyRing keys) throws SQLException {
        KeyedMigrations keyed = new KeyedMigrations(keys, Dialect.SQLITE);
        try (Connection connection = newConnection(jdbcUrl)) {
            Migrations.migrate(connection, keyed.steps());
        }
        // On a connection of its own: VACUUM needs one with no statement left open.
        try (Connection connection = newConnection(jdbcUrl)) {
            keyed.afterwards(connection);
        }
    }

    /**
     * PostgreSQL: the key must be configured. Every instance needs the same one, and there is no
     * file beside the database to keep it in (keeping it in the database would let whoever can
     * write the tables also forge their seals).
     */
    private static Database openPostgres(String jdbcUrl, SecretKeys secretKeys) {
        if (secretKeys.current().isEmpty()) {
            throw new StoreException("COUNTERSIGN_SECRET_KEY must be set for a PostgreSQL "
                    + "DATABASE_URL: every instance needs the same key (make one with "
                    + "`openssl rand -hex 32`)", null);
        }
        try {
            KeyRing keys = secretKeys.ring(() -> {
                throw new IllegalStateException("the key is configured");
            });
            KeyedMigrations keyed = new KeyedMigrations(keys, Dialect.POSTGRESQL);
            return new Database(PostgresDatabase.open(jdbcUrl, keyed), keys);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("cannot open the database at "
                    + Dialect.redacted(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    /** The key in {@code secret.key} beside the database; a fresh one for a memory database. */
    private static String keyFileOf(String jdbcUrl) {
        Optional<Path> file = fileOf(jdbcUrl);
        if (file.isEmpty()) {
            log.warn("COUNTERSIGN_SECRET_KEY is not set and the database is not a file: using a "
                    + "key that lasts until this process stops");
            return KeyFile.randomKey();
        }
        return KeyFile.loadOrCreate(file.get().resolveSibling(KeyFile.NAME));
    }

    /** The keys everything stored is bound, chained, sealed and encrypted with. */
    public KeyRing keys() {
        return keys;
    }

    <T> T write(SqlWork<T> work) {
        if (postgres != null) {
            return postgres.write(work);
        }
        return writes.write(work);
    }

    /**
     * See {@link GroupCommit#writeSoon}: committed, not yet forced to disk. (On PostgreSQL an
     * ordinary write: its commits are durable, and not shared.)
     */
    <T> T writeSoon(SqlWork<T> work) {
        if (postgres != null) {
            return postgres.write(work);
        }
        return writes.writeSoon(work);
    }

    <T> T read(SqlWork<T> work) {
        if (postgres != null) {
            return postgres.read(work);
        }
        Connection connection = borrowReader();
        try {
            return inTransaction(connection, "BEGIN", work);
        } finally {
            readers.add(connection);
        }
    }

    /**
     * What {@code /healthz} reports: the writer is there, a write goes through it within
     * {@link #HEALTHY_WRITE_WITHIN} (an empty one: nothing is written, nothing waits for the
     * disk), and a query answers. A process whose writes hang must not look healthy.
     */
    public boolean healthy() {
        if (postgres != null) {
            return postgres.healthy(HEALTHY_WRITE_WITHIN);
        }
        if (!writes.alive()) {
            log.warn("database health check failed: the writer has stopped");
            return false;
        }
        try {
            writes.writeWithin(connection -> null, HEALTHY_WRITE_WITHIN);
            return read(connection -> {
                try (Statement statement = connection.createStatement()) {
                    return statement.executeQuery("SELECT 1").next();
                }
            });
        } catch (RuntimeException e) {
            log.warn("database health check failed: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Whether a PostgreSQL database already has Countersign's tables (the operator's tools
     * refuse to make them: a mistyped URL would otherwise give an empty trail that "verifies").
     * True for SQLite, whose tools check that the file exists instead.
     */
    public static boolean hasSchema(String jdbcUrl) {
        if (Dialect.of(jdbcUrl) != Dialect.POSTGRESQL) {
            return true;
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT to_regclass('schema_version') IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database at " + Dialect.redacted(jdbcUrl)
                    + ": " + e.getMessage(), e);
        }
    }

    /** A JDBC URL fit for a log line: any password in it masked. */
    public static String redacted(String jdbcUrl) {
        return Dialect.redacted(jdbcUrl);
    }

    /** Writes waiting for the writer now (not counting the group it is committing). */
    public int writesWaiting() {
        if (postgres != null) {
            return postgres.writesWaiting();
        }
        return writes.waiting();
    }

    /** From now on, {@code timings} hears how long each commit and WAL force takes. */
    public void timeWrites(WriteTimings timings) {
        if (postgres != null) {
            postgres.timeWith(timings);
            return;
        }
        writes.timeWith(timings);
    }

    public String url() {
        return url;
    }

    /** Which periodic jobs this instance runs: all of them on SQLite, its share on PostgreSQL. */
    public JobClaims jobs() {
        return postgres != null ? postgres.jobs() : JobClaims.ALONE;
    }

    /** True on PostgreSQL, where several instances may share this database. */
    public boolean shared() {
        return postgres != null;
    }

    Dialect dialect() {
        return postgres != null ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    private static <T> T inTransaction(Connection connection, String begin, SqlWork<T> work) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(begin);
        } catch (SQLException e) {
            throw new StoreException("cannot start a transaction: " + e.getMessage(), e);
        }
        boolean committed = false;
        try {
            T result = work.run(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
            }
            committed = true;
            return result;
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        } finally {
            if (!committed) {
                rollback(connection);
            }
        }
    }

    private static void rollback(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            // Already rolled back by SQLite (e.g. after SQLITE_FULL): nothing left to undo.
            log.debug("rollback: {}", e.getMessage());
        }
    }

    private Connection borrowReader() {
        try {
            Connection connection = readers.poll(BUSY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (connection == null) {
                throw new StoreException("no database connection free for reading", null);
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a database connection", e);
        }
    }

    private Connection connect() throws SQLException {
        Connection connection = newConnection(url);
        statements.put(connection, new Sql(connection));
        return connection;
    }

    /** The statement helper of a connection this database handed out. */
    Sql sql(Connection connection) {
        if (postgres != null) {
            return postgres.sql(connection);
        }
        Sql sql = statements.get(connection);
        if (sql == null) {
            throw new IllegalArgumentException("not a connection of this database");
        }
        return sql;
    }

    private static Connection newConnection(String url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        return config.createConnection(url);
    }

    /** The WAL's syncer for a database in a file; none (SQLite's own FULL) otherwise. */
    private static WalSync walSync(String url) throws SQLException {
        Optional<Path> file = fileOf(url).filter(path -> Files.exists(Path.of(path + "-wal")));
        if (file.isEmpty()) {
            return null;
        }
        try {
            return WalSync.of(file.get());
        } catch (IOException e) {
            throw new SQLException("cannot open the database log of " + file.get(), e);
        }
    }

    /** The database file of a {@code jdbc:sqlite:} URL, or empty for memory and URI forms. */
    private static Optional<Path> fileOf(String jdbcUrl) {
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path).toAbsolutePath());
    }

    /**
     * The directory, made if missing, readable by this user only (0700): it holds enrolled
     * phones' last digits, the audit trail and the secret key file next to the database.
     */
    private static void createParentDirectory(String jdbcUrl) {
        Optional<Path> file = fileOf(jdbcUrl);
        if (file.isEmpty()) {
            return;
        }
        Path parent = file.get().getParent();
        try {
            if (parent != null && Files.notExists(parent)) {
                Files.createDirectories(parent);
                restrict(parent, "rwx------");
            }
            if (Files.notExists(file.get())) {
                // Made empty and 0600 before SQLite opens it: SQLite gives its -wal and -shm
                // files the database file's permissions, so none is ever readable by others.
                Files.createFile(file.get());
                restrict(file.get(), "rw-------");
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the database " + file.get() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The database file and SQLite's -wal and -shm beside it: this user only (0600). */
    private static void restrictFiles(String jdbcUrl) {
        fileOf(jdbcUrl).ifPresent(file -> {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path each = Path.of(file + suffix);
                if (Files.exists(each)) {
                    restrict(each, "rw-------");
                }
            }
        });
    }

    private static void restrict(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Windows and other non-POSIX file systems: their own ACLs apply.
        } catch (IOException e) {
            throw new StoreException("cannot restrict " + path + " to its owner: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (postgres != null) {
            checkpoints.shutdownNow();
            postgres.close();
            return;
        }
        checkpoints.shutdownNow();
        try {
            checkpoints.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writes.close();
        checkpoint();
        closeQuietly(checkpointer);
        closeQuietly(writer);
        Connection reader;
        while ((reader = readers.poll()) != null) {
            closeQuietly(reader);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a connection: {}", e.getMessage());
        }
    }
}

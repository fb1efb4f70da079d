package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.countersign.approval.Action;
import dev.countersign.approval.ActionDigest;
import dev.countersign.people.Actor;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.CurrencyCode;
import dev.countersign.approval.Money;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestStatus;
import dev.countersign.audit.AuditEvent;
import dev.countersign.audit.AuditRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    private static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");
    private static final Actor ALICE = new Actor("T0001", "UALICE");

    @TempDir
    Path directory;

    @Test
    void openingCreatesTheMissingDirectoryAndTheFile() {
        Path file = directory.resolve("data/nested/countersign.db");

        try (Database database = Database.open("jdbc:sqlite:" + file)) {
            assertThat(database.healthy()).isTrue();
        }

        assertThat(file).isRegularFile();
    }

    @Test
    void theDatabaseAndItsWalAndShmAreReadableByTheirOwnerOnlyInADirectoryOfTheirOwn()
            throws IOException {
        Path file = directory.resolve("data/countersign.db");

        try (Database database = Database.open("jdbc:sqlite:" + file)) {
            database.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t (n INTEGER)");
                }
                return null;
            });
            assertThat(permissions(file.getParent())).isEqualTo("rwx------");
            for (String suffix : List.of("", "-wal", "-shm")) {
                assertThat(permissions(Path.of(file + suffix))).as("countersign.db" + suffix)
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void anExistingFileReadableByOthersIsRestrictedWhenOpened() throws IOException {
        Path file = directory.resolve("old.db");
        Database.open("jdbc:sqlite:" + file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Database.open("jdbc:sqlite:" + file).close();

        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theFileIsInWalModeForEveryoneWhoOpensIt() throws SQLException {
        Path file = directory.resolve("countersign.db");
        Database.open("jdbc:sqlite:" + file).close();

        // A plain connection with no settings of its own: WAL is a property of the file.
        try (Connection fresh = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(fresh, "journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void everyConnectionCommitsDurablyAndWaitsForLocksInsteadOfFailing() {
        try (Database database = Database.open(url("countersign.db"))) {
            // Reader and writer connections are separate: both must carry the settings.
            // synchronous=2 is FULL. The writer commits with 1 (NORMAL) and a durable write is
            // answered only after WalSync has forced the WAL: on disk before anyone is told.
            assertThat(readerPragma(database, "synchronous")).isEqualTo("2");
            assertThat(writerPragma(database, "synchronous")).isEqualTo("1");
            assertThat(readerPragma(database, "busy_timeout")).isEqualTo("5000");
            assertThat(writerPragma(database, "busy_timeout")).isEqualTo("5000");
            assertThat(readerPragma(database, "journal_mode")).isEqualTo("wal");
            assertThat(writerPragma(database, "foreign_keys")).isEqualTo("1");
        }
    }

    @Test
    void aSecondWriterWaitsForTheFirstInsteadOfFailing() throws Exception {
        String url = url("countersign.db");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Database first = Database.open(url); Database second = Database.open(url)) {
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            ApprovalRequest held = request();
            ApprovalRequest waiting = request();
            Future<?> firstWrite = threads.submit(() -> new SqliteStore(first).write(tx -> {
                tx.requests().insert(held, null);
                writing.countDown();
                await(finish);
                return null;
            }));
            assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

            Future<?> secondWrite = threads.submit(() -> new SqliteStore(second).write(tx -> {
                tx.requests().insert(waiting, null);
                return null;
            }));
            // While the first holds the write lock, readers still see the last commit at once.
            assertThat(find(new SqliteStore(second), held.id())).isEmpty();
            assertThatThrownBy(() -> secondWrite.get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            finish.countDown();

            firstWrite.get(5, TimeUnit.SECONDS);
            secondWrite.get(5, TimeUnit.SECONDS);
            assertThat(find(new SqliteStore(first), waiting.id())).isPresent();
            assertThat(find(new SqliteStore(second), held.id())).isPresent();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void migrationsRunOnceAndReopeningKeepsTheData() {
        String url = url("countersign.db");
        ApprovalRequest request = request();
        try (Database database = Database.open(url)) {
            new SqliteStore(database).write(tx -> {
                tx.requests().insert(request, null);
                return null;
            });
        }

        try (Database reopened = Database.open(url)) {
            int applied = reopened.read(connection -> count(connection,
                    "SELECT COUNT(*) FROM schema_version WHERE version = 1"));
            assertThat(applied).isEqualTo(1);
            assertThat(find(new SqliteStore(reopened), request.id()))
                    .hasValueSatisfying(found -> {
                        assertThat(found.status()).isEqualTo(RequestStatus.AWAITING_CODE);
                        assertThat(found.action()).isEqualTo(request.action());
                        assertThat(found.digest()).isEqualTo(request.digest());
                    });
        }
    }

    @Test
    void auditRowsCannotBeChangedOrDeleted() {
        try (Database database = Database.open(url("countersign.db"))) {
            SqliteStore store = new SqliteStore(database);
            store.write(tx -> tx.audit().append(AuditEvent.of("request.approved", "r-1", "T0001",
                    "UALICE", Map.of("amount", "2500.00")), NOW));

            assertThatThrownBy(() -> database.write(connection -> update(connection,
                    "UPDATE audit_events SET actor = 'UMALLORY'")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> database.write(connection -> update(connection,
                    "DELETE FROM audit_events")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("append-only");

            assertThat(auditRows(store)).singleElement()
                    .satisfies(row -> assertThat(row.actor()).isEqualTo("UALICE"));
        }
    }

    @Test
    void aFailingUnitOfWorkLeavesNoHalfWrittenRows() {
        try (Database database = Database.open(url("countersign.db"))) {
            SqliteStore store = new SqliteStore(database);
            ApprovalRequest request = request();

            assertThatThrownBy(() -> store.write(tx -> {
                tx.requests().insert(request, null);
                tx.audit().append(AuditEvent.of("request.created", request.id(), "T0001", "UALICE",
                        Map.of()), NOW);
                throw new IllegalStateException("the provider answer could not be stored");
            })).isInstanceOf(IllegalStateException.class);

            assertThat(find(store, request.id())).isEmpty();
            assertThat(auditRows(store)).isEmpty();
            // The writer is usable again: the failed transaction did not stay open.
            store.write(tx -> {
                tx.requests().insert(request, null);
                return null;
            });
            assertThat(find(store, request.id())).isPresent();
        }
    }

    @Test
    void aFailingStatementRollsBackWhatTheSameUnitOfWorkWroteBeforeIt() {
        try (Database database = Database.open(url("countersign.db"))) {
            SqliteStore store = new SqliteStore(database);
            ApprovalRequest request = request();

            // The same reference twice breaks the UNIQUE constraint on the second insert.
            ApprovalRequest clash = new ApprovalRequest(UUID.randomUUID().toString(),
                    request.reference(), ALICE, request.action(), request.digest(),
                    RequestStatus.AWAITING_CODE, null, ReplyTo.NOWHERE, NOW, NOW.plusSeconds(300),
                    null, null);
            assertThatThrownBy(() -> store.write(tx -> {
                tx.requests().insert(request, null);
                tx.requests().insert(clash, null);
                return null;
            })).isInstanceOf(StoreException.class);

            assertThat(find(store, request.id())).isEmpty();
        }
    }

    private String url(String name) {
        return "jdbc:sqlite:" + directory.resolve(name);
    }

    private static ApprovalRequest request() {
        String id = UUID.randomUUID().toString();
        Action action = new Action.Payment(new Money(new BigDecimal("2500"),
                CurrencyCode.of("USD").orElseThrow()), "Acme Corp", "INV-1042");
        return new ApprovalRequest(id, "CS-" + id.substring(0, 6).toUpperCase(), ALICE, action,
                ActionDigest.of(id, ALICE, action, NOW), RequestStatus.AWAITING_CODE, null,
                ReplyTo.NOWHERE, NOW, NOW.plusSeconds(300), null, null);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<ApprovalRequest> find(SqliteStore store, String id) {
        return store.read(tx -> tx.requests().find(id));
    }

    private static List<AuditRecord> auditRows(SqliteStore store) {
        return store.read(tx -> tx.audit().after(0, 100));
    }

    private static String readerPragma(Database database, String name) {
        return database.read(connection -> pragma(connection, name));
    }

    private static String writerPragma(Database database, String name) {
        return database.write(connection -> pragma(connection, name));
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }
}

package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.countersign.approval.JobClaims;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditEvent;
import dev.countersign.audit.AuditRecord;
import dev.countersign.testing.StorageEngine;
import dev.countersign.testing.StorageEngine.TestDatabase;
import dev.countersign.testing.TestApp;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What several instances on one PostgreSQL database rely on: they migrate once, append to one
 * audit chain without gaps or forks, and run each periodic job one at a time, a dead holder's
 * job passing to another.
 */
@Timeout(120)
class PostgresDatabaseTest {

    private TestDatabase storage;
    private final List<Database> opened = new ArrayList<>();

    @BeforeEach
    void createSchema() {
        storage = StorageEngine.postgresSchema();
    }

    @AfterEach
    void dropSchema() {
        opened.forEach(Database::close);
        storage.close();
    }

    @Test
    void withoutTheSharedKeyNothingIsOpenedAndTheSettingIsNamed() throws Exception {
        Throwable refused = catchThrowable(() -> Database.open(storage.url()));

        assertThat(refused).isInstanceOf(StoreException.class)
                .hasMessageContaining("COUNTERSIGN_SECRET_KEY");
        assertThat(count("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE table_schema = current_schema()")).as("no table made").isZero();
    }

    @Test
    void threeInstancesStartingTogetherMigrateOnce() throws Exception {
        List<Database> instances = together(3, i -> open());

        assertThat(instances).hasSize(3).allMatch(Database::healthy);
        assertThat(count("SELECT COUNT(*) FROM schema_version"))
                .isEqualTo(Migrations.available(Dialect.POSTGRESQL).size());
    }

    @Test
    void appendsFromThreeInstancesAtOnceMakeOneChainWithoutGapsOrForks() throws Exception {
        List<Database> instances = List.of(open(), open(), open());
        int appends = 300;

        together(appends, i -> new SqliteStore(instances.get(i % 3)).write(tx -> tx.audit()
                .append(AuditEvent.of("test.append", null, "T0001", "U" + i, Map.of()),
                        Instant.parse("2026-01-05T09:00:00Z").plusMillis(i))));

        List<AuditRecord> chain = new SqliteStore(instances.get(0))
                .read(tx -> tx.audit().after(0, Integer.MAX_VALUE));
        assertThat(chain).extracting(AuditRecord::id)
                .containsExactlyElementsOf(ids(appends));
        AuditChain.Verifier verifier = new AuditChain(instances.get(0).keys()).verifier();
        assertThat(chain).allSatisfy(row -> assertThat(verifier.check(row)).isEmpty());
    }

    @Test
    void eachJobRunsOnOneInstanceAndPassesToAnotherWhenItsHolderGoesAway() throws Exception {
        Database first = open();
        Database second = open();
        JobClaims firstJobs = first.jobs();
        JobClaims secondJobs = second.jobs();

        assertThat(firstJobs.holds("expiry-sweep")).isTrue();
        assertThat(secondJobs.holds("expiry-sweep")).as("held by the first").isFalse();
        assertThat(secondJobs.holds("webhook-outbox")).as("another job is free").isTrue();
        assertThat(firstJobs.holds("webhook-outbox")).isFalse();
        assertThat(firstJobs.holds("expiry-sweep")).as("kept while alive").isTrue();

        first.close();
        opened.remove(first);

        // The server drops a closed session's locks as its backend exits, a moment later.
        TestApp.awaitCondition(() -> secondJobs.holds("expiry-sweep"), "the job taken over");
    }

    @Test
    void aHolderWhoseSessionIsKilledLosesTheJobToTheNextInstanceThatAsks() throws Exception {
        Database first = open();
        Database second = open();
        assertThat(first.jobs().holds("expiry-sweep")).isTrue();

        // What the server does when an instance's machine vanishes: its session is ended.
        try (Connection admin = DriverManager.getConnection(storage.url());
             Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_locks "
                    + "WHERE locktype = 'advisory' AND pid <> pg_backend_pid()");
        }

        TestApp.awaitCondition(() -> second.jobs().holds("expiry-sweep"),
                "the job taken over");
        assertThat(first.jobs().holds("expiry-sweep")).as("it noticed, and gave way").isFalse();
    }

    @Test
    void theAuditTableRefusesUpdatesDeletesAndTruncation() throws Exception {
        Database database = open();
        new SqliteStore(database).write(tx -> tx.audit().append(AuditEvent.of("test.append",
                null, "T0001", "U1", Map.of()), Instant.now()));

        for (String tampering : List.of("UPDATE audit_events SET actor = 'UMALLORY'",
                "DELETE FROM audit_events", "TRUNCATE audit_events")) {
            try (Connection connection = DriverManager.getConnection(storage.url());
                 Statement statement = connection.createStatement()) {
                assertThat(catchThrowable(
                        () -> statement.execute(tampering)))
                        .as(tampering).hasMessageContaining("append-only");
            }
        }
        assertThat(count("SELECT COUNT(*) FROM audit_events")).isEqualTo(1);
    }

    private Database open() {
        Database database = StorageEngine.open(storage.url());
        synchronized (opened) {
            opened.add(database);
        }
        return database;
    }

    private static List<Long> ids(int count) {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            ids.add(id);
        }
        return ids;
    }

    private int count(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(storage.url());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @FunctionalInterface
    private interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} {@code count} times on as many threads, released by one gate. */
    private static <T> List<T> together(int count, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 16));
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    gate.await();
                    return task.run(index);
                }));
            }
            gate.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

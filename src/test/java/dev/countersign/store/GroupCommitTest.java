package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that arrive together share a commit, but each succeeds or fails on its own. */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void concurrentWritesAllLandAndAFailingOneRollsBackAlone() throws Exception {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("g.db"))) {
            database.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)");
                }
                return null;
            });
            ExecutorService threads = Executors.newFixedThreadPool(32);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> writes = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    writes.add(threads.submit(() -> {
                        go.await();
                        return database.write(connection -> {
                            try (PreparedStatement insert = connection.prepareStatement(
                                    "INSERT INTO t VALUES (?)")) {
                                insert.setInt(1, n);
                                insert.executeUpdate();
                            }
                            if (n == 13) {
                                throw new IllegalStateException("unit 13 fails after writing");
                            }
                            return n;
                        });
                    }));
                }
                go.countDown();
                int failed = 0;
                for (Future<Integer> write : writes) {
                    try {
                        write.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).hasMessageContaining("unit 13");
                        failed++;
                    }
                }
                assertThat(failed).isEqualTo(1);
            } finally {
                threads.shutdownNow();
            }

            List<Integer> stored = database.read(connection -> {
                List<Integer> rows = new ArrayList<>();
                try (Statement statement = connection.createStatement();
                     ResultSet result = statement.executeQuery("SELECT n FROM t ORDER BY n")) {
                    while (result.next()) {
                        rows.add(result.getInt(1));
                    }
                }
                return rows;
            });
            assertThat(stored).hasSize(199).doesNotContain(13).contains(0, 12, 14, 199);
        }
    }

    @Test
    void aWriteIsCommittedBeforeItReturns() {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("c.db"))) {
            database.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t (n INTEGER)");
                }
                return null;
            });
            for (int i = 1; i <= 50; i++) {
                database.write(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("INSERT INTO t VALUES (1)");
                    }
                    return null;
                });
                int seen = database.read(connection -> {
                    try (Statement statement = connection.createStatement();
                         ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                        rows.next();
                        return rows.getInt(1);
                    }
                });
                assertThat(seen).isEqualTo(i);
            }
        }
    }

    @Test
    void aWriteThatDoesNotWaitForTheDiskIsStillCommittedAndKeptAcrossAReopen() {
        String url = "jdbc:sqlite:" + dir.resolve("soon.db");
        try (Database database = Database.open(url)) {
            database.write(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE t (n INTEGER)");
                }
                return null;
            });
            for (int i = 1; i <= 20; i++) {
                int n = i;
                // Alternating, so groups switch between waiting for the disk and not.
                SqlWork<Void> insert = connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("INSERT INTO t VALUES (" + n + ")");
                    }
                    return null;
                };
                if (i % 2 == 0) {
                    database.writeSoon(insert);
                } else {
                    database.write(insert);
                }
                assertThat(count(database)).isEqualTo(i);
            }
        }
        try (Database reopened = Database.open(url)) {
            assertThat(count(reopened)).isEqualTo(20);
        }
    }

    private static int count(Database database) {
        return database.read(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    @Test
    void anErrorInOneWriteFailsItAloneAndTheWriterGoesOn() {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("error.db"))) {
            assertThatThrownBy(() -> database.write(connection -> {
                throw new AssertionError("deep");
            })).isInstanceOf(StoreException.class).hasMessageContaining("deep");

            String written = database.write(connection -> "still writing");
            assertThat(written).isEqualTo("still writing");
            assertThat(database.healthy()).isTrue();
        }
    }

    @Test
    void aWriterThatRanOutOfMemoryRefusesLaterWritesAtOnceAndIsNotHealthy() {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("oom.db"))) {
            assertThatThrownBy(() -> database.write(connection -> {
                throw new OutOfMemoryError("simulated");
            })).isInstanceOf(StoreException.class).hasMessageContaining("writer has stopped");

            long began = System.nanoTime();
            assertThatThrownBy(() -> database.write(connection -> "never"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("has stopped");
            assertThat(Duration.ofNanos(System.nanoTime() - began))
                    .as("refused, not left waiting").isLessThan(Duration.ofSeconds(2));
            assertThat(database.healthy()).isFalse();
        }
    }

    @Test
    void aWriterStuckLongerThanTwoSecondsMakesTheDatabaseUnhealthy() throws Exception {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("stuck.db"))) {
            CountDownLatch stuck = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofVirtual().start(() -> database.write(connection -> {
                stuck.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();

            boolean healthy = database.healthy();

            release.countDown();
            holder.join(Duration.ofSeconds(10));
            assertThat(healthy).as("while the writer was stuck").isFalse();
            assertThat(database.healthy()).as("once it is free again").isTrue();
        }
    }

    @Test
    void durableWritesAreForcedToDiskOffTheWriterThread() {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("sync.db"))) {
            String writtenOn = database.write(connection -> Thread.currentThread().getName());

            assertThat(writtenOn).isEqualTo("sqlite-writer");
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .as("the WAL is forced by a thread of its own").contains("sqlite-wal-sync");
        }
    }

    @Test
    void aWriteInsideAWriteIsRefused() {
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("n.db"))) {
            assertThatThrownBy(() -> database.write(connection -> database.write(inner -> 1)))
                    .hasMessageContaining("may not start another");
        }
    }
}

package dev.countersign.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All writes, on one thread and one connection, committed in groups. With
 * {@code synchronous=FULL} every commit waits for the disk (about a millisecond here), and one
 * approval takes several transactions, so committing one at a time caps the whole service at a
 * few hundred approvals a second. Units of work that arrive together share one {@code BEGIN
 * IMMEDIATE … COMMIT}: each runs in its own savepoint (a failing one rolls back alone, the others
 * keep their changes), and nobody is answered before the shared commit is on disk.
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Enough to amortise an fsync; small enough that one group stays short. */
    private static final int MAX_GROUP = 128;

    /** A unit of work and, once its group is committed, its result. */
    private static final class Unit<T> {
        private final SqlWork<T> work;
        private final boolean durable;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;

        Unit(SqlWork<T> work, boolean durable) {
            this.work = work;
            this.durable = durable;
        }

        void run(Connection connection) throws SQLException {
            result = work.run(connection);
        }

        /** Only after COMMIT: nobody may act on a change that could still be lost. */
        void committed() {
            done.complete(result);
        }

        CompletableFuture<T> done() {
            return done;
        }

        /** Committed, but the disk could not be made to keep it: the caller hears a failure. */
        void failed(StoreException failure) {
            done.completeExceptionally(failure);
        }
    }

    private static final Unit<Void> STOP = new Unit<>(connection -> null, true);

    private final Connection connection;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    /**
     * The longest any write waits for its commit before its caller is told it failed: long
     * past any healthy group (milliseconds) and any fsync stall seen (a quarter second).
     */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final Thread writer;
    private volatile boolean stopped;
    /** Forces the WAL to disk for durable writes, off the writer; null: SQLite's own FULL. */
    private final WalSync walSync;
    /** Hears each commit's duration ({@code GET /metrics}); set once at start-up. */
    private volatile WriteTimings timings = WriteTimings.NONE;
    /** The connection's {@code synchronous} setting now: FULL unless a group needed less. */
    private boolean syncFull = true;

    GroupCommit(Connection connection) {
        this(connection, null);
    }

    /**
     * With {@code walSync}, commits never wait for the disk on the writer: the connection runs
     * {@code synchronous=NORMAL}, and a durable write is answered only once {@code walSync} has
     * forced the WAL, which a separate thread does for every commit made before it started.
     * An fsync that stalls (150–250 ms here, one in a thousand) then holds up only the durable
     * writes waiting for it, never the writer and the writes behind it.
     */
    GroupCommit(Connection connection, WalSync walSync) {
        this.connection = connection;
        this.walSync = walSync;
        if (walSync != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA synchronous = NORMAL");
            } catch (SQLException e) {
                throw new StoreException("cannot set up the database writer: " + e.getMessage(),
                        e);
            }
            syncFull = false;
        }
        // One platform thread on purpose: SQLite has one writer, and group commit needs it.
        this.writer = Thread.ofPlatform().name("sqlite-writer").daemon().unstarted(this::loop);
        this.writer.start();
    }

    /** Runs {@code work} in a write transaction; returns once its changes are on disk. */
    <T> T write(SqlWork<T> work) {
        return run(new Unit<>(work, true));
    }

    /**
     * Runs {@code work} in a write transaction; returns once its changes are committed, without
     * waiting for the disk. A process that dies keeps them (they are in the WAL); a machine that
     * loses power may lose them, unless a later durable write has reached the disk, which takes
     * every earlier change with it. Only for writes that decide nothing and have caused nothing
     * outside yet, like a new request: on this machine's disk one fsync in a thousand took
     * 150–250 ms, and every acknowledgement queued behind it.
     */
    <T> T writeSoon(SqlWork<T> work) {
        return run(new Unit<>(work, false));
    }

    /** Writes queued for the writer, not yet in a group. */
    int waiting() {
        return queue.size();
    }

    void timeWith(WriteTimings timings) {
        this.timings = timings;
        if (walSync != null) {
            walSync.timeWith(timings);
        }
    }

    /** Whether the writer is still there to commit; false once it has stopped or died. */
    boolean alive() {
        return writer.isAlive() && !stopped;
    }

    /**
     * Runs {@code work} and returns within {@code timeout}, or throws: for checks that must not
     * wait behind a stuck writer (the health check). The work may still commit afterwards.
     */
    <T> T writeWithin(SqlWork<T> work, Duration timeout) {
        return run(new Unit<>(work, true), timeout);
    }

    private <T> T run(Unit<T> unit) {
        return run(unit, MAX_WAIT);
    }

    private <T> T run(Unit<T> unit, Duration timeout) {
        if (Thread.currentThread() == writer) {
            throw new IllegalStateException("a write transaction may not start another");
        }
        if (!alive()) {
            throw new StoreException("the database writer has stopped; restart Countersign", null);
        }
        queue.add(unit);
        if (stopped && !writer.isAlive()) {
            // The writer died between the check above and the add: nobody will take it.
            unit.done().completeExceptionally(new StoreException(
                    "the database writer has stopped; restart Countersign", null));
        }
        try {
            return unit.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new StoreException("a database write did not complete within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted waiting for a database write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new StoreException("database error: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void loop() {
        try {
            commitGroups();
        } catch (VirtualMachineError fatal) {
            // Out of memory (or stack) on the writer: nothing more can be trusted to commit.
            // Everyone waiting hears it now, later writers are refused, /healthz says 503, and
            // the process's handler for such errors ends it (Main).
            stopped = true;
            failAll(stoppedBy(fatal));
            throw fatal;
        }
    }

    private static StoreException stoppedBy(VirtualMachineError fatal) {
        return new StoreException("the database writer has stopped (" + fatal
                + "); restart Countersign", fatal);
    }

    private void failAll(StoreException failure) {
        Unit<?> waiting;
        while ((waiting = queue.poll()) != null) {
            waiting.done().completeExceptionally(failure);
        }
    }

    private void commitGroups() {
        List<Unit<?>> group = new ArrayList<>();
        while (true) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            boolean stop = group.remove(STOP);
            if (!group.isEmpty()) {
                long started = System.nanoTime();
                commit(group);
                timings.committed(group.size(), System.nanoTime() - started);
            }
            group.clear();
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Unit<?>> group) {
        try (Statement statement = connection.createStatement()) {
            boolean full = walSync == null && group.stream().anyMatch(unit -> unit.durable);
            if (full != syncFull) {
                statement.execute(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                syncFull = full;
            }
            statement.execute("BEGIN IMMEDIATE");
            List<Unit<?>> applied = new ArrayList<>();
            for (Unit<?> unit : group) {
                statement.execute("SAVEPOINT unit");
                try {
                    unit.run(connection);
                    statement.execute("RELEASE unit");
                    applied.add(unit);
                } catch (VirtualMachineError fatal) {
                    failGroup(group, fatal);
                    throw fatal;
                } catch (SQLException | RuntimeException | Error e) {
                    // An Error from one unit (an AssertionError or a LinkageError, say) fails that
                    // unit alone: the writer, and everyone else's writes, go on.
                    statement.execute("ROLLBACK TO unit");
                    statement.execute("RELEASE unit");
                    unit.done().completeExceptionally(e instanceof RuntimeException runtime
                            ? runtime : new StoreException("database error: " + e, e));
                }
            }
            statement.execute("COMMIT");
            if (walSync == null) {
                applied.forEach(Unit::committed);
            } else {
                for (Unit<?> unit : applied) {
                    if (unit.durable) {
                        walSync.afterNextForce(unit::committed, unit::failed);
                    } else {
                        unit.committed();
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            rollback();
            log.error("a group of {} writes failed to commit: {}", group.size(), e.getMessage());
            StoreException failure = new StoreException("database commit failed: " + e.getMessage(),
                    e);
            group.forEach(unit -> unit.done().completeExceptionally(failure));
        }
    }

    private void failGroup(List<Unit<?>> group, VirtualMachineError fatal) {
        rollback();
        StoreException failure = stoppedBy(fatal);
        group.forEach(unit -> unit.done().completeExceptionally(failure));
    }

    private void rollback() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            log.debug("rollback after a failed commit: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        stopped = true;
        queue.add(STOP);
        try {
            writer.join(5_000);
            if (walSync != null) {
                walSync.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

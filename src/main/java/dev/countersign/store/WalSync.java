package dev.countersign.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the SQLite write-ahead log on disk for the writes that must be durable, on a thread of
 * its own. One {@code fsync} of the WAL makes every commit written before it durable, so the
 * writes waiting are answered together after each one (group commit's second half).
 */
final class WalSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WalSync.class);

    /** Something to answer once the WAL is on disk, or to fail if it cannot be. */
    private record Waiting(Runnable durable, Consumer<StoreException> failed) {
    }

    private static final Waiting STOP = new Waiting(() -> { }, failure -> { });

    private final FileChannel wal;
    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final Thread syncer;
    /** Hears each force's duration ({@code GET /metrics}); set once at start-up. */
    private volatile WriteTimings timings = WriteTimings.NONE;

    private WalSync(FileChannel wal) {
        this.wal = wal;
        this.syncer = Thread.ofPlatform().name("sqlite-wal-sync").daemon().unstarted(this::loop);
        syncer.start();
    }

    /** For the database file {@code database}, whose WAL SQLite has already created. */
    static WalSync of(Path database) throws IOException {
        return new WalSync(FileChannel.open(Path.of(database + "-wal"),
                StandardOpenOption.WRITE));
    }

    void timeWith(WriteTimings timings) {
        this.timings = timings;
    }

    /** Runs {@code durable} after the next fsync that starts from now. */
    void afterNextForce(Runnable durable, Consumer<StoreException> failed) {
        queue.add(new Waiting(durable, failed));
    }

    private void loop() {
        List<Waiting> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                force(batch);
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void force(List<Waiting> batch) {
        try {
            long started = System.nanoTime();
            wal.force(false);
            timings.forced(batch.size(), System.nanoTime() - started);
            batch.forEach(waiting -> waiting.durable().run());
        } catch (IOException | RuntimeException e) {
            log.error("the database log could not be put on disk: {}", e.toString());
            StoreException failure = new StoreException("the database could not be put on "
                    + "disk: " + e.getMessage(), e);
            batch.forEach(waiting -> waiting.failed().accept(failure));
        }
    }

    @Override
    public void close() {
        queue.add(STOP);
        try {
            syncer.join(5_000);
            wal.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("closing the WAL channel: {}", e.getMessage());
        }
    }
}

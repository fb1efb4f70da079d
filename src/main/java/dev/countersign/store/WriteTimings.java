package dev.countersign.store;

/**
 * Hears how long the single writer's work takes: each group commit ({@code BEGIN IMMEDIATE …
 * COMMIT}) and each forced write of the WAL. Called on the writer and WAL threads, so an
 * implementation must be quick and must not throw (counters and timers are).
 */
public interface WriteTimings {

    /** Does nothing: the default until someone watches. */
    WriteTimings NONE = new WriteTimings() {
    };

    /** A group of {@code units} writes committed (or failed to) after {@code nanos}. */
    default void committed(int units, long nanos) {
    }

    /** The WAL was forced to disk for {@code waiting} durable writes, taking {@code nanos}. */
    default void forced(int waiting, long nanos) {
    }
}

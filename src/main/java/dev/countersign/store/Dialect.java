package dev.countersign.store;

import dev.countersign.logging.Redaction;

/**
 * The SQL that differs between the two databases Countersign runs on, in one place. Everything
 * else the repositories write is plain SQL both accept (upserts with {@code ON CONFLICT}, the
 * target table named in {@code DO UPDATE}, aliased aggregates, booleans bound as 0/1).
 *
 * <p>Migrations are written once per dialect, under {@link #migrationDirectory()}, with the same
 * file names: see {@code db/migration/migrations.txt}.
 */
enum Dialect {

    /** The default: one file, one writer ({@link GroupCommit}), {@code BEGIN IMMEDIATE}. */
    SQLITE("jdbc:sqlite:", "db/migration/"),

    /** Several instances on one database: a pool of connections, see {@link PostgresDatabase}. */
    POSTGRESQL("jdbc:postgresql:", "db/migration/postgresql/");

    private final String urlPrefix;
    private final String migrationDirectory;

    Dialect(String urlPrefix, String migrationDirectory) {
        this.urlPrefix = urlPrefix;
        this.migrationDirectory = migrationDirectory;
    }

    /** The dialect a JDBC URL names. */
    static Dialect of(String jdbcUrl) {
        for (Dialect dialect : values()) {
            if (jdbcUrl.startsWith(dialect.urlPrefix)) {
                return dialect;
            }
        }
        throw new IllegalArgumentException("not a SQLite or PostgreSQL JDBC URL");
    }

    /** Where this dialect's {@code V<n>__<what>.sql} files are on the class path. */
    String migrationDirectory() {
        return migrationDirectory;
    }

    /** What opens a migration's transaction (SQLite: take the write lock at once). */
    String beginMigration() {
        return switch (this) {
            case SQLITE -> "BEGIN IMMEDIATE";
            case POSTGRESQL -> "BEGIN";
        };
    }

    /**
     * {@code insert} made to return the new row's {@code id} as a one-column result, or null
     * where the id is read afterwards with {@link #lastInsertId()} instead.
     */
    String insertReturningId(String insert) {
        return switch (this) {
            case SQLITE -> null;
            case POSTGRESQL -> insert + " RETURNING id";
        };
    }

    /** The id the connection's last INSERT gave its row (SQLite only). */
    String lastInsertId() {
        return "SELECT last_insert_rowid()";
    }

    /**
     * The statement every write transaction starts with, so writes run one at a time across all
     * instances, as {@code BEGIN IMMEDIATE} makes them on SQLite (PostgreSQL only: SQLite's
     * writer takes its lock in {@link GroupCommit}). Bound with the lock's key.
     */
    String writeLock() {
        return "SELECT pg_advisory_xact_lock(?)";
    }

    /** The first statement of a read: one snapshot for all of it, and no writes (PostgreSQL). */
    String readOnlySnapshot() {
        return "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    }

    /** Takes a session lock, waiting for it (migrations). Bound with the lock's key. */
    String sessionLock() {
        return "SELECT pg_advisory_lock(?)";
    }

    String sessionUnlock() {
        return "SELECT pg_advisory_unlock(?)";
    }

    /** Takes a session lock if free; answers whether this session holds it now. */
    String trySessionLock() {
        return "SELECT pg_try_advisory_lock(?)";
    }

    /** The URL with any password in it masked, for logs and error messages. */
    static String redacted(String jdbcUrl) {
        return Redaction.apply(jdbcUrl);
    }
}

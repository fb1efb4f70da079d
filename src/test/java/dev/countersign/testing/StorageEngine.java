package dev.countersign.testing;

import dev.countersign.keys.SecretKeys;
import dev.countersign.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The two databases Countersign runs on, as the storage tests meet them: SQLite in a temp file,
 * and PostgreSQL (the machine's, on 127.0.0.1:5432, trust auth, database {@code test}) in a
 * fresh schema of its own, dropped afterwards.
 */
public enum StorageEngine {
    SQLITE,
    POSTGRESQL;

    /** Where the tests' PostgreSQL is; {@code .ci/run} starts it when it is down. */
    public static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String ADMIN = POSTGRES_SERVER + "?user=postgres";
    /**
     * The key every test instance on a PostgreSQL database is given (as each server of one
     * installation would be): there is no key file beside a PostgreSQL database.
     */
    public static final String POSTGRES_KEY = "5e".repeat(32);

    /** The keys a database at {@code url} is opened with in the tests. */
    public static SecretKeys keysFor(String url) {
        return url.startsWith("jdbc:postgresql:")
                ? new SecretKeys(Optional.of(POSTGRES_KEY), List.of()) : SecretKeys.FROM_FILE;
    }

    /** Opens the database at {@code url} as a server would (with the test key on PostgreSQL). */
    public static Database open(String url) {
        return Database.open(url, keysFor(url));
    }

    /** A database of this engine for one test; close it to drop it. */
    public TestDatabase create(Path directory) {
        return switch (this) {
            case SQLITE -> new TestDatabase("jdbc:sqlite:" + directory.resolve("countersign.db"),
                    () -> { });
            case POSTGRESQL -> postgresSchema();
        };
    }

    /** A fresh, empty PostgreSQL schema; its URL makes it the connection's current schema. */
    public static TestDatabase postgresSchema() {
        String schema = "cs_test_" + UUID.randomUUID().toString().replace("-", "")
                .substring(0, 12);
        admin("CREATE SCHEMA " + schema);
        return new TestDatabase(POSTGRES_SERVER + "?user=postgres&currentSchema=" + schema,
                () -> admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }

    /** The statement that removes one of the audit table's guard triggers. */
    public String dropAuditTrigger(String trigger) {
        return switch (this) {
            case SQLITE -> "DROP TRIGGER " + trigger;
            case POSTGRESQL -> "DROP TRIGGER " + trigger + " ON audit_events";
        };
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(ADMIN);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for the tests (" + POSTGRES_SERVER
                    + ") refused `" + sql + "`: " + e.getMessage()
                    + " — is it running? .ci/run starts it.", e);
        }
    }

    /** One test's database: its JDBC URL, and what drops it. */
    public record TestDatabase(String url, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }
}

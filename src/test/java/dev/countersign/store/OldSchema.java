package dev.countersign.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * A database as an older Countersign left it: the migrations up to a version applied by hand and
 * recorded in {@code schema_version} as {@link Migrations} records them, so the next open
 * migrates it from there as it would a real one.
 */
final class OldSchema {

    private OldSchema() {
    }

    /** Applies {@code dialect}'s migrations up to and including {@code version}. */
    static void migrateUpTo(Connection connection, Dialect dialect, int version,
                            Instant installedAt) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // The table as Migrations.migrate creates it (BIGINT is an INTEGER to SQLite too).
            statement.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, checksum TEXT NOT NULL, installed_at BIGINT "
                    + "NOT NULL)");
            for (Migrations.Migration migration : Migrations.available(dialect)) {
                if (migration.version() > version) {
                    break;
                }
                for (String sql : Migrations.statements(migration.sql())) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_version VALUES (?, ?, ?, ?)")) {
                    insert.setInt(1, migration.version());
                    insert.setString(2, migration.description());
                    insert.setString(3, migration.checksum());
                    insert.setLong(4, installedAt.toEpochMilli());
                    insert.executeUpdate();
                }
            }
        }
    }
}

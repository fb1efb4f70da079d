package dev.countersign.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code db/migration/V<n>__<description>.sql} on the class path,
 * listed in {@code db/migration/migrations.txt}, applied in order, each in one transaction with
 * its row in {@code schema_version}. An applied migration whose file changed since is refused
 * (its checksum no longer matches) rather than silently diverging.
 *
 * <p>Why not Flyway: it took over a second of a two-second start-up budget on this two-core
 * target, for the handful of SQLite migrations Countersign has; this class does the same job in
 * milliseconds.
 */
final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    private static final String DIRECTORY = "db/migration/";

    /** One migration file. */
    record Migration(int version, String description, String sql, String checksum) {
    }

    private Migrations() {
    }

    /** A step in Java that completes a migration, in the same transaction as its SQL. */
    @FunctionalInterface
    interface JavaStep {
        void run(Connection connection) throws SQLException;
    }

    /** Applies every migration the database doesn't have yet; returns how many were applied. */
    static int migrate(Connection connection) throws SQLException {
        return migrate(connection, Dialect.SQLITE, Map.of());
    }

    /** Like {@link #migrate(Connection)}, each version's {@code steps} run after its SQL. */
    static int migrate(Connection connection, Map<Integer, JavaStep> steps) throws SQLException {
        return migrate(connection, Dialect.SQLITE, steps);
    }

    /**
     * The same for {@code dialect}'s files. The caller holds whatever lock keeps two processes
     * from migrating at once (SQLite: one process owns the file; PostgreSQL: an advisory lock).
     */
    static int migrate(Connection connection, Dialect dialect, Map<Integer, JavaStep> steps)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, checksum TEXT NOT NULL, installed_at BIGINT "
                    + "NOT NULL)");
        }
        Map<Integer, String> applied = applied(connection);
        int count = 0;
        for (Migration migration : available(dialect)) {
            String checksum = applied.get(migration.version());
            if (checksum != null) {
                if (!checksum.equals(migration.checksum())) {
                    throw new SQLException("migration V" + migration.version() + " ("
                            + migration.description() + ") was changed after it was applied");
                }
                continue;
            }
            apply(connection, migration, dialect, steps.get(migration.version()));
            count++;
        }
        return count;
    }

    static List<Migration> available() {
        return available(Dialect.SQLITE);
    }

    /**
     * The migrations {@code migrations.txt} lists, read from {@code dialect}'s directory: one
     * list for both dialects, so a version missing from either stops start-up by name.
     */
    static List<Migration> available(Dialect dialect) {
        List<Migration> migrations = new ArrayList<>();
        for (String line : resource(DIRECTORY + "migrations.txt").split("\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (!name.matches("V[0-9]+__[A-Za-z0-9_]+\\.sql")) {
                throw new IllegalStateException("bad migration file name " + name);
            }
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            String description = name.substring(name.indexOf("__") + 2, name.length() - 4)
                    .replace('_', ' ');
            String sql = resource(dialect.migrationDirectory() + name);
            migrations.add(new Migration(version, description, sql, sha256(sql)));
        }
        // Increasing, not necessarily contiguous: versions are handed out to changes made side
        // by side, and one may be listed before another's lands.
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() <= migrations.get(i - 1).version()) {
                throw new IllegalStateException("migrations must be listed in increasing order");
            }
        }
        return migrations;
    }

    private static void apply(Connection connection, Migration migration, Dialect dialect,
            JavaStep step) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(dialect.beginMigration());
            try {
                for (String sql : statements(migration.sql())) {
                    statement.execute(sql);
                }
                if (step != null) {
                    step.run(connection);
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO schema_version VALUES (?, ?, ?, ?)")) {
                    insert.setInt(1, migration.version());
                    insert.setString(2, migration.description());
                    insert.setString(3, migration.checksum());
                    insert.setLong(4, System.currentTimeMillis());
                    insert.executeUpdate();
                }
                statement.execute("COMMIT");
                log.info("database migrated to V{} ({})", migration.version(),
                        migration.description());
            } catch (SQLException | RuntimeException e) {
                statement.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static Map<Integer, String> applied(Connection connection) throws SQLException {
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version, checksum FROM schema_version")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    /**
     * The file's statements, split on semicolons that end a line. Trigger bodies keep theirs:
     * a {@code CREATE TRIGGER} runs until its {@code END;}, and a PostgreSQL function's
     * {@code $$}-quoted body until the closing {@code $$}.
     */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inTrigger = false;
        boolean inBody = false;
        for (String line : sql.split("\n")) {
            String code = line.replaceFirst("--.*$", "").strip();
            if (code.isEmpty()) {
                continue;
            }
            current.append(code).append('\n');
            // A SQLite trigger's body (PostgreSQL's triggers call a function instead).
            if (code.equalsIgnoreCase("BEGIN") && current.toString()
                    .toUpperCase(java.util.Locale.ROOT).startsWith("CREATE TRIGGER")) {
                inTrigger = true;
            }
            if (dollarQuotes(code) % 2 == 1) {
                inBody = !inBody;
            }
            boolean ends = !inBody && (inTrigger ? code.equalsIgnoreCase("END;")
                    : code.endsWith(";"));
            if (ends) {
                statements.add(current.toString().strip());
                current.setLength(0);
                inTrigger = false;
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static int dollarQuotes(String code) {
        int count = 0;
        for (int at = code.indexOf("$$"); at >= 0; at = code.indexOf("$$", at + 2)) {
            count++;
        }
        return count;
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing " + path + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @TempDir
    Path dir;

    @Test
    void splitsStatementsButKeepsTriggerBodiesWhole() {
        List<String> statements = Migrations.statements("""
                -- a comment; with a semicolon
                CREATE TABLE a (x INTEGER); -- trailing
                CREATE TRIGGER t BEFORE DELETE ON a
                BEGIN
                    SELECT RAISE(ABORT, 'no');
                END;
                CREATE INDEX i ON a (x);
                """);

        assertThat(statements).hasSize(3);
        assertThat(statements.get(1)).startsWith("CREATE TRIGGER").contains("RAISE").endsWith("END;");
    }

    @Test
    void everyListedMigrationIsWrittenForBothDatabasesWithTheSameVersions() {
        List<Integer> sqlite = Migrations.available(Dialect.SQLITE).stream()
                .map(Migrations.Migration::version).toList();
        List<Integer> postgres = Migrations.available(Dialect.POSTGRESQL).stream()
                .map(Migrations.Migration::version).toList();

        assertThat(postgres).isEqualTo(sqlite).isNotEmpty();
        assertThat(Migrations.available(Dialect.POSTGRESQL)).allSatisfy(migration ->
                assertThat(String.join("\n", Migrations.statements(migration.sql())))
                        .as("V%d for PostgreSQL", migration.version())
                        .doesNotContainIgnoringCase("AUTOINCREMENT")
                        .doesNotContainIgnoringCase("WITHOUT ROWID")
                        .doesNotContainIgnoringCase("strftime"));
    }

    @Test
    void splitsPostgresFunctionBodiesAtTheirClosingQuote() {
        List<String> statements = Migrations.statements("""
                CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'no';
                END;
                $$;
                CREATE TRIGGER t BEFORE DELETE ON a
                    FOR EACH ROW EXECUTE FUNCTION f();
                CREATE INDEX i ON a (x);
                """);

        assertThat(statements).hasSize(3);
        assertThat(statements.get(0)).contains("RAISE EXCEPTION").endsWith("$$;");
        assertThat(statements.get(1)).startsWith("CREATE TRIGGER").endsWith("f();");
    }

    @Test
    void appliesEveryMigrationOnceAndRecordsIt() throws SQLException {
        try (Connection connection = connect()) {
            assertThat(Migrations.migrate(connection)).isEqualTo(Migrations.available().size());
            assertThat(Migrations.migrate(connection)).isZero();
            assertThat(count(connection, "SELECT COUNT(*) FROM schema_version"))
                    .isEqualTo(Migrations.available().size());
            assertThat(count(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"))
                    .isEqualTo(2);
        }
    }

    @Test
    void refusesToRunWhenAnAppliedMigrationWasEdited() throws SQLException {
        try (Connection connection = connect()) {
            Migrations.migrate(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("UPDATE schema_version SET checksum = 'edited' WHERE version = 1");
            }

            assertThatThrownBy(() -> Migrations.migrate(connection))
                    .hasMessageContaining("V1").hasMessageContaining("changed after it was applied");
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("m.db"));
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

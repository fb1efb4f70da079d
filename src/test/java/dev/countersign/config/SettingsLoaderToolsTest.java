package dev.countersign.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderToolsTest {

    private static final String KEY = "ab".repeat(32);

    @TempDir
    Path directory;

    @Test
    void toolsNeedNoSlackOrSignalWireSettings() {
        ToolSettings settings = SettingsLoader.forTools(Map.of(), directory.resolve("none.env"));

        assertThat(settings.databaseUrl()).isEqualTo("jdbc:sqlite:data/countersign.db");
        assertThat(settings.allowedCountries()).contains("US", "GB");
    }

    @Test
    void environmentWinsOverTheDotenvFile() throws Exception {
        Path dotenv = Files.writeString(directory.resolve(".env"),
                "DATABASE_URL=jdbc:sqlite:from-file.db\nALLOWED_COUNTRIES=GB,IE\n");

        ToolSettings settings = SettingsLoader.forTools(
                Map.of("DATABASE_URL", "jdbc:sqlite:from-env.db"), dotenv);

        assertThat(settings.databaseUrl()).isEqualTo("jdbc:sqlite:from-env.db");
        assertThat(settings.allowedCountries()).containsExactlyInAnyOrder("GB", "IE");
    }

    @Test
    void everyBadToolSettingIsNamed() {
        assertThatThrownBy(() -> SettingsLoader.forTools(Map.of("DATABASE_URL", "jdbc:mysql:x",
                "ALLOWED_COUNTRIES", "US,XX"), directory.resolve("none.env")))
                .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems())
                        .hasSize(2)
                        .anySatisfy(problem -> assertThat(problem).startsWith("DATABASE_URL"))
                        .anySatisfy(problem ->
                                assertThat(problem).startsWith("ALLOWED_COUNTRIES")));
    }

    @Test
    void aPostgresUrlTakesItsUserAndPasswordFromTheirOwnSettings() {
        ToolSettings settings = SettingsLoader.forTools(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db.example.com:5432/countersign",
                "DATABASE_USER", "countersign", "DATABASE_PASSWORD", "p&ss=word",
                "COUNTERSIGN_SECRET_KEY", KEY),
                directory.resolve("none.env"));

        assertThat(settings.databaseUrl()).isEqualTo("jdbc:postgresql://db.example.com:5432/"
                + "countersign?user=countersign&password=p%26ss%3Dword");
    }

    @Test
    void aUserGivenTwiceOrForSqliteIsRefusedByName() {
        assertThatThrownBy(() -> SettingsLoader.forTools(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/countersign?user=a",
                "DATABASE_USER", "b", "COUNTERSIGN_SECRET_KEY", KEY),
                directory.resolve("none.env")))
                .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("DATABASE_USER")
                        .contains("one place"));
        assertThatThrownBy(() -> SettingsLoader.forTools(Map.of(
                "DATABASE_URL", "jdbc:sqlite:data/countersign.db",
                "DATABASE_PASSWORD", "secret"), directory.resolve("none.env")))
                .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains("PostgreSQL only")
                        .doesNotContain("secret"));
    }

    @Test
    void aPostgresUrlWithoutTheKeyIsRefusedNamingIt() {
        // Several instances must share one key, and there is no file beside the database.
        assertThatThrownBy(() -> SettingsLoader.forTools(Map.of(
                "DATABASE_URL", "jdbc:postgresql://db/countersign"),
                directory.resolve("none.env")))
                .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("COUNTERSIGN_SECRET_KEY")
                        .contains("PostgreSQL", "openssl rand -hex 32"));
    }
}

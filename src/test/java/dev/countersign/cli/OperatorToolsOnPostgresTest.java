package dev.countersign.cli;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestStatus;
import dev.countersign.config.SettingsLoader;
import dev.countersign.people.Actor;
import dev.countersign.store.Database;
import dev.countersign.people.Enrollment;
import dev.countersign.testing.ApprovalsHarness;
import dev.countersign.testing.FakeSignalWire;
import dev.countersign.testing.StorageEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator's commands against a PostgreSQL database that a server is using: the same
 * answers as on SQLite, with {@code DATABASE_URL} (and the user beside it) the only change.
 */
class OperatorToolsOnPostgresTest {

    @TempDir
    Path directory;
    private ApprovalsHarness server;
    private final Map<String, String> environment = new HashMap<>();
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() {
        server = new ApprovalsHarness(directory, StorageEngine.POSTGRESQL);
        server.enroll(ALICE, ALICE_PHONE);
        // The user is given beside the URL, as an operator would keep it out of the URL.
        environment.put("DATABASE_URL", server.url().replace("user=postgres&", ""));
        environment.put("DATABASE_USER", "postgres");
        environment.put("COUNTERSIGN_SECRET_KEY", StorageEngine.POSTGRES_KEY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void auditVerifyAndExportReadTheTrailTheServerWrote() {
        String id = server.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        assertThat(server.approvals().verification().verify(id, ALICE,
                FakeSignalWire.DEFAULT_CODE)).isInstanceOf(Check.Approved.class);
        int rows = server.wholeAudit().size();

        assertThat(run("audit", "verify")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("audit trail OK: " + rows + " rows\n");

        assertThat(run("audit", "export", "--format", "json")).isZero();
        assertThat(out.toString()).contains("request.approved", "Acme Corp")
                .doesNotContain(ALICE_PHONE);
    }

    @Test
    void enrollAndResetChangeWhatTheServerSees() {
        String open = server.openAndSend(ALICE, payment("10", "Acme Corp")).request().id();

        assertThat(run("enroll", "U0BOB", "+12015550456")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("enrolled •••• 0456 for T0001/U0BOB\n");
        assertThat(run("reset", "UALICE")).as(err.toString()).isZero();

        Optional<Enrollment> bob = server.store().read(tx -> tx.enrollments()
                .find(new Actor("T0001", "U0BOB")));
        assertThat(bob).isPresent();
        assertThat(server.status(open)).isEqualTo(RequestStatus.CANCELLED);
        assertThat(run("audit", "verify")).isZero();
    }

    @Test
    void aSchemaWithoutCountersignsTablesIsRefusedNotCreated() {
        try (StorageEngine.TestDatabase empty = StorageEngine.postgresSchema()) {
            environment.put("DATABASE_URL", empty.url().replace("user=postgres&", ""));

            assertThat(run("audit", "verify")).isEqualTo(2);
            assertThat(err.toString()).contains("has no Countersign tables");
            assertThat(Database.hasSchema(empty.url())).as("nothing was made").isFalse();
        }
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine command = new CommandLine(new CountersignCommand(
                () -> CountersignCommand.OK,
                () -> SettingsLoader.forTools(environment, directory.resolve("absent.env"))));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }
}

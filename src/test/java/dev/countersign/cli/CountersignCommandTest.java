package dev.countersign.cli;

import static dev.countersign.testing.ApprovalFixture.ALICE;
import static dev.countersign.testing.ApprovalFixture.ALICE_PHONE;
import static dev.countersign.testing.ApprovalFixture.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.people.Actor;
import dev.countersign.people.Installation;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.RequestStatus;
import dev.countersign.audit.AuditRecord;
import dev.countersign.config.SettingsLoader;
import dev.countersign.people.Enrollment;
import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.MutableClock;
import dev.countersign.webhook.WebhookEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CountersignCommandTest {

    private static final Instant START = Instant.parse("2026-11-01T10:00:00Z");
    private static final String BOT_TOKEN = "xoxb-never-printed-0001";

    @TempDir
    Path directory;

    private final AtomicInteger serverRuns = new AtomicInteger();
    private final Map<String, String> environment = new HashMap<>();
    private ApprovalFixture fixture;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() {
        fixture = new ApprovalFixture(directory, new MutableClock(START), new WebhookEvents());
        environment.put("DATABASE_URL", fixture.jdbcUrl());
        // Present but irrelevant: the tools neither need nor print the server's secrets.
        environment.put("SLACK_BOT_TOKEN", BOT_TOKEN);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void noCommandRunsTheServer() {
        assertThat(run()).isZero();
        assertThat(run("serve")).isZero();
        assertThat(serverRuns).hasValue(2);
    }

    @Test
    void helpRunsNothing() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("audit", "enroll", "reset", "serve");
        assertThat(serverRuns).hasValue(0);
    }

    @Test
    void auditVerifyReportsAnIntactTrail() {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        long rows = fixture.store().read(tx -> tx.audit().after(0, 1000)).size();

        assertThat(run("audit", "verify")).isZero();

        assertThat(out.toString()).isEqualTo("audit trail OK: " + rows + " rows\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void auditVerifyNamesTheTamperedRowAndFails() {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        fixture.sql("DROP TRIGGER audit_events_no_update",
                "UPDATE audit_events SET details = '{\"amount\":\"25.00\"}' WHERE id = 3");

        assertThat(run("audit", "verify")).isEqualTo(1);

        assertThat(out.toString()).startsWith("audit trail BROKEN at row 3: ");
    }

    @Test
    void auditVerifyWithAnotherKeySaysTheTrailWasNotWrittenWithIt() {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        environment.put("COUNTERSIGN_SECRET_KEY", "ab".repeat(32));

        assertThat(run("audit", "verify")).isEqualTo(1);

        assertThat(out.toString()).startsWith("audit trail NOT WRITTEN WITH THIS KEY: row 1 ")
                .doesNotContain("BROKEN");
    }

    @Test
    void toolsWithoutTheKeyRefuseToMakeOneOfTheirOwn() throws Exception {
        fixture.enroll(ALICE, ALICE_PHONE);
        Files.delete(directory.resolve("secret.key"));

        assertThat(run("audit", "verify")).isEqualTo(2);

        assertThat(err.toString()).contains("COUNTERSIGN_SECRET_KEY is not set");
        assertThat(directory.resolve("secret.key")).doesNotExist();
    }

    @Test
    void auditVerifyAcceptsTheOldKeyAsAPreviousKeyAfterRotation() throws Exception {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        String old = Files.readString(directory.resolve("secret.key")).strip();
        environment.put("COUNTERSIGN_SECRET_KEY", "cd".repeat(32));
        environment.put("COUNTERSIGN_PREVIOUS_KEYS", old);
        long rows = fixture.store().read(tx -> tx.audit().after(0, 1000)).size();

        assertThat(run("audit", "verify")).isZero();

        assertThat(out.toString()).isEqualTo("audit trail OK: " + rows + " rows\n");
    }

    @Test
    void aSavedAnchorProvesLaterThatTheTrailStillHoldsItsHead() {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.approve(ALICE, payment("2500", "USD", "Acme Corp", null));
        assertThat(run("audit", "anchor")).isZero();
        String anchor = out.toString().strip();
        assertThat(anchor).startsWith("audit anchor row=");
        fixture.approve(ALICE, payment("10", "USD", "Acme Corp", null));

        assertThat(run("audit", "verify", "--anchor", anchor)).isZero();
        assertThat(out.toString()).contains("anchor OK");

        // One hex digit of the MAC changed, whatever it was.
        char last = anchor.charAt(anchor.length() - 1);
        String forged = anchor.substring(0, anchor.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(run("audit", "verify", "--anchor", forged)).isEqualTo(1);
        assertThat(out.toString()).contains("anchor NOT GENUINE");
    }

    @Test
    void auditExportWritesCsvSinceADateToStandardOutput() {
        fixture.enroll(ALICE, ALICE_PHONE);
        List<AuditRecord> all = fixture.store().read(tx -> tx.audit().after(0, 1000));

        assertThat(run("audit", "export", "--format", "csv", "--since", "2026-11-01")).isZero();
        String everything = out.toString();
        assertThat(run("audit", "export", "--format", "CSV", "--since", "2026-11-01T10:00:01Z"))
                .isZero();

        assertThat(everything).startsWith("time,event,reference,kind,amount,currency,")
                .contains(all.get(0).hash());
        assertThat(everything.split("\r\n")).hasSize(1 + all.size());
        assertThat(out.toString().split("\r\n")).containsExactly(
                "time,event,reference,kind,amount,currency,payee_or_document,actor,status,"
                        + "details,id,request_id,team_id,prev_hash,hash");
    }

    @Test
    void auditExportWritesJson() {
        fixture.enroll(ALICE, ALICE_PHONE);

        assertThat(run("audit", "export", "--format", "json")).isZero();

        assertThat(out.toString()).startsWith("[").contains("\"type\" : \"enrollment.changed\"");
    }

    @Test
    void usageErrorsExitTwoWithUsage() {
        assertThat(run("audit")).isEqualTo(2);
        assertThat(err.toString()).contains("audit verify", "Usage:");
        assertThat(run("audit", "export")).isEqualTo(2);
        assertThat(err.toString()).contains("--format");
        assertThat(run("audit", "export", "--format", "xml")).isEqualTo(2);
        assertThat(run("audit", "export", "--format", "csv", "--since", "yesterday"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("2026-11-01");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("enroll", "alice", ALICE_PHONE)).isEqualTo(2);
        assertThat(err.toString()).contains("USER_ID must be a Slack user id");
        assertThat(serverRuns).hasValue(0);
    }

    @Test
    void databaseThatDoesNotExistIsASettingToFix() {
        environment.put("DATABASE_URL", "jdbc:sqlite:" + directory.resolve("typo.db"));

        assertThat(run("audit", "verify")).isEqualTo(2);

        assertThat(err.toString()).startsWith("DATABASE_URL: there is no database at");
        assertThat(directory.resolve("typo.db")).doesNotExist();
    }

    @Test
    void malformedSettingIsNamedWithoutNeedingSlackSettings() {
        environment.remove("SLACK_BOT_TOKEN");
        environment.put("DATABASE_URL", "postgres://db/countersign");

        assertThat(run("audit", "verify")).isEqualTo(2);

        assertThat(err.toString()).contains("DATABASE_URL must be a SQLite JDBC URL")
                .doesNotContain("SLACK_BOT_TOKEN");
    }

    @Test
    void enrollStoresThePhoneInTheOnlyWorkspaceAndAuditsTheOperator() {
        fixture.enroll(ALICE, ALICE_PHONE);

        assertThat(run("enroll", "U0BOB", "+1 (201) 555-0456")).isZero();

        assertThat(out.toString()).isEqualTo("enrolled •••• 0456 for T0ACME/U0BOB\n");
        Actor bob = new Actor("T0ACME", "U0BOB");
        assertThat(enrollment(bob))
                .hasValueSatisfying(enrollment ->
                        assertThat(enrollment.phone().e164()).isEqualTo("+12015550456"));
        AuditRecord last = lastAuditRow();
        assertThat(last.type()).isEqualTo("enrollment.changed");
        assertThat(last.actor()).startsWith("operator:");
        assertThat(last.details()).contains("U0BOB").doesNotContain("+12015550456");
    }

    @Test
    void enrollNeedsTheTeamWhenTheDatabaseHoldsSeveral() {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.enroll(new Actor("T0GLOBEX", "U0CAROL"), "+12015550789");

        assertThat(run("enroll", "U0BOB", "+12015550456")).isEqualTo(2);
        assertThat(err.toString()).contains("--team is needed", "T0ACME", "T0GLOBEX");

        assertThat(run("enroll", "U0BOB", "+12015550456", "--team", "T0GLOBEX")).isZero();
        assertThat(out.toString()).contains("T0GLOBEX/U0BOB");
    }

    @Test
    void enrollUnderAnOrgWideInstallsEnterpriseIdIsThePersonTheAppSeesInEveryWorkspace() {
        assertThat(run("enroll", "W0GRID001", "+12015550456", "--team", "E0GRID0001",
                "--new-team")).isZero();

        Installation org = new Installation("A0CSAPP001", null, "E0GRID0001", true);
        assertThat(enrollment(org.person("W0GRID001"))).isPresent();
        assertThat(out.toString()).contains("E0GRID0001/W0GRID001");
    }

    @Test
    void enrollRefusesAPhoneThePolicyRefuses() {
        fixture.enroll(ALICE, ALICE_PHONE);
        environment.put("ALLOWED_COUNTRIES", "GB");

        assertThat(run("enroll", "U0BOB", "+12015550456")).isEqualTo(2);

        assertThat(err.toString())
                .startsWith("PHONE refused: Codes can only be sent to phones in GB");
        assertThat(enrollment(new Actor("T0ACME", "U0BOB")))
                .isEmpty();
    }

    @Test
    void resetRemovesThePhoneAndCancelsOpenRequests() {
        fixture.enroll(ALICE, ALICE_PHONE);
        ApprovalRequest open = fixture.open(ALICE, payment("10", "USD", "Acme Corp", null))
                .request();

        assertThat(run("reset", "U0ALICE")).isZero();

        assertThat(out.toString())
                .isEqualTo("reset T0ACME/U0ALICE: phone removed, 1 open request cancelled\n");
        assertThat(enrollment(ALICE)).isEmpty();
        assertThat(fixture.store().read(tx -> tx.requests().find(open.id())).orElseThrow()
                .status()).isEqualTo(RequestStatus.CANCELLED);
        assertThat(lastAuditRow().type()).isEqualTo("enrollment.reset");
        assertThat(run("audit", "verify")).isZero();
    }

    @Test
    void nothingPrintedHoldsASecret() {
        fixture.enroll(ALICE, ALICE_PHONE);
        run("audit", "export", "--format", "json");
        String exported = out.toString() + err.toString();
        run("enroll", "U0BOB", "+12015550456");

        assertThat(exported + out + err).doesNotContain(BOT_TOKEN, "+12015550123",
                "+12015550456");
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine command = new CommandLine(new CountersignCommand(() -> {
                    serverRuns.incrementAndGet();
                    return CountersignCommand.OK;
                },
                () -> SettingsLoader.forTools(environment, directory.resolve("absent.env"))));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private Optional<Enrollment> enrollment(Actor user) {
        return fixture.store().read(tx -> tx.enrollments().find(user));
    }

    private AuditRecord lastAuditRow() {
        List<AuditRecord> rows = fixture.store().read(tx -> tx.audit().after(0, 1000));
        return rows.get(rows.size() - 1);
    }
}

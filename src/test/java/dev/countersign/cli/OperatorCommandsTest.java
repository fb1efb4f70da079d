package dev.countersign.cli;

import static dev.countersign.testing.ApprovalFixture.ALICE;
import static dev.countersign.testing.ApprovalFixture.ALICE_PHONE;
import static dev.countersign.testing.ApprovalFixture.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.FollowUp;
import dev.countersign.approval.Notice;
import dev.countersign.approval.RequestStatus;
import dev.countersign.audit.AuditRecord;
import dev.countersign.config.SettingsLoader;
import dev.countersign.people.Actor;
import dev.countersign.testing.ApprovalFixture;
import dev.countersign.testing.FakeSlackApi;
import dev.countersign.testing.MutableClock;
import dev.countersign.testing.Rfc4180;
import dev.countersign.webhook.WebhookEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's tools on a real SQLite file, run through picocli in-process. */
class OperatorCommandsTest {

    /** Three days ago, so that {@code --since 24h} can tell old from new. */
    private static final Instant START = Instant.now().minus(Duration.ofDays(3))
            .truncatedTo(ChronoUnit.SECONDS);
    private static final String BOT_TOKEN = "xoxb-operator-test-0001";
    private static final Actor BOB = new Actor("T0ACME", "U0BOB");

    @TempDir
    Path directory;

    private final Map<String, String> environment = new HashMap<>();
    private final MutableClock clock = new MutableClock(START);
    private ApprovalFixture fixture;
    private FakeSlackApi slack;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() {
        fixture = new ApprovalFixture(directory, clock, new WebhookEvents());
        slack = FakeSlackApi.start();
        environment.put("DATABASE_URL", fixture.jdbcUrl());
        environment.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        environment.put("SLACK_API_URL", slack.apiUrl());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
        slack.close();
    }

    @Test
    void requestsListShowsATableNewestFirstFilteredByStatusAndSince() {
        fixture.enroll(ALICE, ALICE_PHONE);
        fixture.enroll(BOB, "+12015550456");
        ApprovalRequest approved = fixture.approve(ALICE, payment("2500", "USD", "Acme Corp",
                "INV-1042"));
        clock.advance(Duration.ofDays(2).plusHours(12));
        ApprovalRequest open = fixture.open(BOB, new Action.Signature("Master Services Agreement",
                "Globex")).request();

        assertThat(run("requests", "list")).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).matches(
                "REFERENCE +KIND +STATUS +REQUESTER +WHAT +CREATED +DECIDED");
        assertThat(lines.get(1)).startsWith(open.reference()).contains("signature",
                "AWAITING_CODE", "T0ACME/U0BOB", "Master Services Agreement",
                open.createdAt().toString()).endsWith(" -");
        assertThat(lines.get(2)).startsWith(approved.reference()).contains("payment",
                "APPROVED", "T0ACME/U0ALICE", "2500.00 USD to Acme Corp",
                approved.decidedAt().truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(lines).hasSize(3);

        assertThat(run("requests", "list", "--status", "approved")).isZero();
        assertThat(out.toString().lines().skip(1)).singleElement().asString()
                .startsWith(approved.reference());

        assertThat(run("requests", "list", "--since", "24h")).isZero();
        assertThat(out.toString().lines().skip(1)).singleElement().asString()
                .startsWith(open.reference());
        assertThat(err.toString()).isEqualTo("1 request\n");

        assertThat(run("requests", "list", "--status", "pending")).isEqualTo(2);
        assertThat(err.toString()).contains("AWAITING_CODE", "APPROVED");
    }

    @Test
    void requestsShowGivesEveryFieldAndTheAuditRowsWithPhonesMasked() {
        fixture.enroll(ALICE, ALICE_PHONE);
        ApprovalRequest approved = fixture.approve(ALICE, payment("2500", "USD", "Acme Corp",
                "INV-1042"));

        assertThat(run("requests", "show", approved.reference().toLowerCase())).isZero();

        String shown = out.toString();
        assertThat(shown).contains("reference:      " + approved.reference(),
                "status:         APPROVED", "requester:      T0ACME/U0ALICE",
                "action:         pay USD 2,500.00 to Acme Corp (for INV-1042)",
                "payee:          Acme Corp", "memo:           INV-1042", "amount:         2500.00",
                "decided by:     U0ALICE", "verifies under the key", "audit:", "request.created",
                "code.sent", "request.approved", "\"phone_last4\":\"0123\"")
                .doesNotContain(ALICE_PHONE, "2015550123");

        assertThat(run("requests", "show", "CS-NOPE00")).isEqualTo(2);
        assertThat(err.toString()).startsWith("REF: there is no request CS-NOPE00");
    }

    @Test
    void requestsCancelEndsAnOpenRequestTellsTheRequesterAndAuditsTheOperator() {
        fixture.enroll(ALICE, ALICE_PHONE);
        ApprovalRequest open = fixture.open(ALICE, payment("10", "USD", "Acme Corp", null))
                .request();
        fixture.sql("INSERT INTO slack_modals (view_id, request_id, installation_id, user_id, opened_at)"
                + " VALUES ('V0CODE', '" + open.id() + "', 'T0ACME', 'U0ALICE', 0)");

        assertThat(run("requests", "cancel", open.reference(), "--reason",
                "duplicate of CS-OTHER1")).isZero();

        assertThat(out.toString()).isEqualTo("cancelled " + open.reference()
                + " of T0ACME/U0ALICE\n");
        assertThat(err.toString()).contains("the requester was told in a direct message",
                "their open code modal now shows the cancellation");
        assertThat(fixture.store().read(tx -> tx.requests().find(open.id())).orElseThrow()
                .status()).isEqualTo(RequestStatus.CANCELLED);
        FakeSlackApi.Call message = slack.await("chat.postMessage", Duration.ofSeconds(5));
        assertThat(message.params()).containsEntry("channel", "U0ALICE");
        assertThat(message.params().get("text")).contains(open.reference(),
                "Reason: duplicate of CS-OTHER1", "Nothing was approved");
        FakeSlackApi.Call modal = slack.await("views.update", Duration.ofSeconds(5));
        assertThat(modal.params()).containsEntry("view_id", "V0CODE");
        assertThat(modal.text()).contains("Cancelled");
        List<FollowUp> left = fixture.store().read(tx -> tx.followUps().pendingOf(open.id()));
        assertThat(left).as("told here, so the server's notice loop does not say it again")
                .extracting(FollowUp::notice).doesNotContain(Notice.SCREENS, Notice.REQUESTER);
        AuditRecord last = lastAuditRow();
        assertThat(last.type()).isEqualTo("request.cancelled");
        assertThat(last.actor()).isEqualTo(expectedOperator());
        assertThat(last.details()).contains("cancelled by an operator: duplicate of CS-OTHER1");

        assertThat(run("requests", "cancel", open.reference(), "--reason", "again")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("Request " + open.reference() + " is already "
                + "cancelled: only open requests can be cancelled.\n");
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
    }

    @Test
    void requestsCancelWithoutABotTokenCancelsAndSaysTheRequesterWasNotTold() {
        environment.remove("SLACK_BOT_TOKEN");
        fixture.enroll(ALICE, ALICE_PHONE);
        ApprovalRequest open = fixture.open(ALICE, payment("10", "USD", "Acme Corp", null))
                .request();

        assertThat(run("requests", "cancel", open.reference(), "--reason", "test")).isZero();

        assertThat(err.toString()).isEqualTo("the requester was not told from here "
                + "(SLACK_BOT_TOKEN is not set): the running server tells them\n");
        assertThat(slack.calls()).isEmpty();
        List<FollowUp> left = fixture.store().read(tx -> tx.followUps().pendingOf(open.id()));
        assertThat(left).as("the server's notice loop tells them").extracting(FollowUp::notice)
                .contains(Notice.SCREENS, Notice.REQUESTER);
        assertThat(run("requests", "cancel", open.reference())).isEqualTo(2);
        assertThat(err.toString()).contains("--reason");
    }

    @Test
    void everyOperatorCommandIsAuditedAsTheOsUserAtThisHost() {
        fixture.enroll(ALICE, ALICE_PHONE);

        assertThat(run("enroll", "U0BOB", "+12015550456")).isZero();
        assertThat(lastAuditRow().actor()).isEqualTo(expectedOperator());
        assertThat(run("reset", "U0BOB")).isZero();
        assertThat(lastAuditRow().actor()).isEqualTo(expectedOperator());
        assertThat(expectedOperator()).startsWith("operator:").contains("@");
    }

    @Test
    void enrollAndResetRefuseATeamTheDatabaseHasNeverSeenUnlessNewTeam() {
        fixture.enroll(ALICE, ALICE_PHONE);

        assertThat(run("enroll", "U0BOB", "+12015550456", "--team", "T0TYPO")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("--team T0TYPO is not a workspace this database "
                + "has seen (it knows T0ACME). Check the id, or add --new-team to start a new "
                + "workspace.\n");
        assertThat(run("reset", "U0BOB", "--team", "T0TYPO")).isEqualTo(2);
        assertThat(fixture.store().teamIds()).containsExactly("T0ACME");

        assertThat(run("enroll", "U0BOB", "+12015550456", "--team", "T0GLOBEX", "--new-team"))
                .isZero();
        assertThat(fixture.store().teamIds()).containsExactly("T0ACME", "T0GLOBEX");
    }

    @Test
    void auditExportCsvHasFlatColumnsASpreadsheetCanFilter() {
        fixture.enroll(ALICE, ALICE_PHONE);
        ApprovalRequest approved = fixture.approve(ALICE, payment("2500", "USD", "Acme, Inc.",
                null));
        fixture.open(ALICE, new Action.Signature("NDA \"v2\"", null));

        assertThat(run("audit", "export", "--format", "csv", "--type", "request.*")).isZero();

        List<List<String>> rows = Rfc4180.parse(out.toString());
        assertThat(rows.get(0).subList(0, 10)).containsExactly("time", "event", "reference",
                "kind", "amount", "currency", "payee_or_document", "actor", "status", "details");
        assertThat(rows).extracting(row -> row.get(1)).containsExactly("event",
                "request.created", "request.approved", "request.created");
        List<String> approvedRow = rows.get(2);
        assertThat(approvedRow.subList(1, 9)).containsExactly("request.approved",
                approved.reference(), "payment", "2500.00", "USD", "Acme, Inc.", "U0ALICE",
                "APPROVED");
        assertThat(approvedRow.get(9)).startsWith("{").contains("\"payee\":\"Acme, Inc.\"");
        assertThat(rows.get(3).subList(3, 9)).containsExactly("signature", "", "", "NDA \"v2\"",
                "U0ALICE", "AWAITING_CODE");
    }

    @Test
    void auditExportUntilAndTypeNarrowTheJsonToo() {
        fixture.enroll(ALICE, ALICE_PHONE);
        clock.advance(Duration.ofDays(2).plusHours(12));
        fixture.approve(ALICE, payment("10", "USD", "Acme Corp", null));

        assertThat(run("audit", "export", "--format", "json", "--until", "24h")).isZero();
        assertThat(out.toString()).contains("enrollment.changed")
                .doesNotContain("request.created");
        assertThat(run("audit", "export", "--format", "json", "--type",
                "request.approved,code.sent")).isZero();
        assertThat(out.toString()).contains("request.approved", "code.sent")
                .doesNotContain("request.created", "enrollment.changed");
        assertThat(err.toString()).isEqualTo("exported 2 rows\n");
    }

    @Test
    void versionAndHelpAreThere() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).matches("countersign \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");

        assertThat(run("help")).isZero();
        assertThat(out.toString()).contains("Usage: countersign", "requests", "enroll",
                "DATABASE_URL", ".env file in the working directory");
        assertThat(run("help", "requests")).isZero();
        assertThat(out.toString()).contains("list", "show", "cancel");
        assertThat(run("requests", "cancel", "--help")).isZero();
        assertThat(out.toString()).contains("--reason", "SLACK_BOT_TOKEN", "working directory");
    }

    private static String expectedOperator() {
        try {
            return "operator:" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]",
                    "_") + "@" + InetAddress.getLocalHost().getHostName()
                    .replaceAll("[^A-Za-z0-9._-]", "_");
        } catch (java.net.UnknownHostException e) {
            return "operator:" + System.getProperty("user.name") + "@unknown-host";
        }
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine command = new CommandLine(new CountersignCommand(() -> CountersignCommand.OK,
                () -> SettingsLoader.forTools(environment, directory.resolve("absent.env"))));
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private AuditRecord lastAuditRow() {
        List<AuditRecord> rows = fixture.store().read(tx -> tx.audit().after(0, 1000));
        return rows.get(rows.size() - 1);
    }
}

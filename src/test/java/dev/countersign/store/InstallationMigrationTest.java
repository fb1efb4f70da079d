package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditRecord;
import dev.countersign.audit.AuditVerification;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V7 on a database that V1–V6 made and filled: every row gets the installation id of its team,
 * and a person is found again by installation and user id.
 */
class InstallationMigrationTest {

    private static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");
    private static final String TEAM = "T0001";
    private static final Actor ALICE = new Actor(TEAM, "UALICE");
    private static final List<String> TABLES = List.of("requests", "enrollments", "challenges",
            "audit_events", "outbox", "slack_modals", "slack_messages", "team_code_counts",
            "failed_codes");

    @TempDir
    Path directory;

    @Test
    void everyRowOfAVersion6DatabaseGetsItsTeamAsInstallationAndPeopleAreFoundByIt()
            throws SQLException {
        String url = "jdbc:sqlite:" + directory.resolve("countersign.db");
        try (Connection connection = DriverManager.getConnection(url)) {
            OldSchema.migrateUpTo(connection, Dialect.SQLITE, 6, NOW);
            fillAsVersion6(connection);
        }

        try (Database database = Database.open(url)) {
            SqliteStore store = new SqliteStore(database);

            for (String table : TABLES) {
                List<String> ids = database.read(connection -> installationIds(connection, table));
                assertThat(ids).as(table).isNotEmpty().containsOnly(TEAM);
            }
            Instant hourAgo = NOW.minusSeconds(3600);
            Optional<Enrollment> phone = store.read(tx -> tx.enrollments().find(ALICE));
            List<ApprovalRequest> open = store.read(tx -> tx.requests().openOf(ALICE));
            int failures = store.read(tx -> tx.challenges().failuresSince(ALICE, hourAgo));
            int sentToAlice = store.read(tx -> tx.challenges().countSentTo(ALICE, hourAgo));
            int sentInTeam = store.read(tx -> tx.challenges().countSentInTeam(TEAM, hourAgo));
            assertThat(phone.map(found -> found.phone().e164())).contains("+12015550123");
            assertThat(open).singleElement()
                    .satisfies(request -> assertThat(request.requester()).isEqualTo(ALICE));
            assertThat(failures).isEqualTo(2);
            assertThat(sentToAlice).isEqualTo(1);
            assertThat(sentInTeam).isEqualTo(1);
            assertThat(store.teamIds()).containsExactly(TEAM);
            assertThat(new AuditVerification(store, new AuditChain(store.keys())).verify().ok())
                    .as("the audit chain still verifies").isTrue();
        }
    }

    /** What a V6 server wrote for Alice: a phone, an approved and an open request, codes. */
    private static void fillAsVersion6(Connection connection) throws SQLException {
        long now = NOW.toEpochMilli();
        long later = now + 300_000;
        execute(connection,
                "INSERT INTO enrollments VALUES ('T0001', 'UALICE', '+12015550123', '0123', "
                        + (now - 86_400_000L * 30) + ", NULL, NULL)",
                request("r-approved", "CS-AAAAAA", "APPROVED", now - 60_000, later),
                request("r-open", "CS-BBBBBB", "AWAITING_CODE", now - 1_000, later),
                "INSERT INTO challenges (request_id, team_id, user_id, purpose, channel, "
                        + "phone_last4, provider_id, state, attempts, max_attempts, created_at, "
                        + "sent_at, expires_at) VALUES ('r-open', 'T0001', 'UALICE', 'REQUESTER', "
                        + "'sms', '0123', 'sw-1', 'SENT', 2, 3, " + (now - 1_000) + ", "
                        + (now - 900) + ", " + later + ")",
                "INSERT INTO team_code_counts VALUES ('T0001', " + ((now - 1_000) / 60_000)
                        + ", 1)",
                "INSERT INTO failed_codes VALUES ('T0001', 'UALICE', " + (now - 500) + ")",
                "INSERT INTO failed_codes VALUES ('T0001', 'UALICE', " + (now - 400) + ")",
                "INSERT INTO outbox (request_id, payload, state, attempts, created_at, "
                        + "next_attempt_at) VALUES ('r-approved', '{}', 'PENDING', 0, " + now
                        + ", " + now + ")",
                "INSERT INTO slack_modals VALUES ('V0001', 'r-open', 'T0001', 'UALICE', "
                        + now + ")",
                "INSERT INTO slack_messages VALUES ('r-approved', 'C0APPROVALS', "
                        + "'1700000000.000100')");
        // An audit row as V6 wrote it, chained by the same hash the trail is verified with.
        String details = "{}";
        String hash = AuditChain.legacyHashOf(new AuditRecord(1, NOW, "request.approved",
                "r-approved", TEAM, "UALICE", details, AuditChain.GENESIS, ""));
        execute(connection, "INSERT INTO audit_events (id, at, type, request_id, team_id, actor, "
                + "details, prev_hash, hash) VALUES (1, " + now + ", 'request.approved', "
                + "'r-approved', 'T0001', 'UALICE', '" + details + "', '" + AuditChain.GENESIS
                + "', '" + hash + "')");
    }

    private static String request(String id, String reference, String status, long created,
                                  long expires) {
        return "INSERT INTO requests (id, reference, team_id, user_id, kind, action_json, digest, "
                + "status, created_at, expires_at) VALUES ('" + id + "', '" + reference
                + "', 'T0001', 'UALICE', 'payment', '{\"amount\":\"2500\","
                + "\"currency\":\"USD\",\"payee\":\"Acme Corp\"}', 'digest', '" + status + "', "
                + created + ", " + expires + ")";
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> installationIds(Connection connection, String table)
            throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             // The key's own audit.rekeyed row (V8) belongs to no installation.
             ResultSet rows = statement.executeQuery("SELECT installation_id FROM " + table
                     + (table.equals("audit_events") ? " WHERE type <> 'audit.rekeyed'" : ""))) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}

package dev.countersign.store;

import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.OutboxMessage;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditRecord;
import dev.countersign.audit.AuditVerification;
import dev.countersign.keys.PhoneCipher;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.testing.StorageEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * V8 and V9's Java steps on PostgreSQL: a database written before there was a key (plain
 * SHA-256 digests and trail, an unsealed outbox entry, phones in the clear) comes out of the
 * migrations re-bound, sealed, re-keyed and encrypted, as it does on SQLite (KeysAtRestTest).
 */
class KeyedMigrationsOnPostgresTest {

    private final StorageEngine.TestDatabase storage = StorageEngine.postgresSchema();

    @AfterEach
    void dropSchema() {
        storage.close();
    }

    @Test
    void databaseFromBeforeTheKeyIsReboundSealedEncryptedAndStillVerifies() throws SQLException {
        Actor alice = new Actor("T0001", "UALICE");
        Action action = payment("100", "Acme");
        Instant created = Instant.parse("2026-01-05T09:00:00Z");
        try (Connection connection = DriverManager.getConnection(storage.url())) {
            OldSchema.migrateUpTo(connection, Dialect.POSTGRESQL, 6, Instant.ofEpochMilli(1));
            execute(connection, "INSERT INTO enrollments (team_id, user_id, phone, phone_last4, "
                    + "enrolled_at) VALUES ('T0001', 'UALICE', '" + ALICE_PHONE + "', '0123', 1)");
            execute(connection, "INSERT INTO requests (id, reference, team_id, user_id, kind, "
                    + "action_json, digest, status, created_at, expires_at, pending_phone) "
                    + "VALUES ('r1', 'CS-AAAAAA', 'T0001', 'UALICE', '" + action.kind() + "', '"
                    + ActionCodec.encode(action) + "', '" + ActionDigest.of("r1", alice, action,
                    created) + "', 'AWAITING_CODE', " + created.toEpochMilli() + ", "
                    + created.plusSeconds(300).toEpochMilli() + ", '" + BOB_PHONE + "')");
            execute(connection, "INSERT INTO outbox (request_id, payload, state, attempts, "
                    + "created_at, next_attempt_at) VALUES ('r1', '{\"id\":\"r1\"}', 'PENDING', "
                    + "0, 1, 1)");
            String previous = AuditChain.GENESIS;
            for (long row = 1; row <= 3; row++) {
                AuditRecord record = new AuditRecord(row, created, "request.created", "r1",
                        "T0001", "UALICE", "{}", previous, null);
                String hash = AuditChain.legacyHashOf(record);
                execute(connection, "INSERT INTO audit_events VALUES (" + row + ", "
                        + created.toEpochMilli() + ", 'request.created', 'r1', 'T0001', "
                        + "'UALICE', '{}', '" + previous + "', '" + hash + "')");
                previous = hash;
            }
        }

        try (Database database = StorageEngine.open(storage.url())) {
            SqliteStore store = new SqliteStore(database);
            assertThat(new AuditVerification(store, new AuditChain(database.keys())).verify())
                    .isEqualTo(new AuditVerification.Result.Intact(4));
            assertThat(store.after(3, 10)).singleElement().extracting(AuditRecord::type)
                    .isEqualTo(AuditChain.REKEYED);
            assertThat(new ActionBinding(database.keys()).verifies(store.read(tx ->
                    tx.requests().find("r1")).orElseThrow())).isTrue();
            Optional<Enrollment> found = store.read(tx -> tx.enrollments().find(alice));
            assertThat(found).hasValueSatisfying(
                    enrollment -> assertThat(enrollment.phone().e164()).isEqualTo(ALICE_PHONE));
            Optional<String> pending = store.read(tx -> tx.requests().pendingPhone("r1"));
            assertThat(pending).hasValue(BOB_PHONE);
            List<OutboxMessage> due = store.read(tx -> tx.outbox().due(Instant.now(), 10));
            assertThat(due).singleElement().extracting(OutboxMessage::sealed).isEqualTo(true);
        }
        assertThat(stored("SELECT phone FROM enrollments UNION ALL "
                + "SELECT pending_phone FROM requests")).hasSize(2)
                .allSatisfy(phone -> assertThat(PhoneCipher.isEncrypted(phone)).isTrue())
                .noneSatisfy(phone -> assertThat(phone).contains(ALICE_PHONE.substring(1)))
                .noneSatisfy(phone -> assertThat(phone).contains(BOB_PHONE.substring(1)));
    }

    @Test
    void aSecondStartFindsNothingLeftToMigrateAndKeepsTheTrailIntact() throws SQLException {
        try (Database first = StorageEngine.open(storage.url())) {
            assertThat(first.keys()).isNotNull();
        }
        List<String> applied = stored("SELECT version || ':' || installed_at FROM schema_version "
                + "ORDER BY version");
        assertThat(applied).isNotEmpty();
        try (Database again = StorageEngine.open(storage.url())) {
            assertThat(stored("SELECT version || ':' || installed_at FROM schema_version "
                    + "ORDER BY version")).as("no migration applied again").isEqualTo(applied);
            SqliteStore store = new SqliteStore(again);
            assertThat(new AuditVerification(store, new AuditChain(again.keys())).verify())
                    .isInstanceOf(AuditVerification.Result.Intact.class);
            assertThat(store.after(0, 10)).as("no re-keying row on an empty trail").isEmpty();
        }
    }

    private List<String> stored(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(storage.url());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void execute(Connection connection, String statement) throws SQLException {
        try (Statement plain = connection.createStatement()) {
            plain.execute(statement);
        }
    }
}

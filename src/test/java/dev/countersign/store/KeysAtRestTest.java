package dev.countersign.store;

import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.BOB;
import static dev.countersign.testing.ApprovalsHarness.BOB_PHONE;
import static dev.countersign.testing.ApprovalsHarness.REPLY;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditEvent;
import dev.countersign.audit.AuditRecord;
import dev.countersign.audit.AuditVerification;
import dev.countersign.keys.SecretKeys;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.testing.ApprovalsHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's key on disk, phones at rest, and a database from before there was a key. */
class KeysAtRestTest {

    @TempDir
    Path directory;

    @Test
    void secretKeyIsGeneratedOwnerOnlyAndReusedOnRestart() throws IOException {
        try (ApprovalsHarness harness = new ApprovalsHarness(directory)) {
            Path keyFile = directory.resolve("secret.key");
            assertThat(Files.getPosixFilePermissions(keyFile))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String key = Files.readString(keyFile).strip();
            assertThat(key).matches("[0-9a-f]{64}");
            harness.enroll(ALICE, ALICE_PHONE);
            String id = harness.openAndSend(ALICE, payment("100", "Acme")).request().id();

            harness.restart();

            assertThat(Files.readString(keyFile).strip()).isEqualTo(key);
            assertThat(harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE))
                    .isInstanceOf(Check.Approved.class);
            assertThat(harness.auditChainProblems()).isEmpty();
        }
    }

    @Test
    void enrolledAndPendingPhonesAppearInNoDatabaseFile() throws IOException {
        try (ApprovalsHarness harness = new ApprovalsHarness(directory)) {
            harness.enroll(ALICE, ALICE_PHONE);
            harness.approvals().opening().requestEnrollment(BOB, new PhoneNumber(BOB_PHONE),
                    REPLY);
            // The codes still go to the enrolled phone: it decrypts.
            harness.openAndSend(ALICE, payment("100", "Acme"));

            assertNoPhoneInTheFiles(ALICE_PHONE, BOB_PHONE);
        }
        assertNoPhoneInTheFiles(ALICE_PHONE, BOB_PHONE);
    }

    @Test
    void aNumberWrittenIntoTheFileInTheClearIsNeverUsed() throws SQLException {
        try (ApprovalsHarness harness = new ApprovalsHarness(directory)) {
            harness.enroll(ALICE, ALICE_PHONE);
            sql(harness.url(), "UPDATE enrollments SET phone = '+12015550999'");

            Optional<Enrollment> found = harness.store().read(tx -> tx.enrollments().find(ALICE));
            assertThat(found).isEmpty();
        }
    }

    @Test
    void requestsMadeUnderThePreviousKeyStillApproveAfterRotation() throws IOException {
        String id;
        String old;
        try (ApprovalsHarness harness = new ApprovalsHarness(directory)) {
            harness.enroll(ALICE, ALICE_PHONE);
            id = harness.openAndSend(ALICE, payment("100", "Acme")).request().id();
            old = Files.readString(directory.resolve("secret.key")).strip();
        }
        SecretKeys rotated = new SecretKeys(Optional.of("ef".repeat(32)), List.of(old));
        try (Database database = Database.open(url(), rotated)) {
            SqliteStore store = new SqliteStore(database);
            assertThat(new ActionBinding(database.keys()).verifies(store.read(tx ->
                    tx.requests().find(id)).orElseThrow())).isTrue();
            Optional<Enrollment> found = store.read(tx -> tx.enrollments().find(ALICE));
            assertThat(found).isPresent();
            store.write(tx -> tx.audit().append(new AuditEvent("test.row",
                    null, null, "operator", null), Instant.now()));
            assertThat(new AuditVerification(store, new AuditChain(database.keys())).verify())
                    .isInstanceOf(AuditVerification.Result.Intact.class);
        }
    }

    @Test
    void databaseFromBeforeTheKeyIsMigratedAndStillVerifies() throws SQLException, IOException {
        Actor alice = new Actor("T0001", "UALICE");
        Action action = payment("100", "Acme");
        Instant created = Instant.parse("2026-01-05T09:00:00Z");
        try (Connection connection = DriverManager.getConnection(url())) {
            OldSchema.migrateUpTo(connection, Dialect.SQLITE, 6, Instant.ofEpochMilli(1));
            execute(connection, "INSERT INTO enrollments (team_id, user_id, phone, phone_last4, "
                    + "enrolled_at) VALUES ('T0001', 'UALICE', '" + ALICE_PHONE + "', '0123', 1)");
            execute(connection, "INSERT INTO requests (id, reference, team_id, user_id, kind, "
                    + "action_json, digest, status, created_at, expires_at) VALUES ('r1', "
                    + "'CS-AAAAAA', 'T0001', 'UALICE', '" + action.kind() + "', '"
                    + ActionCodec.encode(action) + "', '" + ActionDigest.of("r1", alice, action,
                    created) + "', 'AWAITING_CODE', " + created.toEpochMilli() + ", "
                    + created.plusSeconds(300).toEpochMilli() + ")");
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

        try (Database database = Database.open(url())) {
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
            assertNoPhoneInTheFiles(ALICE_PHONE);
        }
    }

    private void assertNoPhoneInTheFiles(String... phones) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = directory.resolve("countersign.db" + suffix);
            if (!Files.exists(file)) {
                continue;
            }
            String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String phone : phones) {
                assertThat(bytes).as(file.getFileName().toString()).doesNotContain(phone)
                        .doesNotContain(phone.substring(1));
            }
        }
    }

    private String url() {
        return "jdbc:sqlite:" + directory.resolve("countersign.db");
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            execute(connection, statement);
        }
    }

    private static void execute(Connection connection, String statement) throws SQLException {
        try (Statement plain = connection.createStatement()) {
            plain.execute(statement);
        }
    }
}

package dev.countersign.store;

import dev.countersign.approval.ActionBinding;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.Action;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditEvent;
import dev.countersign.audit.AuditRecord;
import dev.countersign.keys.KeyRing;
import dev.countersign.keys.PhoneCipher;
import dev.countersign.keys.Purpose;
import dev.countersign.people.Actor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of migrations V8 and V9 that need the server's key, run once, in the same
 * transaction as their SQL file (so a crash leaves neither half). They run only when their
 * version is applied: afterwards everything is written keyed, and a plain value found later was put
 * there by someone without the key, and must stay refused rather than be blessed.
 *
 * <p>V8: requests whose plain SHA-256 digest still matches their details are re-bound with the
 * keyed {@link ActionBinding} (those that don't match were changed before the upgrade and stay
 * unapprovable); outbox entries get their seal; and when the trail holds plain SHA-256 rows, an
 * {@link AuditChain#REKEYED} row, keyed, is appended after them.
 *
 * <p>V9: phone numbers are encrypted in place, with secure deletion on; then the WAL is
 * checkpointed and truncated and the file vacuumed, so the old numbers are in no database file.
 * On PostgreSQL the two tables are rewritten ({@code VACUUM FULL}) instead, which leaves the old
 * rows in no table file; the server's WAL archive and backups keep theirs until they expire.
 */
final class KeyedMigrations {

    static final int KEYED_VERSION = 8;
    static final int PHONES_VERSION = 9;

    private static final Logger log = LoggerFactory.getLogger(KeyedMigrations.class);

    private final KeyRing keys;
    private final Dialect dialect;
    private int encrypted;

    KeyedMigrations(KeyRing keys, Dialect dialect) {
        this.keys = keys;
        this.dialect = dialect;
    }

    /** The Java halves of V8 and V9, run in their migration's transaction. */
    Map<Integer, Migrations.JavaStep> steps() {
        return Map.of(KEYED_VERSION, connection -> rekey(new Sql(connection, dialect), keys),
                PHONES_VERSION, connection -> {
                    if (dialect == Dialect.SQLITE) {
                        execute(connection, "PRAGMA secure_delete = ON");
                    }
                    encrypted = encryptPhones(new Sql(connection, dialect), keys);
                    log.info("database V{}: {} phone number(s) encrypted", PHONES_VERSION,
                            encrypted);
                });
    }

    /** After the migrations: when numbers were encrypted, leave no old copy in the files. */
    void afterwards(Connection connection) throws SQLException {
        if (encrypted == 0) {
            return;
        }
        switch (dialect) {
            case SQLITE -> forgetOldPages(connection);
            // Outside a transaction (VACUUM refuses one): the connection is in autocommit.
            case POSTGRESQL -> {
                execute(connection, "VACUUM FULL enrollments");
                execute(connection, "VACUUM FULL requests");
            }
        }
    }

    private static void rekey(Sql sql, KeyRing keys) {
        ActionBinding binding = new ActionBinding(keys);
        record Stored(String id, Actor requester, Action action, String digest, Instant created) {
        }
        List<Stored> requests = sql.list("SELECT id, installation_id, user_id, kind, action_json, "
                        + "digest, created_at FROM requests",
                row -> new Stored(row.getString("id"), new Actor(row.getString("installation_id"),
                        row.getString("user_id")), ActionCodec.decode(row.getString("kind"),
                        row.getString("action_json")), row.getString("digest"),
                        Sql.instant(row, "created_at")));
        int rebound = 0;
        for (Stored request : requests) {
            if (ActionDigest.of(request.id(), request.requester(), request.action(),
                    request.created()).equals(request.digest())) {
                rebound += sql.update("UPDATE requests SET digest = ? WHERE id = ?",
                        binding.of(request.id(), request.requester(), request.action(),
                                request.created()), request.id());
            }
        }
        if (rebound < requests.size()) {
            log.warn("database V{}: {} request(s) no longer match their digest and can never "
                    + "be approved or sent", KEYED_VERSION, requests.size() - rebound);
        }
        record Entry(long id, String requestId, String payload) {
        }
        for (Entry entry : sql.list("SELECT id, request_id, payload FROM outbox "
                + "WHERE seal IS NULL", row -> new Entry(row.getLong("id"),
                row.getString("request_id"), row.getString("payload")))) {
            sql.update("UPDATE outbox SET seal = ? WHERE id = ?", JdbcOutbox.seal(
                    keys.derive(Purpose.OUTBOX), entry.requestId(), entry.payload()), entry.id());
        }
        AuditChain chain = new AuditChain(keys);
        JdbcAuditTrail trail = new JdbcAuditTrail(sql, chain);
        Optional<AuditRecord> last = trail.last();
        if (last.isPresent() && AuditChain.legacyHashOf(last.get()).equals(last.get().hash())) {
            long plainRows = last.get().id();
            trail.append(new AuditEvent(AuditChain.REKEYED, null, null, "system",
                    Map.of("plain_sha256_rows", Long.toString(plainRows))), Instant.now());
            log.info("database V{}: audit rows 1 to {} stay chained with plain SHA-256; every "
                    + "row from {} on is keyed", KEYED_VERSION, plainRows, plainRows + 1);
        }
        log.info("database V{}: {} request(s) re-bound under the key", KEYED_VERSION, rebound);
    }

    private static int encryptPhones(Sql sql, KeyRing keys) {
        PhoneCipher cipher = new PhoneCipher(keys);
        record Enrolled(String teamId, String userId, String phone) {
        }
        int count = 0;
        for (Enrolled row : sql.list("SELECT installation_id, user_id, phone FROM enrollments "
                + "WHERE phone IS NOT NULL", row -> new Enrolled(row.getString("installation_id"),
                row.getString("user_id"), row.getString("phone")))) {
            if (!PhoneCipher.isEncrypted(row.phone())) {
                count += sql.update("UPDATE enrollments SET phone = ? WHERE installation_id = ? "
                        + "AND user_id = ?", cipher.encrypt(row.phone(), JdbcEnrollments.boundTo(
                        row.teamId(), row.userId())), row.teamId(), row.userId());
            }
        }
        record Pending(String id, String phone) {
        }
        for (Pending row : sql.list("SELECT id, pending_phone FROM requests "
                + "WHERE pending_phone IS NOT NULL", row -> new Pending(row.getString("id"),
                row.getString("pending_phone")))) {
            if (!PhoneCipher.isEncrypted(row.phone())) {
                count += sql.update("UPDATE requests SET pending_phone = ? WHERE id = ?",
                        cipher.encrypt(row.phone(), JdbcRequests.boundTo(row.id())), row.id());
            }
        }
        return count;
    }

    /** The old numbers out of the WAL (truncated) and out of free pages (vacuumed). */
    private static void forgetOldPages(Connection connection) throws SQLException {
        execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        execute(connection, "VACUUM");
        execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private static void execute(Connection connection, String statement) throws SQLException {
        try (Statement plain = connection.createStatement()) {
            plain.execute(statement);
        }
    }
}

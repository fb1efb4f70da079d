package dev.countersign.store;

import dev.countersign.approval.Outbox;
import dev.countersign.approval.OutboxMessage;
import dev.countersign.keys.DerivedKeys;
import dev.countersign.keys.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code outbox} table. Each entry is sealed when written: an HMAC under the server's
 * {@link Purpose#OUTBOX} key over its request id and payload ({@link #seal}), so an entry added
 * or edited by someone who can write the file but has not the key is seen for what it is.
 */
final class JdbcOutbox implements Outbox {

    private static final String SEAL_VERSION = "countersign-outbox-v1";

    private final Sql sql;
    private final DerivedKeys keys;

    JdbcOutbox(Sql sql, DerivedKeys keys) {
        this.sql = sql;
        this.keys = keys;
    }

    static String seal(DerivedKeys keys, String requestId, String payload) {
        return keys.mac(SEAL_VERSION, requestId, payload);
    }

    /** Whether {@code seal} is {@link #seal}'s for this entry (under any key still known). */
    private boolean sealed(String seal, String requestId, String payload) {
        return keys.verifies(seal, SEAL_VERSION, requestId, payload);
    }

    @Override
    public void enqueue(String requestId, String payload, Instant at) {
        sql.update("INSERT INTO outbox (request_id, installation_id, payload, state, attempts, "
                        + "created_at, next_attempt_at, seal) VALUES (?, (SELECT installation_id "
                        + "FROM requests WHERE id = ?), ?, 'PENDING', 0, ?, ?, ?)",
                requestId, requestId, payload, at, at, seal(keys, requestId, payload));
    }

    @Override
    public List<OutboxMessage> due(Instant now, int limit) {
        return sql.list("SELECT id, request_id, payload, attempts, created_at, next_attempt_at, "
                        + "seal FROM outbox WHERE state = 'PENDING' AND next_attempt_at <= ? "
                        + "ORDER BY next_attempt_at LIMIT ?",
                row -> new OutboxMessage(row.getLong("id"), row.getString("request_id"),
                        row.getString("payload"), row.getInt("attempts"), Sql.instant(row,
                                "created_at"),
                        Sql.instant(row, "next_attempt_at"), sealed(row.getString("seal"),
                                row.getString("request_id"), row.getString("payload"))),
                now, limit);
    }

    @Override
    public Optional<Instant> nextDue() {
        return sql.one("SELECT MIN(next_attempt_at) AS due FROM outbox WHERE state = 'PENDING'",
                row -> Sql.instant(row, "due")).filter(java.util.Objects::nonNull);
    }

    /** How many messages wait, and since when: one indexed query, for {@code GET /metrics}. */
    OutboxBacklog backlog() {
        return sql.one("SELECT COUNT(*), MIN(created_at) AS oldest FROM outbox "
                        + "WHERE state = 'PENDING'",
                row -> new OutboxBacklog(row.getLong(1), Optional.ofNullable(
                        Sql.instant(row, "oldest"))))
                .orElse(new OutboxBacklog(0, Optional.empty()));
    }

    @Override
    public boolean delivered(long id, int attempts, Instant at) {
        return sql.update("UPDATE outbox SET state = 'DELIVERED', attempts = ?, finished_at = ?, "
                + "last_error = NULL WHERE id = ? AND state = 'PENDING'", attempts, at, id) == 1;
    }

    @Override
    public boolean retryLater(long id, int attempts, Instant next, String error) {
        return sql.update("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? "
                + "WHERE id = ? AND state = 'PENDING'", attempts, next, error, id) == 1;
    }

    @Override
    public boolean dead(long id, int attempts, Instant at, String error) {
        return sql.update("UPDATE outbox SET state = 'DEAD', attempts = ?, finished_at = ?, "
                        + "last_error = ? WHERE id = ? AND state = 'PENDING'",
                attempts, at, error, id) == 1;
    }
}

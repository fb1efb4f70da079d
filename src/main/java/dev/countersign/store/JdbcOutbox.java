package dev.countersign.store;

import dev.countersign.approval.Outbox;
import dev.countersign.approval.OutboxMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code outbox} table. */
final class JdbcOutbox implements Outbox {

    private final Sql sql;

    JdbcOutbox(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void enqueue(String requestId, String payload, Instant at) {
        sql.update("INSERT INTO outbox (request_id, payload, state, attempts, created_at, "
                + "next_attempt_at) VALUES (?, ?, 'PENDING', 0, ?, ?)", requestId, payload, at, at);
    }

    @Override
    public List<OutboxMessage> due(Instant now, int limit) {
        return sql.list("SELECT id, request_id, payload, attempts, created_at, next_attempt_at "
                        + "FROM outbox WHERE state = 'PENDING' AND next_attempt_at <= ? "
                        + "ORDER BY next_attempt_at LIMIT ?",
                row -> new OutboxMessage(row.getLong("id"), row.getString("request_id"),
                        row.getString("payload"), row.getInt("attempts"), Sql.instant(row,
                                "created_at"),
                        Sql.instant(row, "next_attempt_at")), now, limit);
    }

    @Override
    public Optional<Instant> nextDue() {
        return sql.one("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'PENDING'",
                row -> Sql.instant(row, "MIN(next_attempt_at)")).filter(java.util.Objects::nonNull);
    }

    /** How many messages wait, and since when: one indexed query, for {@code GET /metrics}. */
    OutboxBacklog backlog() {
        return sql.one("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = 'PENDING'",
                row -> new OutboxBacklog(row.getLong(1), Optional.ofNullable(
                        Sql.instant(row, "MIN(created_at)"))))
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

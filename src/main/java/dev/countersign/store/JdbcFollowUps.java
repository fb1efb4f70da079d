package dev.countersign.store;

import dev.countersign.approval.FollowUp;
import dev.countersign.approval.FollowUps;
import dev.countersign.approval.Notice;
import dev.countersign.approval.RequestStatus;
import java.time.Instant;
import java.util.List;

/** The {@code follow_ups} table. */
final class JdbcFollowUps implements FollowUps {

    private final Sql sql;

    JdbcFollowUps(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void record(String requestId, Notice notice, RequestStatus status, Instant at,
                       Instant dueAt) {
        sql.update("INSERT INTO follow_ups (request_id, installation_id, notice, status, state, "
                        + "attempts, created_at, next_attempt_at) VALUES (?, (SELECT "
                        + "installation_id FROM requests WHERE id = ?), ?, ?, 'PENDING', 0, ?, ?)",
                requestId, requestId, notice.name(), status.name(), at, dueAt);
    }

    @Override
    public List<FollowUp> pendingOf(String requestId) {
        return sql.list("SELECT id, request_id, notice, status, attempts, created_at, "
                        + "next_attempt_at "
                        + "FROM follow_ups WHERE request_id = ? AND state = 'PENDING' ORDER BY id",
                row -> new FollowUp(row.getLong("id"), row.getString("request_id"),
                        Notice.valueOf(row.getString("notice")),
                        RequestStatus.valueOf(row.getString("status")), row.getInt("attempts"),
                        Sql.instant(row, "created_at"), Sql.instant(row, "next_attempt_at")),
                requestId);
    }

    @Override
    public List<String> requestsDue(Instant now, int limit) {
        return sql.list("SELECT request_id FROM follow_ups WHERE state = 'PENDING' "
                        + "AND next_attempt_at <= ? GROUP BY request_id "
                        + "ORDER BY MIN(next_attempt_at) LIMIT ?",
                row -> row.getString(1), now, limit);
    }

    @Override
    public boolean done(long id, int attempts, Instant at) {
        return sql.update("UPDATE follow_ups SET state = 'DONE', attempts = ?, finished_at = ?, "
                + "last_error = NULL WHERE id = ? AND state = 'PENDING'", attempts, at, id) == 1;
    }

    @Override
    public boolean retryLater(long id, int attempts, Instant next, String error) {
        return sql.update("UPDATE follow_ups SET attempts = ?, next_attempt_at = ?, "
                        + "last_error = ? WHERE id = ? AND state = 'PENDING'",
                attempts, next, error, id) == 1;
    }

    @Override
    public boolean abandoned(long id, int attempts, Instant at, String error) {
        return sql.update("UPDATE follow_ups SET state = 'ABANDONED', attempts = ?, "
                        + "finished_at = ?, last_error = ? WHERE id = ? AND state = 'PENDING'",
                attempts, at, error, id) == 1;
    }
}

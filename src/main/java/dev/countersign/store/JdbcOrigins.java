package dev.countersign.store;

import dev.countersign.approval.Origins;
import dev.countersign.approval.RequestOrigin;
import java.time.Instant;
import java.util.Optional;

/** The origin columns of {@code requests}, and {@code api_idempotency_keys}. */
final class JdbcOrigins implements Origins {

    private final Sql sql;

    JdbcOrigins(Sql sql) {
        this.sql = sql;
    }

    @Override
    public void record(String requestId, RequestOrigin origin) {
        sql.update("UPDATE requests SET source = ?, client = ?, external_id = ?, "
                        + "function_execution_id = ? WHERE id = ?", origin.source(),
                origin.client(), origin.externalId(), origin.functionExecutionId(), requestId);
    }

    @Override
    public RequestOrigin of(String requestId) {
        return sql.one("SELECT source, client, external_id, function_execution_id FROM requests "
                        + "WHERE id = ?",
                row -> new RequestOrigin(RequestOrigin.Source.valueOf(row.getString(1)),
                        row.getString(2), row.getString(3), row.getString(4)), requestId)
                .orElse(RequestOrigin.SLACK);
    }

    @Override
    public Optional<Remembered> byIdempotencyKey(String client, String key) {
        return sql.one("SELECT request_id, body_hash FROM api_idempotency_keys "
                        + "WHERE client = ? AND key = ?",
                row -> new Remembered(row.getString(1), row.getString(2)), client, key);
    }

    @Override
    public void rememberIdempotencyKey(String client, String key, String bodyHash,
                                       String requestId, Instant at) {
        sql.update("INSERT INTO api_idempotency_keys (client, key, body_hash, request_id, "
                + "created_at) VALUES (?, ?, ?, ?, ?)", client, key, bodyHash, requestId, at);
    }
}

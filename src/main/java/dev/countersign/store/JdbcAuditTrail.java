package dev.countersign.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.countersign.audit.AuditChain;
import dev.countersign.audit.AuditEvent;
import dev.countersign.audit.AuditRecord;
import dev.countersign.audit.AuditTrail;
import dev.countersign.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code audit_events} table. Appends run inside the caller's write transaction, which holds
 * SQLite's write lock, so reading the last hash and inserting the next row cannot interleave.
 */
final class JdbcAuditTrail implements AuditTrail {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final String COLUMNS =
            "id, at, type, request_id, installation_id, actor, details, prev_hash, hash";

    private final Sql sql;
    private final AuditChain chain;

    JdbcAuditTrail(Sql sql, AuditChain chain) {
        this.sql = sql;
        this.chain = chain;
    }

    @Override
    public AuditRecord append(AuditEvent event, Instant at) {
        record Last(long id, String hash) {
        }
        Last last = sql.one("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1",
                row -> new Last(row.getLong(1), row.getString(2))).orElse(new Last(0,
                        AuditChain.GENESIS));
        long id = last.id() + 1;
        Instant when = Instant.ofEpochMilli(at.toEpochMilli());
        String details = json(event);
        String hash = chain.hash(id, when, event.type(), event.requestId(), event.teamId(),
                event.actor(), details, last.hash());
        sql.update("INSERT INTO audit_events (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, when, event.type(), event.requestId(), event.teamId(), event.actor(), details,
                last.hash(), hash);
        return new AuditRecord(id, when, event.type(), event.requestId(), event.teamId(),
                event.actor(), details, last.hash(), hash);
    }

    @Override
    public List<AuditRecord> after(long afterId, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
                JdbcAuditTrail::map, afterId, limit);
    }

    /** The last row, if any: the head an anchor signs. */
    Optional<AuditRecord> last() {
        return sql.one("SELECT " + COLUMNS + " FROM audit_events ORDER BY id DESC LIMIT 1",
                JdbcAuditTrail::map);
    }

    @Override
    public List<AuditRecord> ofRequest(String requestId) {
        return sql.list("SELECT " + COLUMNS + " FROM audit_events WHERE request_id = ? ORDER BY id",
                JdbcAuditTrail::map, requestId);
    }

    private static String json(AuditEvent event) {
        try {
            return JSON.writeValueAsString(
                    event.details()); // sorted keys: AuditEvent keeps a TreeMap
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always encodes", e);
        }
    }

    static AuditRecord map(ResultSet row) throws SQLException {
        return new AuditRecord(row.getLong("id"), Sql.instant(row, "at"), row.getString("type"),
                row.getString("request_id"), row.getString("installation_id"),
                row.getString("actor"), row.getString("details"), row.getString("prev_hash"),
                row.getString("hash"));
    }
}

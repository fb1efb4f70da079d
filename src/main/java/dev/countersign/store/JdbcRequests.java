package dev.countersign.store;

import dev.countersign.people.Actor;
import dev.countersign.keys.PhoneCipher;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestStatus;
import dev.countersign.approval.Requests;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code requests} table. */
final class JdbcRequests implements Requests {

    private static final String COLUMNS = "id, reference, installation_id, user_id, kind, "
            + "action_json, digest, status, status_detail, channel_id, response_url, created_at, "
            + "expires_at, decided_at, decided_by";

    private final Sql sql;

    private final PhoneCipher phones;

    JdbcRequests(Sql sql, PhoneCipher phones) {
        this.sql = sql;
        this.phones = phones;
    }

    /** What an enrollment's number being verified is encrypted for: its request. */
    static String boundTo(String requestId) {
        return "requests|" + requestId;
    }

    @Override
    public void insert(ApprovalRequest request, String pendingPhone) {
        sql.update("INSERT INTO requests (" + COLUMNS + ", pending_phone) VALUES "
                        + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                request.id(), request.reference(), request.requester().installationId(),
                request.requester().userId(), request.action().kind(),
                ActionCodec.encode(request.action()), request.digest(), request.status(),
                request.statusDetail(), request.replyTo().channelId(),
                        request.replyTo().responseUrl(),
                request.createdAt(), request.expiresAt(), request.decidedAt(), request.decidedBy(),
                pendingPhone == null ? null : phones.encrypt(pendingPhone,
                        boundTo(request.id())));
    }

    @Override
    public Optional<ApprovalRequest> find(String id) {
        return sql.one("SELECT " + COLUMNS + " FROM requests WHERE id = ?", JdbcRequests::map, id);
    }

    @Override
    public Optional<ApprovalRequest> findByReference(String reference) {
        return sql.one("SELECT " + COLUMNS + " FROM requests WHERE reference = ?",
                JdbcRequests::map,
                reference);
    }

    @Override
    public boolean referenceExists(String reference) {
        return sql.count("SELECT COUNT(*) FROM requests WHERE reference = ?", reference) > 0;
    }

    @Override
    public Optional<String> pendingPhone(String id) {
        // Encrypted, bound to this request: a number written into the row by hand is no number.
        return sql.one(
                "SELECT pending_phone FROM requests WHERE id = ? AND pending_phone IS NOT NULL",
                row -> row.getString(1), id).flatMap(stored -> phones.decrypt(stored,
                        boundTo(id)));
    }

    @Override
    public boolean transition(String id, Set<RequestStatus> from, RequestStatus to, Instant at,
                              String decidedBy, String detail) {
        // Whatever the caller expects, only the moves RequestStatus allows can happen.
        Set<RequestStatus> allowed = EnumSet.noneOf(RequestStatus.class);
        allowed.addAll(from);
        allowed.retainAll(RequestStatus.sourcesOf(to));
        if (allowed.isEmpty()) {
            return false;
        }
        String expected = allowed.stream().map(status -> "'" + status.name() + "'")
                .collect(Collectors.joining(", "));
        boolean terminal = !to.isOpen();
        return sql.update("UPDATE requests SET status = ?, status_detail = ?, "
                        + "decided_at = CASE WHEN ? = 1 THEN ? ELSE decided_at END, "
                        + "decided_by = COALESCE(?, decided_by), "
                        + "pending_phone = CASE WHEN ? = 1 THEN NULL ELSE pending_phone END "
                        + "WHERE id = ? AND status IN (" + expected + ")",
                to, detail, terminal, at, decidedBy, terminal, id) == 1;
    }

    @Override
    public int forgetResponseUrls(Instant before) {
        return sql.update("UPDATE requests SET response_url = NULL "
                + "WHERE response_url IS NOT NULL AND created_at < ?", before);
    }

    @Override
    public void updateExpiry(String id, Instant expiresAt) {
        sql.update("UPDATE requests SET expires_at = ? WHERE id = ?", expiresAt, id);
    }

    @Override
    public List<ApprovalRequest> openOf(Actor requester) {
        return sql.list("SELECT " + COLUMNS + " FROM requests WHERE installation_id = ? "
                        + "AND user_id = ? "
                        + "AND status IN ('AWAITING_CODE', 'AWAITING_SECOND_APPROVER') "
                        + "ORDER BY created_at DESC LIMIT 50",
                JdbcRequests::map, requester.installationId(), requester.userId());
    }

    @Override
    public List<ApprovalRequest> decidedOf(Actor requester, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM requests WHERE installation_id = ? "
                        + "AND user_id = ? "
                        + "AND status NOT IN ('AWAITING_CODE', 'AWAITING_SECOND_APPROVER') "
                        + "ORDER BY decided_at DESC, created_at DESC LIMIT ?",
                JdbcRequests::map, requester.installationId(), requester.userId(), limit);
    }

    @Override
    public List<ApprovalRequest> dueToExpire(Instant now, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM requests "
                        + "WHERE status IN ('AWAITING_CODE', 'AWAITING_SECOND_APPROVER') "
                        + "AND expires_at <= ? ORDER BY expires_at LIMIT ?",
                JdbcRequests::map, now, limit);
    }

    @Override
    public List<ApprovalRequest> awaitingSecondApprover(String teamId, int limit) {
        return sql.list("SELECT " + COLUMNS + " FROM requests "
                        + "WHERE status = 'AWAITING_SECOND_APPROVER' AND installation_id = ? "
                        + "ORDER BY created_at LIMIT ?",
                JdbcRequests::map, teamId, limit);
    }

    /**
     * Requests made at or after {@code since}, newest first, of {@code status} when given: the
     * operator's {@code requests list}.
     */
    List<ApprovalRequest> madeSince(Instant since, Optional<RequestStatus> status, int limit) {
        return status.isPresent()
                ? sql.list("SELECT " + COLUMNS + " FROM requests WHERE created_at >= ? "
                        + "AND status = ? ORDER BY created_at DESC LIMIT ?",
                        JdbcRequests::map, since, status.get(), limit)
                : sql.list("SELECT " + COLUMNS + " FROM requests WHERE created_at >= ? "
                        + "ORDER BY created_at DESC LIMIT ?", JdbcRequests::map, since, limit);
    }

    /** Every workspace with a request (for the operator's tools). */
    List<String> teamIds() {
        return sql.list("SELECT DISTINCT installation_id FROM requests", row -> row.getString(1));
    }

    private static ApprovalRequest map(ResultSet row) throws SQLException {
        return new ApprovalRequest(
                row.getString("id"),
                row.getString("reference"),
                new Actor(row.getString("installation_id"), row.getString("user_id")),
                ActionCodec.decode(row.getString("kind"), row.getString("action_json")),
                row.getString("digest"),
                RequestStatus.valueOf(row.getString("status")),
                row.getString("status_detail"),
                new ReplyTo(row.getString("channel_id"), row.getString("response_url")),
                Sql.instant(row, "created_at"),
                Sql.instant(row, "expires_at"),
                Sql.instant(row, "decided_at"),
                row.getString("decided_by"));
    }
}

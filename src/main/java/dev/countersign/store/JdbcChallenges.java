package dev.countersign.store;

import dev.countersign.people.Actor;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.ChallengeState;
import dev.countersign.approval.Challenges;
import dev.countersign.otp.DeliveryChannel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code challenges} table: one row per code sent, never the code. */
final class JdbcChallenges implements Challenges {

    private static final String SENDING = "sending:";

    private static final String COLUMNS = "id, request_id, installation_id, user_id, purpose, "
            + "channel, phone_last4, provider_id, state, attempts, max_attempts, created_at, "
            + "expires_at";
    private static final long MILLIS_PER_MINUTE = 60_000;
    /** Two days of minutes: the daily window, and a day to spare for clocks and late writes. */
    private static final long COUNTS_KEPT_MINUTES = 2 * 24 * 60;
    /** Sends that count against limits: everything but codes never attempted. */
    private static final String COUNTED = "state <> 'ABANDONED'";

    private final Sql sql;

    JdbcChallenges(Sql sql) {
        this.sql = sql;
    }

    @Override
    public CodeChallenge insert(CodeChallenge c) {
        long id = sql.insert(
                "INSERT INTO challenges (request_id, installation_id, user_id, purpose, channel, "
                        + "phone_last4, provider_id, state, attempts, max_attempts, created_at, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                c.requestId(), c.verifier().installationId(), c.verifier().userId(), c.purpose(),
                c.channel().wireName(), c.phoneLastFour(), c.providerId(), c.state(), c.attempts(),
                c.maxAttempts(), c.createdAt(), c.expiresAt());
        if (c.state() != ChallengeState.ABANDONED) {
            countTeamCode(c.verifier().installationId(), c.createdAt(), 1);
        }
        return find(id).orElseThrow();
    }

    /** Keeps {@code team_code_counts} in step with the counted challenges. */
    private void countTeamCode(String teamId, Instant createdAt, int change) {
        long minute = minuteOf(createdAt);
        sql.update("INSERT INTO team_code_counts (installation_id, minute, codes) "
                + "VALUES (?, ?, ?) ON CONFLICT (installation_id, minute) "
                + "DO UPDATE SET codes = team_code_counts.codes + excluded.codes",
                teamId, minute, change);
        // Minutes older than the longest window counted (a day) are never read again.
        sql.update("DELETE FROM team_code_counts WHERE installation_id = ? AND minute < ?",
                teamId, minute - COUNTS_KEPT_MINUTES);
    }

    private static long minuteOf(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), MILLIS_PER_MINUTE);
    }

    @Override
    public Optional<CodeChallenge> find(long id) {
        return sql.one("SELECT " + COLUMNS + " FROM challenges WHERE id = ?", JdbcChallenges::map,
                id);
    }

    @Override
    public Optional<CodeChallenge> current(String requestId) {
        return sql.one("SELECT " + COLUMNS + " FROM challenges WHERE request_id = ? "
                        + "AND state IN ('PENDING', 'SENT') ORDER BY id DESC LIMIT 1",
                JdbcChallenges::map, requestId);
    }

    @Override
    public List<CodeChallenge> ofRequest(String requestId) {
        return sql.list("SELECT " + COLUMNS + " FROM challenges WHERE request_id = ? ORDER BY id",
                JdbcChallenges::map, requestId);
    }

    /**
     * The claim is kept in {@code provider_id} until the provider's own id replaces it:
     * {@code sending:} and the claim's time in epoch milliseconds (13 digits until the year
     * 2286, so claims compare as text).
     */
    @Override
    public boolean claimForSending(long id, Instant now, Instant staleBefore) {
        return sql.update("UPDATE challenges SET provider_id = ? WHERE id = ? AND state = 'PENDING' "
                        + "AND (provider_id IS NULL OR (provider_id LIKE 'sending:%' "
                        + "AND provider_id < ?))",
                SENDING + now.toEpochMilli(), id, SENDING + staleBefore.toEpochMilli()) == 1;
    }

    @Override
    public boolean markSent(long id, String providerId, DeliveryChannel channel, Instant sentAt) {
        return sql.update("UPDATE challenges SET state = 'SENT', provider_id = ?, channel = ?, "
                + "sent_at = ? WHERE id = ? AND state = 'PENDING'",
                providerId, channel.wireName(), sentAt, id) == 1;
    }

    @Override
    public boolean transition(long id, ChallengeState from, ChallengeState to) {
        boolean moved = sql.update("UPDATE challenges SET state = ? WHERE id = ? AND state = ?",
                to, id, from) == 1;
        if (moved && (to == ChallengeState.ABANDONED) != (from == ChallengeState.ABANDONED)) {
            find(id).ifPresent(abandoned -> countTeamCode(abandoned.verifier().installationId(),
                    abandoned.createdAt(), to == ChallengeState.ABANDONED ? -1 : 1));
        }
        return moved;
    }

    @Override
    public List<CodeChallenge> unsentOfOpenRequests() {
        return sql.list("SELECT " + COLUMNS.replaceAll("(\\w+)", "c.$1") + " FROM challenges c "
                        + "JOIN requests r ON r.id = c.request_id WHERE c.state = 'PENDING' "
                        + "AND r.status IN ('AWAITING_CODE', 'AWAITING_SECOND_APPROVER') ORDER BY c.id",
                JdbcChallenges::map);
    }

    @Override
    public int killOpen(String requestId, ChallengeState to) {
        return sql.update("UPDATE challenges SET state = ? WHERE request_id = ? "
                + "AND state IN ('PENDING', 'SENT')", to, requestId);
    }

    @Override
    public boolean reserveAttempt(long id) {
        return sql.update("UPDATE challenges SET attempts = attempts + 1 WHERE id = ? "
                + "AND state = 'SENT' AND attempts < max_attempts", id) == 1;
    }

    @Override
    public void refundAttempt(long id) {
        sql.update("UPDATE challenges SET attempts = attempts - 1 WHERE id = ? AND attempts > 0",
                id);
    }

    @Override
    public void updateExpiry(long id, Instant expiresAt) {
        sql.update("UPDATE challenges SET expires_at = ? WHERE id = ?", expiresAt, id);
    }

    @Override
    public void recordFailure(Actor person, Instant at) {
        sql.update("INSERT INTO failed_codes (installation_id, user_id, at) VALUES (?, ?, ?)",
                person.installationId(), person.userId(), at);
    }

    @Override
    public int failuresSince(Actor person, Instant since) {
        return sql.count("SELECT COUNT(*) FROM failed_codes WHERE installation_id = ? "
                + "AND user_id = ? AND at > ?", person.installationId(), person.userId(), since);
    }

    @Override
    public Optional<Instant> oldestFailureSince(Actor person, Instant since) {
        return sql.one("SELECT MIN(at) AS oldest FROM failed_codes WHERE installation_id = ? "
                        + "AND user_id = ? AND at > ?", row -> Sql.instant(row, "oldest"),
                person.installationId(), person.userId(), since)
                .filter(java.util.Objects::nonNull);
    }

    @Override
    public void forgetFailures(Actor person) {
        sql.update("DELETE FROM failed_codes WHERE installation_id = ? AND user_id = ?",
                person.installationId(), person.userId());
    }

    @Override
    public int countSentTo(Actor verifier, Instant since) {
        return sql.count("SELECT COUNT(*) FROM challenges WHERE installation_id = ? "
                + "AND user_id = ? AND created_at > ? AND " + COUNTED, verifier.installationId(),
                verifier.userId(), since);
    }

    /**
     * The whole minutes after {@code since} from {@code team_code_counts}, plus the codes of the
     * minute {@code since} falls in that came after it, counted one by one: exact, and at most
     * a day's minutes to add up whatever the volume.
     */
    @Override
    public int countSentInTeam(String teamId, Instant since) {
        long firstWhole = minuteOf(since) + 1;
        int whole = sql.count("SELECT COALESCE(SUM(codes), 0) FROM team_code_counts "
                + "WHERE installation_id = ? AND minute >= ?", teamId, firstWhole);
        int edge = sql.count("SELECT COUNT(*) FROM challenges WHERE installation_id = ? "
                + "AND created_at > ? AND created_at < ? AND " + COUNTED, teamId, since,
                Instant.ofEpochMilli(firstWhole * MILLIS_PER_MINUTE));
        return whole + edge;
    }

    @Override
    public Optional<Instant> lastCreated(String requestId) {
        return sql.one("SELECT MAX(created_at) AS latest FROM challenges WHERE request_id = ? "
                + "AND " + COUNTED, row -> Sql.instant(row, "latest"), requestId)
                .filter(java.util.Objects::nonNull);
    }

    @Override
    public Optional<Instant> oldestSentTo(Actor verifier, Instant since) {
        return sql.one("SELECT MIN(created_at) AS oldest FROM challenges "
                        + "WHERE installation_id = ? AND user_id = ? AND created_at > ? AND "
                        + COUNTED, row -> Sql.instant(row, "oldest"), verifier.installationId(),
                        verifier.userId(), since)
                .filter(java.util.Objects::nonNull);
    }

    @Override
    public Optional<Instant> oldestSentInTeam(String teamId, Instant since) {
        return sql.one(
                "SELECT MIN(created_at) AS oldest FROM challenges WHERE installation_id = ? "
                        + "AND created_at > ? AND " + COUNTED, row -> Sql.instant(row, "oldest"),
                        teamId, since)
                .filter(java.util.Objects::nonNull);
    }

    private static CodeChallenge map(ResultSet row) throws SQLException {
        return new CodeChallenge(
                row.getLong("id"),
                row.getString("request_id"),
                new Actor(row.getString("installation_id"), row.getString("user_id")),
                ChallengePurpose.valueOf(row.getString("purpose")),
                DeliveryChannel.fromWireName(row.getString("channel")),
                row.getString("phone_last4"),
                row.getString("provider_id"),
                ChallengeState.valueOf(row.getString("state")),
                row.getInt("attempts"),
                row.getInt("max_attempts"),
                Sql.instant(row, "created_at"),
                Sql.instant(row, "expires_at"));
    }
}

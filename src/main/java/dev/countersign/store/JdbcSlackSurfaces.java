package dev.countersign.store;

import dev.countersign.people.Actor;
import dev.countersign.slack.SlackSurfaces;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code slack_modals}, {@code slack_messages} and {@code slack_review_messages} tables, for
 * the Slack adapter.
 */
public final class JdbcSlackSurfaces implements SlackSurfaces {

    private final Database database;

    public JdbcSlackSurfaces(Database database) {
        this.database = database;
    }

    @Override
    public void modalOpened(String viewId, String requestId, Actor viewer, Instant at) {
        database.write(connection -> database.sql(connection).update(
                "INSERT INTO slack_modals (view_id, request_id, installation_id, user_id, "
                        + "opened_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (view_id) DO UPDATE SET "
                        + "request_id = excluded.request_id, opened_at = excluded.opened_at",
                viewId, requestId, viewer.installationId(), viewer.userId(), at));
    }

    @Override
    public void modalClosed(String viewId) {
        database.write(connection -> database.sql(connection).update(
                "DELETE FROM slack_modals WHERE view_id = ?", viewId));
    }

    @Override
    public Optional<String> modalOf(String requestId, Actor viewer) {
        return database.read(connection -> database.sql(connection).one(
                "SELECT view_id FROM slack_modals WHERE request_id = ? AND installation_id = ? "
                        + "AND user_id = ? ORDER BY opened_at DESC LIMIT 1",
                row -> row.getString(1), requestId, viewer.installationId(), viewer.userId()));
    }

    @Override
    public List<String> modalsOf(String requestId) {
        return database.read(connection -> database.sql(connection).list(
                "SELECT view_id FROM slack_modals WHERE request_id = ? ORDER BY opened_at DESC",
                row -> row.getString(1), requestId));
    }

    @Override
    public void approvalsMessagePosted(String requestId, MessageRef message) {
        database.write(connection -> database.sql(connection).update(
                "INSERT INTO slack_messages (request_id, installation_id, channel, ts) VALUES "
                        + "(?, (SELECT installation_id FROM requests WHERE id = ?), ?, ?) "
                        + "ON CONFLICT (request_id) DO UPDATE SET channel = excluded.channel, "
                        + "ts = excluded.ts",
                requestId, requestId, message.channel(), message.ts()));
    }

    @Override
    public Optional<MessageRef> approvalsMessage(String requestId) {
        return database.read(connection -> database.sql(connection).one(
                "SELECT channel, ts FROM slack_messages WHERE request_id = ?",
                row -> new MessageRef(row.getString(1), row.getString(2)), requestId));
    }

    @Override
    public void reviewMessagePosted(String requestId, MessageRef message) {
        database.write(connection -> database.sql(connection).update(
                "INSERT INTO slack_review_messages (request_id, channel, ts) VALUES (?, ?, ?) "
                        + "ON CONFLICT (request_id) DO UPDATE SET channel = excluded.channel, "
                        + "ts = excluded.ts",
                requestId, message.channel(), message.ts()));
    }

    @Override
    public Optional<MessageRef> reviewMessage(String requestId) {
        return database.read(connection -> database.sql(connection).one(
                "SELECT channel, ts FROM slack_review_messages WHERE request_id = ?",
                row -> new MessageRef(row.getString(1), row.getString(2)), requestId));
    }
}

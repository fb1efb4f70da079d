package dev.countersign.store;

import dev.countersign.slack.StepCompletions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The {@code workflow_completions} table, for the Slack adapter. */
public final class JdbcStepCompletions implements StepCompletions {

    private final Database database;

    public JdbcStepCompletions(Database database) {
        this.database = database;
    }

    @Override
    public boolean record(Completion completion, Instant at) {
        return database.write(connection -> database.sql(connection).update(
                "INSERT INTO workflow_completions (function_execution_id, request_id, outputs, "
                        + "error, state, created_at) VALUES (?, ?, ?, ?, 'PENDING', ?) "
                        + "ON CONFLICT (function_execution_id) DO NOTHING",
                completion.executionId(), completion.requestId(), completion.outputsJson(),
                completion.error(), at) == 1);
    }

    @Override
    public List<Completion> pending() {
        return database.read(connection -> database.sql(connection).list(
                "SELECT function_execution_id, request_id, outputs, error FROM "
                        + "workflow_completions WHERE state = 'PENDING' ORDER BY created_at",
                JdbcStepCompletions::map));
    }

    @Override
    public boolean stillPending(String executionId) {
        return database.read(connection -> database.sql(connection).count(
                "SELECT COUNT(*) FROM workflow_completions WHERE function_execution_id = ? "
                        + "AND state = 'PENDING'", executionId) > 0);
    }

    @Override
    public void done(String executionId, Instant at) {
        database.write(connection -> database.sql(connection).update(
                "UPDATE workflow_completions SET state = 'DONE', done_at = ?, "
                        + "attempts = attempts + 1 WHERE function_execution_id = ?",
                at, executionId));
    }

    @Override
    public List<String> endedWithoutOutcome() {
        return database.read(connection -> database.sql(connection).list(
                "SELECT r.id FROM requests r LEFT JOIN workflow_completions w "
                        + "ON w.function_execution_id = r.function_execution_id "
                        + "WHERE r.source = 'WORKFLOW' AND w.function_execution_id IS NULL "
                        + "AND r.status NOT IN ('AWAITING_CODE', 'AWAITING_SECOND_APPROVER')",
                row -> row.getString(1)));
    }

    private static Completion map(ResultSet row) throws SQLException {
        return new Completion(row.getString(1), row.getString(2), row.getString(3),
                row.getString(4));
    }
}

package dev.countersign.slack;

import java.time.Instant;
import java.util.List;

/**
 * The outcomes Workflow Builder steps are to be completed with ({@code workflow_completions}):
 * recorded once per execution before Slack is told, and kept until Slack has taken it.
 */
public interface StepCompletions {

    /** One completion: outputs (JSON) for success, or an error message for a failed step. */
    record Completion(String executionId, String requestId, String outputsJson, String error) {
    }

    /** Records the outcome; false if the execution has one already (then nothing changes). */
    boolean record(Completion completion, Instant at);

    /** Outcomes Slack has not yet taken, oldest first. */
    List<Completion> pending();

    /** Whether Slack has yet to take this execution's outcome. */
    boolean stillPending(String executionId);

    void done(String executionId, Instant at);

    /** Workflow requests that have ended but have no outcome recorded (a crash in between). */
    List<String> endedWithoutOutcome();
}

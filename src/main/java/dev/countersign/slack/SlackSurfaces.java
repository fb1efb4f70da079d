package dev.countersign.slack;

import dev.countersign.people.Actor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a request is shown in Slack: the modals that show it, and its message in the approvals
 * channel. The Slack adapter's own state, kept apart from the domain (which never sees a view id
 * or a message timestamp) but stored, so a restart can still update what people see.
 */
public interface SlackSurfaces {

    /** Modal {@code viewId} now shows request {@code requestId} to {@code viewer}. */
    void modalOpened(String viewId, String requestId, Actor viewer, Instant at);

    /** The person closed modal {@code viewId}: nothing can update it any more. */
    void modalClosed(String viewId);

    /** The newest modal showing the request to {@code viewer}, if any. */
    Optional<String> modalOf(String requestId, Actor viewer);

    /** Every modal still showing the request, newest first. */
    List<String> modalsOf(String requestId);

    void approvalsMessagePosted(String requestId, MessageRef message);

    Optional<MessageRef> approvalsMessage(String requestId);

    /** The direct message asking the person to review a request another system made. */
    void reviewMessagePosted(String requestId, MessageRef message);

    Optional<MessageRef> reviewMessage(String requestId);

    /** A message's coordinates: its channel and its timestamp (Slack's message id). */
    record MessageRef(String channel, String ts) {
    }
}

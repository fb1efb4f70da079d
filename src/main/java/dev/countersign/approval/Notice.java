package dev.countersign.approval;

/**
 * Something people must be told because a request moved: what must be said, never how. Recorded
 * by {@link RequestTransitions} in the move's own transaction ({@link FollowUps}), so it is said
 * after a crash as well; the adapter that talks to people decides the words and the channel.
 */
public enum Notice {

    /** Every window still showing the request shows where it now stands. */
    SCREENS,

    /** The approval, for everyone where the request was made. */
    RESULT,

    /** The requester hears of the move: it waits for a second approver, or why it ended. */
    REQUESTER,

    /** The request is put before the second approvers. */
    APPROVERS_ASKED,

    /** What the second approvers were shown now shows the outcome. */
    APPROVERS_OUTCOME
}

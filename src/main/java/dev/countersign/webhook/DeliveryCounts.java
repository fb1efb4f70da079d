package dev.countersign.webhook;

/**
 * Hears the outcome of each webhook delivery attempt, for counting ({@code GET /metrics}).
 * Called once the outcome is stored; must be quick and not throw.
 */
public interface DeliveryCounts {

    /** Hears nothing. */
    DeliveryCounts NONE = result -> { };

    /** What one attempt came to. */
    enum Result {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** This attempt failed; another follows later. */
        RETRY,
        /** Never to be tried again (24 hours of failures, or refused before sending). */
        DEAD
    }

    void counted(Result result);
}

package dev.countersign.approval;

/** The life of one code. */
public enum ChallengeState {
    /** Recorded; the code is about to be sent (counts against send limits already). */
    PENDING,
    /** The provider accepted it; the person can type the code. */
    SENT,
    /** The right code was typed. */
    VERIFIED,
    /** Replaced by a newer code, expired, or its request ended. */
    DEAD,
    /** The provider refused to send it, or we could not tell whether it did. */
    FAILED,
    /** Never sent: its modal could not be opened. Does not count against limits. */
    ABANDONED
}

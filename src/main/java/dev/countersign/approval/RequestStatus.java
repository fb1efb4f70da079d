package dev.countersign.approval;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an approval request stands. Every change is one conditional update from an expected
 * status, so nothing is decided twice whatever arrives twice.
 */
public enum RequestStatus {
    /** Waiting for the code sent to the requester's phone (or, for a phone change, phones). */
    AWAITING_CODE,
    /** The requester's code checked out; a second approver must confirm with their own code. */
    AWAITING_SECOND_APPROVER,
    APPROVED,
    REJECTED,
    LOCKED,
    EXPIRED,
    CANCELLED,
    FAILED;

    public static final Set<RequestStatus> OPEN = EnumSet.of(AWAITING_CODE,
            AWAITING_SECOND_APPROVER);

    public boolean isOpen() {
        return OPEN.contains(this);
    }

    /** Lower-case word for people: "approved", "locked". */
    public String word() {
        return switch (this) {
            case AWAITING_CODE -> "waiting for a code";
            case AWAITING_SECOND_APPROVER -> "waiting for a second approver";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

package dev.countersign.approval;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where an approval request stands, and the table of moves allowed between statuses. Every
 * change is one conditional update from an expected status ({@link RequestTransitions}), so
 * nothing is decided twice whatever arrives twice; a terminal status is never left.
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

    private static final Map<RequestStatus, Set<RequestStatus>> MOVES = moves();
    private static final Map<RequestStatus, Set<RequestStatus>> SOURCES = sources();

    /** The statuses this one may move to: none for a terminal status. */
    public Set<RequestStatus> next() {
        return MOVES.get(this);
    }

    public boolean canMoveTo(RequestStatus to) {
        return MOVES.get(this).contains(to);
    }

    /** The statuses from which a request may move to {@code to}. */
    public static Set<RequestStatus> sourcesOf(RequestStatus to) {
        return SOURCES.get(to);
    }

    public boolean isOpen() {
        return OPEN.contains(this);
    }

    /** Lower-case word for people: "approved", "locked". */
    public String word() {
        return switch (this) {
            case AWAITING_CODE -> "waiting for a code";
            case AWAITING_SECOND_APPROVER -> "waiting for a second approver";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }

    private static Map<RequestStatus, Set<RequestStatus>> moves() {
        Map<RequestStatus, Set<RequestStatus>> moves = new EnumMap<>(RequestStatus.class);
        for (RequestStatus status : values()) {
            moves.put(status, switch (status) {
                case AWAITING_CODE -> Set.copyOf(EnumSet.of(AWAITING_SECOND_APPROVER, APPROVED,
                        LOCKED, EXPIRED, CANCELLED, FAILED));
                // A second approver's wrong codes lock the request; a digest that no longer
                // matches at the second code fails it.
                case AWAITING_SECOND_APPROVER -> Set.copyOf(EnumSet.of(APPROVED, REJECTED,
                        LOCKED, EXPIRED, CANCELLED, FAILED));
                case APPROVED, REJECTED, LOCKED, EXPIRED, CANCELLED, FAILED -> Set.of();
            });
        }
        return moves;
    }

    private static Map<RequestStatus, Set<RequestStatus>> sources() {
        Map<RequestStatus, Set<RequestStatus>> sources = new EnumMap<>(RequestStatus.class);
        for (RequestStatus to : values()) {
            Set<RequestStatus> from = EnumSet.noneOf(RequestStatus.class);
            for (RequestStatus status : values()) {
                if (MOVES.get(status).contains(to)) {
                    from.add(status);
                }
            }
            sources.put(to, Set.copyOf(from));
        }
        return sources;
    }
}

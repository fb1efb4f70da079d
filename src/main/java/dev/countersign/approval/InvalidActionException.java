package dev.countersign.approval;

/** Input that cannot become an approval; the message is meant for the person who typed it. */
public final class InvalidActionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidActionException(String message) {
        super(message);
    }
}

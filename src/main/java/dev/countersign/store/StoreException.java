package dev.countersign.store;

/** The database could not do what was asked (disk, lock timeout, corrupt file…). */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

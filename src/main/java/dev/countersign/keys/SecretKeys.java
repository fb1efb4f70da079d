package dev.countersign.keys;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The keys as configured: {@code COUNTERSIGN_SECRET_KEY} (absent: the key file beside the
 * database is used, see {@link KeyFile}) and {@code COUNTERSIGN_PREVIOUS_KEYS}. Already checked
 * to be 64 hex characters each by the settings reader.
 */
public record SecretKeys(Optional<String> current, List<String> previous) {

    /** Nothing configured: the key file beside the database, no previous keys. */
    public static final SecretKeys FROM_FILE = new SecretKeys(Optional.empty(), List.of());

    public SecretKeys {
        Objects.requireNonNull(current, "current");
        previous = List.copyOf(previous);
    }

    /** The key ring, with {@code fallback} as the current key when none is configured. */
    public KeyRing ring(Supplier<String> fallback) {
        return KeyRing.ofHex(current.orElseGet(fallback), previous);
    }

    /** Never prints a key. */
    @Override
    public String toString() {
        return "SecretKeys[" + (current.isPresent() ? "configured" : "from file") + " + "
                + previous.size() + " previous]";
    }
}

package dev.countersign.keys;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The server's master key ({@code COUNTERSIGN_SECRET_KEY}) and the previous ones kept for
 * rotation, and the keys derived from them, one per {@link Purpose}. The master keys themselves
 * are used for nothing else.
 */
public final class KeyRing {

    /** Bytes in a master key: 64 hex characters. */
    public static final int KEY_BYTES = 32;

    private final Map<Purpose, DerivedKeys> derived = new EnumMap<>(Purpose.class);
    private final int previousCount;

    private KeyRing(byte[] current, List<byte[]> previous) {
        this.previousCount = previous.size();
        for (Purpose purpose : Purpose.values()) {
            List<byte[]> keys = new ArrayList<>();
            keys.add(Hkdf.derive(current, purpose.label()));
            for (byte[] old : previous) {
                keys.add(Hkdf.derive(old, purpose.label()));
            }
            derived.put(purpose, new DerivedKeys(purpose, keys));
        }
    }

    public static KeyRing of(byte[] current, List<byte[]> previous) {
        check(current);
        previous.forEach(KeyRing::check);
        return new KeyRing(current.clone(), previous.stream().map(byte[]::clone).toList());
    }

    /** From 64-hex-character keys, as written in the settings. */
    public static KeyRing ofHex(String current, List<String> previous) {
        return of(parse(current), previous.stream().map(KeyRing::parse).toList());
    }

    /** Whether {@code text} is a master key as the settings write it: 64 hex characters. */
    public static boolean isWellFormed(String text) {
        return text != null && text.matches("[0-9a-fA-F]{" + (KEY_BYTES * 2) + "}");
    }

    public DerivedKeys derive(Purpose purpose) {
        return derived.get(purpose);
    }

    public int previousCount() {
        return previousCount;
    }

    private static byte[] parse(String hex) {
        if (!isWellFormed(hex)) {
            throw new IllegalArgumentException("a key must be 64 hex characters");
        }
        return HexFormat.of().parseHex(hex);
    }

    private static void check(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key must be " + KEY_BYTES + " bytes");
        }
    }

    /** Never prints a key. */
    @Override
    public String toString() {
        return "KeyRing[current + " + previousCount + " previous]";
    }
}

package dev.countersign.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The keys of one {@link Purpose}: the current one, which makes every new MAC, and those of the
 * previous master keys, which only verify. MACs are HMAC-SHA256 over length-prefixed fields, so
 * no two different field lists encode alike.
 */
public final class DerivedKeys {

    private final Purpose purpose;
    private final List<byte[]> keys;

    DerivedKeys(Purpose purpose, List<byte[]> keys) {
        this.purpose = purpose;
        this.keys = List.copyOf(keys);
    }

    /** Which key verified a MAC: the current one, or the n-th previous one (1 = latest). */
    public sealed interface Match {
        record Current() implements Match {
        }

        record Previous(int age) implements Match {
        }

        record None() implements Match {
        }
    }

    /** Hex HMAC of the fields under the current key. */
    public String mac(String... fields) {
        return HexFormat.of().formatHex(Hkdf.hmac(keys.getFirst(), encode(fields)));
    }

    /** Whether {@code mac} is the HMAC of the fields under the current or a previous key. */
    public boolean verifies(String mac, String... fields) {
        return !(match(mac, fields) instanceof Match.None);
    }

    public Match match(String mac, String... fields) {
        if (mac == null) {
            return new Match.None();
        }
        byte[] given = mac.getBytes(StandardCharsets.US_ASCII);
        byte[] encoded = encode(fields);
        for (int i = 0; i < keys.size(); i++) {
            byte[] expected = HexFormat.of().formatHex(Hkdf.hmac(keys.get(i), encoded))
                    .getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given)) {
                return i == 0 ? new Match.Current() : new Match.Previous(i);
            }
        }
        return new Match.None();
    }

    /** The raw keys, current first: for ciphers ({@link PhoneCipher}) in this package only. */
    List<byte[]> raw() {
        return keys;
    }

    static byte[] encode(String... fields) {
        return Canonical.of(fields).getBytes(StandardCharsets.UTF_8);
    }

    /** Never prints a key. */
    @Override
    public String toString() {
        return "DerivedKeys[" + purpose + ", " + keys.size() + " key(s)]";
    }
}

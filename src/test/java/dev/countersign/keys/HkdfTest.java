package dev.countersign.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HkdfTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void matchesRfc5869TestCaseOne() {
        byte[] ikm = HEX.parseHex("0b".repeat(22));
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");

        byte[] okm = Hkdf.expand(Hkdf.extract(salt, ikm), info, 42);

        assertThat(HEX.formatHex(okm)).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c"
                + "5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void eachPurposeHasItsOwnKeyAndAPreviousKeyStillVerifies() {
        KeyRing old = KeyRing.ofHex("11".repeat(32), List.of());
        KeyRing rotated = KeyRing.ofHex("22".repeat(32), List.of("11".repeat(32)));
        String mac = old.derive(Purpose.AUDIT_CHAIN).mac("row", "1");

        assertThat(old.derive(Purpose.OUTBOX).verifies(mac, "row", "1")).isFalse();
        assertThat(rotated.derive(Purpose.AUDIT_CHAIN).match(mac, "row", "1"))
                .isEqualTo(new DerivedKeys.Match.Previous(1));
        assertThat(KeyRing.ofHex("33".repeat(32), List.of()).derive(Purpose.AUDIT_CHAIN)
                .verifies(mac, "row", "1")).isFalse();
    }

    @Test
    void aPhoneEncryptedForOneRowDoesNotOpenForAnother() {
        PhoneCipher cipher = new PhoneCipher(KeyRing.ofHex("44".repeat(32), List.of()));
        String stored = cipher.encrypt("+12015550123", "enrollments|T1|UALICE");

        assertThat(stored).doesNotContain("2015550123");
        assertThat(cipher.decrypt(stored, "enrollments|T1|UALICE")).hasValue("+12015550123");
        assertThat(cipher.decrypt(stored, "enrollments|T1|UMALLORY")).isEmpty();
        assertThat(cipher.decrypt("+12015550123", "enrollments|T1|UALICE")).isEmpty();
    }
}

package dev.countersign.approval;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * A request's short reference, {@code CS-7K3P9Q}: what people read aloud, type into
 * {@code /approve cancel} and find in the audit trail. The one definition of its shape.
 */
public record Reference(String value) {

    /** No 0/O, 1/I/L or U: references are read aloud and typed from memory. */
    public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int LENGTH = 6;
    private static final Pattern SHAPE = Pattern.compile("CS-[" + ALPHABET + "]{" + LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public Reference {
        if (!isValid(value)) {
            throw new IllegalArgumentException("a reference looks like CS-7K3P9Q");
        }
    }

    public static boolean isValid(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    /** A new random reference; short, so the caller checks it is not taken. */
    static Reference random() {
        StringBuilder reference = new StringBuilder("CS-");
        for (int i = 0; i < LENGTH; i++) {
            reference.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new Reference(reference.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}

package dev.countersign.approval;

import java.security.SecureRandom;
import java.util.UUID;

/** Request ids (unguessable) and references (short, for people to type). */
final class Ids {

    /** No 0/O, 1/I/L or U: references are read aloud and typed from memory. */
    private static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }

    static String reference() {
        StringBuilder reference = new StringBuilder("CS-");
        for (int i = 0; i < 6; i++) {
            reference.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return reference.toString();
    }
}

package dev.countersign.otp.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * One console challenge. Holds a salted SHA-256 of the code, never the code: a heap dump or a
 * stray toString shows nothing a person could type.
 */
final class ConsoleChallenge {

    enum Outcome {
        CORRECT, WRONG, WRONG_LAST, GONE;

        boolean endsChallenge() {
            return this != WRONG;
        }
    }

    private static final int SALT_BYTES = 16;

    private final byte[] salt;
    private final byte[] codeHash;
    private final Instant expiresAt;
    private final int maxAttempts;
    private int attemptsUsed;
    private boolean finished;

    private ConsoleChallenge(byte[] salt, byte[] codeHash, Instant expiresAt, int maxAttempts) {
        this.salt = salt;
        this.codeHash = codeHash;
        this.expiresAt = expiresAt;
        this.maxAttempts = maxAttempts;
    }

    static ConsoleChallenge create(String code, Instant expiresAt, int maxAttempts, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new ConsoleChallenge(salt, hash(salt, code), expiresAt, maxAttempts);
    }

    /** Synchronized: of many simultaneous right answers exactly one is CORRECT. */
    synchronized Outcome attempt(String code, Instant now) {
        if (finished || expiredAt(now)) {
            finished = true;
            return Outcome.GONE;
        }
        if (MessageDigest.isEqual(codeHash, hash(salt, code))) {
            finished = true;
            return Outcome.CORRECT;
        }
        attemptsUsed++;
        if (attemptsUsed >= maxAttempts) {
            finished = true;
            return Outcome.WRONG_LAST;
        }
        return Outcome.WRONG;
    }

    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** For tests: wrong answers so far. */
    synchronized int attemptsUsed() {
        return attemptsUsed;
    }

    private static byte[] hash(byte[] salt, String code) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(code.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }

    @Override
    public synchronized String toString() {
        return "ConsoleChallenge[expiresAt=" + expiresAt + ", attempts=" + attemptsUsed + "/" + maxAttempts
                + (finished ? ", finished" : "") + "]";
    }
}

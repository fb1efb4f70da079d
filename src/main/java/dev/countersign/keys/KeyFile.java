package dev.countersign.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code secret.key} beside the database: the master key when {@code COUNTERSIGN_SECRET_KEY} is
 * not set. Made once, from {@link SecureRandom}, readable by its owner only (0600), and read
 * again on every start so the trail, the bindings and the phones stay readable.
 */
public final class KeyFile {

    public static final String NAME = "secret.key";
    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);

    private KeyFile() {
    }

    /** The key in {@code file}, made first if the file does not exist. */
    public static String loadOrCreate(Path file) {
        try {
            if (Files.notExists(file)) {
                create(file);
            }
            String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!KeyRing.isWellFormed(key)) {
                throw new IllegalStateException(file + " does not hold a key (64 hex characters); "
                        + "restore it from your backup, or set COUNTERSIGN_SECRET_KEY");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** A fresh random key, hex: also for a database that lives in memory only. */
    public static String randomKey() {
        byte[] key = new byte[KeyRing.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    private static void create(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, randomKey() + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        log.warn("COUNTERSIGN_SECRET_KEY is not set: generated a new key into {} (owner-only). "
                + "Back it up with the database: without it the audit trail, approvals and "
                + "phones can't be verified or read. In production pass the key from a secret "
                + "store instead (openssl rand -hex 32).", file);
    }
}

package dev.countersign.config;

import dev.countersign.keys.KeyRing;
import dev.countersign.keys.SecretKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code COUNTERSIGN_SECRET_KEY} and {@code COUNTERSIGN_PREVIOUS_KEYS}: the server's master key,
 * and older ones accepted for verification only. Unset, the key file beside the database is
 * used (made on first start). A key is never quoted in a message.
 */
final class KeysSection {

    private static final String HOW = "it must be 64 hex characters (32 random bytes); make one "
            + "with `openssl rand -hex 32`";

    private KeysSection() {
    }

    /**
     * The keys; with a PostgreSQL {@code databaseUrl} the key must be set: every instance needs
     * the same one, and there is no file beside the database to make it in.
     */
    static SecretKeys read(EnvReader env, String databaseUrl) {
        SecretKeys keys = read(env);
        if (databaseUrl.startsWith("jdbc:postgresql:")
                && env.optional("COUNTERSIGN_SECRET_KEY").isEmpty()) {
            env.problem("COUNTERSIGN_SECRET_KEY must be set with a PostgreSQL DATABASE_URL: every "
                    + "instance needs the same key; " + HOW);
        }
        return keys;
    }

    static SecretKeys read(EnvReader env) {
        Optional<String> current = env.optional("COUNTERSIGN_SECRET_KEY");
        current.ifPresent(key -> check(env, "COUNTERSIGN_SECRET_KEY", key));
        List<String> previous = new ArrayList<>();
        int position = 0;
        for (String key : env.list("COUNTERSIGN_PREVIOUS_KEYS")) {
            position++;
            if (check(env, "COUNTERSIGN_PREVIOUS_KEYS (entry " + position + ")", key)) {
                previous.add(key);
            }
        }
        return new SecretKeys(current.filter(KeyRing::isWellFormed), previous);
    }

    private static boolean check(EnvReader env, String name, String key) {
        if (EnvReader.PLACEHOLDERS.contains(key)) {
            env.problem(name + " still has the example value from example.env: " + HOW);
            return false;
        }
        if (!KeyRing.isWellFormed(key)) {
            env.problem(name + " is not a key: " + HOW);
            return false;
        }
        return true;
    }
}

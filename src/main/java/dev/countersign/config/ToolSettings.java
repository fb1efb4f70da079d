package dev.countersign.config;

import dev.countersign.keys.SecretKeys;
import java.util.Set;

/**
 * The settings the operator's command-line tools need ({@code audit}, {@code enroll},
 * {@code reset}): only where the database is, which countries phones may be in, and the keys
 * the audit trail and phones were written with. They are read
 * like the server's ({@link SettingsLoader#forTools}), without demanding Slack or SignalWire ones.
 */
public record ToolSettings(String databaseUrl, Set<String> allowedCountries, SecretKeys keys) {

    public ToolSettings {
        allowedCountries = Set.copyOf(allowedCountries);
    }
}

package dev.countersign.config;

import java.util.Set;

/**
 * The settings the operator's command-line tools need ({@code audit}, {@code enroll},
 * {@code reset}): only where the database is and which countries phones may be in. They are read
 * like the server's ({@link SettingsLoader#forTools}), without demanding Slack or SignalWire ones.
 */
public record ToolSettings(String databaseUrl, Set<String> allowedCountries) {

    public ToolSettings {
        allowedCountries = Set.copyOf(allowedCountries);
    }
}

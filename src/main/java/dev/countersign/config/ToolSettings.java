package dev.countersign.config;

import dev.countersign.logging.Redaction;
import dev.countersign.keys.SecretKeys;
import java.util.Optional;
import java.util.Set;

/**
 * The settings the operator's command-line tools need ({@code audit}, {@code enroll},
 * {@code reset}): only where the database is, which countries phones may be in, and the keys
 * the audit trail and phones were written with. They are read
 * like the server's ({@link SettingsLoader#forTools}), without demanding Slack or SignalWire ones.
 * The bot token, when set, lets {@code requests cancel} tell the requester.
 */
public record ToolSettings(String databaseUrl, Set<String> allowedCountries, SecretKeys keys,
                           Optional<String> slackBotToken, String slackApiUrl) {

    public ToolSettings {
        allowedCountries = Set.copyOf(allowedCountries);
        slackBotToken = slackBotToken == null ? Optional.empty() : slackBotToken;
    }

    /** Without Slack: a requester of a cancelled request is not told. */
    public ToolSettings(String databaseUrl, Set<String> allowedCountries, SecretKeys keys) {
        this(databaseUrl, allowedCountries, keys, Optional.empty(), SlackSection.DEFAULT_API_URL);
    }

    @Override
    public String toString() {
        return "ToolSettings[databaseUrl=" + Redaction.apply(databaseUrl) + ", slackBotToken="
                + slackBotToken.isPresent() + ", slackApiUrl=" + slackApiUrl + "]";
    }
}

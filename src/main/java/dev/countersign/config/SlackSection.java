package dev.countersign.config;

import java.util.Optional;

/** The Slack block of the settings: tokens, signing secret and where the Web API is. */
final class SlackSection {

    static final String DEFAULT_API_URL = "https://slack.com/api/";
    /** Slack's signing secrets are 32 hexadecimal characters. */
    static final int MIN_SIGNING_SECRET_LENGTH = 32;

    private SlackSection() {
    }

    /** HTTP mode needs the signing secret; Socket Mode ({@code SLACK_APP_TOKEN}) does not. */
    static Settings.SlackSettings read(EnvReader env) {
        String botToken = env.required("SLACK_BOT_TOKEN",
                "the bot token (xoxb-…) from your Slack app's OAuth & Permissions page");
        if (botToken != null && EnvReader.PLACEHOLDERS.contains(botToken)) {
            env.problem("SLACK_BOT_TOKEN still has the example value from example.env: use the "
                    + "Bot User OAuth Token from your Slack app's OAuth & Permissions page");
        } else if (botToken != null && !botToken.startsWith("xoxb-")) {
            env.problem("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
        }
        Optional<String> appToken = env.optional("SLACK_APP_TOKEN");
        if (appToken.isPresent() && !appToken.get().startsWith("xapp-")) {
            env.problem("SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                    + "(or unset, to serve HTTP)");
        }
        String signingSecret = env.optional("SLACK_SIGNING_SECRET").orElse(null);
        if (signingSecret == null && appToken.isEmpty()) {
            env.problem("SLACK_SIGNING_SECRET is required in HTTP mode: Basic Information → "
                    + "App Credentials → Signing Secret (or set SLACK_APP_TOKEN for Socket Mode)");
        }
        env.secret("SLACK_SIGNING_SECRET", signingSecret, MIN_SIGNING_SECRET_LENGTH,
                "Slack's signing secret is 32 characters, under Basic Information → App "
                        + "Credentials");
        return new Settings.SlackSettings(botToken, signingSecret, appToken, apiUrl(env));
    }

    /** {@code SLACK_API_URL}, ending in a slash. */
    static String apiUrl(EnvReader env) {
        String apiUrl = env.secureUrl("SLACK_API_URL", DEFAULT_API_URL).map(Object::toString)
                .orElse(DEFAULT_API_URL);
        // Endpoints are resolved relative to it: without the slash the last segment would go.
        return apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    }
}

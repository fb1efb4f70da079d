package dev.countersign.config;

import java.net.URI;
import java.util.Optional;

/** The webhook block of the settings: where approved actions go, and the key that signs them. */
final class WebhookSection {

    /** Shorter keys are guessable; {@code openssl rand -hex 32} gives 64 characters. */
    static final int MIN_SECRET_LENGTH = 16;

    private WebhookSection() {
    }

    /** Off when {@code APPROVAL_WEBHOOK_URL} is unset; then no secret may be set either. */
    static Optional<Settings.Webhook> read(EnvReader env) {
        Optional<String> secret = env.optional("APPROVAL_WEBHOOK_SECRET");
        if (env.optional("APPROVAL_WEBHOOK_URL").isEmpty()) {
            if (secret.isPresent()) {
                env.problem("APPROVAL_WEBHOOK_SECRET is set but APPROVAL_WEBHOOK_URL is not");
            }
            return Optional.empty();
        }
        Optional<URI> url = env.url("APPROVAL_WEBHOOK_URL",
                "https://payments.internal.example.com/countersign");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (secret.isEmpty() || secret.get().length() < MIN_SECRET_LENGTH) {
            env.problem("APPROVAL_WEBHOOK_SECRET is required with APPROVAL_WEBHOOK_URL and must "
                    + "be at least " + MIN_SECRET_LENGTH + " characters (e.g. openssl rand -hex "
                    + "32)");
            return Optional.empty();
        }
        return Optional.of(new Settings.Webhook(url.get(), secret.get()));
    }
}

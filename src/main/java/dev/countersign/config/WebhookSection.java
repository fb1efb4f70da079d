package dev.countersign.config;

import java.net.URI;
import java.util.Optional;

/** The webhook block of the settings: where approved actions go, and the key that signs them. */
final class WebhookSection {

    /** Shorter keys are guessable; {@code openssl rand -hex 32} gives 64 characters. */
    /** 32 characters: what {@code openssl rand -hex 16} gives, 128 bits at the least. */
    static final int MIN_SECRET_LENGTH = 32;

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
        // The URL and the secret are both checked before giving up on either: a bad URL must
        // not hide a short secret, or the operator fixes one and meets the other at the next try.
        int problemsBefore = env.problemCount();
        Optional<URI> url = env.secureUrl("APPROVAL_WEBHOOK_URL",
                "https://payments.internal.example.com/countersign");
        if (secret.isEmpty()) {
            env.problem("APPROVAL_WEBHOOK_SECRET is required with APPROVAL_WEBHOOK_URL: make one "
                    + "with openssl rand -hex 32");
            return Optional.empty();
        }
        env.secret("APPROVAL_WEBHOOK_SECRET", secret.get(), MIN_SECRET_LENGTH,
                "make one with openssl rand -hex 32");
        if (url.isEmpty() || env.problemCount() > problemsBefore) {
            return Optional.empty();
        }
        return Optional.of(new Settings.Webhook(url.get(), secret.get()));
    }
}

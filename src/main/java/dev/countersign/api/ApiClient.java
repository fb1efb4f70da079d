package dev.countersign.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A system allowed to call the REST API, as stored: its name and when its key was made, last
 * used and revoked. The key itself is never kept (only its hash).
 */
public record ApiClient(String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public ApiClient {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}

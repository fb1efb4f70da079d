package dev.countersign.approval;

import java.time.Instant;
import java.util.Optional;

/**
 * Where stored requests came from, and the idempotency keys API clients sent with them. Part of
 * a {@link Transaction}.
 */
public interface Origins {

    /** Records that request {@code requestId} (already inserted) was asked by {@code origin}. */
    void record(String requestId, RequestOrigin origin);

    /** Who asked; {@link RequestOrigin#SLACK} for requests made before origins were kept. */
    RequestOrigin of(String requestId);

    /** A request an API client made earlier with this {@code Idempotency-Key}. */
    Optional<Remembered> byIdempotencyKey(String client, String key);

    void rememberIdempotencyKey(String client, String key, String bodyHash, String requestId,
                                Instant at);

    /** What an idempotency key was first sent with. */
    record Remembered(String requestId, String bodyHash) {
    }
}

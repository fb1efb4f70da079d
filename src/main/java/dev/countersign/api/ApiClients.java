package dev.countersign.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored API clients and their key hashes ({@code api_clients}). */
public interface ApiClients {

    /** Stores a new client; false if the name is taken (revoked names stay taken). */
    boolean create(String name, String keyHash, Instant at);

    List<ApiClient> list();

    /** Revokes the client's key; false if there is no such client or it was revoked already. */
    boolean revoke(String name, Instant at);

    /** The client whose key hashes to {@code keyHash}, revoked or not. */
    Optional<ApiClient> byKeyHash(String keyHash);

    void used(String name, Instant at);
}

package dev.countersign.store;

import dev.countersign.api.ApiClient;
import dev.countersign.api.ApiClients;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code api_clients} table. */
public final class JdbcApiClients implements ApiClients {

    private static final String COLUMNS = "name, created_at, last_used_at, revoked_at";

    private final Database database;

    public JdbcApiClients(Database database) {
        this.database = database;
    }

    @Override
    public boolean create(String name, String keyHash, Instant at) {
        return database.write(connection -> database.sql(connection).update(
                "INSERT INTO api_clients (name, key_hash, created_at) VALUES (?, ?, ?) "
                        + "ON CONFLICT (name) DO NOTHING", name, keyHash, at) == 1);
    }

    @Override
    public List<ApiClient> list() {
        return database.read(connection -> database.sql(connection).list(
                "SELECT " + COLUMNS + " FROM api_clients ORDER BY name", JdbcApiClients::map));
    }

    @Override
    public boolean revoke(String name, Instant at) {
        return database.write(connection -> database.sql(connection).update(
                "UPDATE api_clients SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                at, name) == 1);
    }

    @Override
    public Optional<ApiClient> byKeyHash(String keyHash) {
        return database.read(connection -> database.sql(connection).one(
                "SELECT " + COLUMNS + " FROM api_clients WHERE key_hash = ?", JdbcApiClients::map,
                keyHash));
    }

    @Override
    public void used(String name, Instant at) {
        // Soon, not durably: a lost "last used" after a power cut misleads nobody.
        database.writeSoon(connection -> database.sql(connection).update(
                "UPDATE api_clients SET last_used_at = ? WHERE name = ?", at, name));
    }

    private static ApiClient map(ResultSet row) throws SQLException {
        return new ApiClient(row.getString("name"), Sql.instant(row, "created_at"),
                Sql.instant(row, "last_used_at"), Sql.instant(row, "revoked_at"));
    }
}

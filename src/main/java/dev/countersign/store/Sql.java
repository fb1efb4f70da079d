package dev.countersign.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers shared by the repositories: bind parameters (Instants as epoch millis),
 * run, map rows. Checked SQL errors become {@link StoreException}s.
 */
final class Sql {

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final Connection connection;

    Sql(Connection connection) {
        this.connection = connection;
    }

    int update(String sql, Object... parameters) {
        try (PreparedStatement statement = prepare(sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        }
    }

    /** Runs an INSERT and returns the new row's integer key. */
    long insert(String sql, Object... parameters) {
        try (PreparedStatement statement = prepare(sql, parameters)) {
            statement.executeUpdate();
            try (var statement2 = connection.createStatement();
                 ResultSet keys = statement2.executeQuery("SELECT last_insert_rowid()")) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        }
    }

    <T> List<T> list(String sql, RowMapper<T> mapper, Object... parameters) {
        try (PreparedStatement statement = prepare(sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        }
    }

    <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... parameters) {
        List<T> rows = list(sql, mapper, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    int count(String sql, Object... parameters) {
        return one(sql, row -> row.getInt(1), parameters).orElse(0);
    }

    private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value == null) {
                statement.setNull(i + 1, Types.NULL);
            } else if (value instanceof Instant instant) {
                statement.setLong(i + 1, instant.toEpochMilli());
            } else if (value instanceof Boolean flag) {
                statement.setInt(i + 1, flag ? 1 : 0);
            } else if (value instanceof Enum<?> constant) {
                statement.setString(i + 1, constant.name());
            } else {
                statement.setObject(i + 1, value);
            }
        }
        return statement;
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}

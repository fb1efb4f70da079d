package dev.countersign.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Small JDBC helpers shared by the repositories: bind parameters (Instants as epoch millis),
 * run, map rows. Checked SQL errors become {@link StoreException}s.
 *
 * <p>One per connection, and it keeps that connection's statements prepared: SQLite compiles a
 * statement on every prepare, which was a fifth of the single writer thread's time under load.
 * Not thread-safe, like the connection it wraps.
 */
final class Sql {

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Enough for every statement the repositories use; odd ones beyond it are closed. */
    private static final int CACHED = 256;

    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, PreparedStatement> prepared = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CACHED) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    Sql(Connection connection) {
        this(connection, Dialect.SQLITE);
    }

    Sql(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    Dialect dialect() {
        return dialect;
    }

    int update(String sql, Object... parameters) {
        try {
            return prepare(sql, parameters).executeUpdate();
        } catch (SQLException e) {
            forget(sql);
            throw new StoreException("database write failed: " + e.getMessage(), e);
        }
    }

    /** Runs an INSERT and returns the new row's integer key. */
    long insert(String sql, Object... parameters) {
        String returning = dialect.insertReturningId(sql);
        if (returning != null) {
            return one(returning, row -> row.getLong(1), parameters).orElseThrow();
        }
        update(sql, parameters);
        return one(dialect.lastInsertId(), row -> row.getLong(1)).orElseThrow();
    }

    <T> List<T> list(String sql, RowMapper<T> mapper, Object... parameters) {
        try (ResultSet rows = prepare(sql, parameters).executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        } catch (SQLException e) {
            forget(sql);
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
        PreparedStatement statement = prepared.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            prepared.put(sql, statement);
        } else {
            statement.clearParameters();
        }
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

    /** A statement that failed may be left in any state: prepare it afresh next time. */
    private void forget(String sql) {
        PreparedStatement statement = prepared.remove(sql);
        if (statement != null) {
            closeQuietly(statement);
        }
    }

    /** Closes the statements kept prepared (a pooled connection outlives this helper). */
    void close() {
        prepared.values().forEach(Sql::closeQuietly);
        prepared.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // closing a statement we no longer use; nothing to do
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}

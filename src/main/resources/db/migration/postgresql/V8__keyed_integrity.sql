-- PostgreSQL: the same change as ../V8__keyed_integrity.sql (SQLite).
-- From here on the action binding (requests.digest), the audit chain and outbox entries are
-- HMACs under the server's key (COUNTERSIGN_SECRET_KEY; PostgreSQL has no key file).
-- The rest of this migration needs the key, so it runs in Java right after this file
-- (KeyedMigrations): requests whose plain SHA-256 digest still matches are re-bound, pending
-- outbox entries are sealed, and an 'audit.rekeyed' row, keyed, closes the plain SHA-256 rows.
-- Each outbox entry's HMAC over its request id and payload (see JdbcOutbox).
ALTER TABLE outbox ADD COLUMN seal TEXT;

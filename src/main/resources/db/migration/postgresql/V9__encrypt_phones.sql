-- PostgreSQL: the same change as ../V9__encrypt_phones.sql (SQLite). Here the Java step is
-- followed by VACUUM FULL of enrollments and requests instead of a WAL checkpoint.
-- Enrolled phones (enrollments.phone) and numbers being verified (requests.pending_phone) are
-- kept encrypted (AES-GCM under a key derived from the server's key, bound to their row); the
-- last four digits stay in enrollments.phone_last4 for display. Encrypting needs the key, so it
-- runs in Java right after this file (KeyedMigrations), followed by a WAL checkpoint and a
-- VACUUM so no number is left in the database files. No schema change is needed.
SELECT 1;

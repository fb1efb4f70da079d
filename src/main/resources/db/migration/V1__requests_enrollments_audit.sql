-- Countersign schema, version 1. Times are epoch milliseconds (UTC).

-- One phone per person. phone is NULL after an admin reset (the row remembers that the person
-- had a phone, so the next enrollment counts as a change and the large-approval hold applies).
CREATE TABLE enrollments (
    team_id     TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    phone       TEXT,
    phone_last4 TEXT,
    enrolled_at INTEGER NOT NULL,
    changed_at  INTEGER,
    removed_at  INTEGER,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE requests (
    id                   TEXT    PRIMARY KEY,
    reference            TEXT    NOT NULL UNIQUE,
    team_id              TEXT    NOT NULL,
    user_id              TEXT    NOT NULL,
    kind                 TEXT    NOT NULL,
    action_json          TEXT    NOT NULL,
    digest               TEXT    NOT NULL,
    status               TEXT    NOT NULL CHECK (status IN ('AWAITING_CODE', 'AWAITING_SECOND_APPROVER',
                             'APPROVED', 'REJECTED', 'LOCKED', 'EXPIRED', 'CANCELLED', 'FAILED')),
    status_detail        TEXT,
    -- Only for enrollments, only while open: the number being verified.
    pending_phone        TEXT,
    channel_id           TEXT,
    response_url         TEXT,
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL,
    decided_at           INTEGER,
    decided_by           TEXT,
    approvals_channel    TEXT,
    approvals_message_ts TEXT
);
CREATE INDEX requests_by_requester ON requests (team_id, user_id, created_at);
CREATE INDEX requests_open_by_expiry ON requests (status, expires_at);

-- One row per code sent (or about to be sent). The code itself is never stored.
CREATE TABLE challenges (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id   TEXT    NOT NULL REFERENCES requests (id),
    team_id      TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    phone_last4  TEXT    NOT NULL,
    provider_id  TEXT,
    state        TEXT    NOT NULL CHECK (state IN ('PENDING', 'SENT', 'VERIFIED', 'DEAD', 'FAILED',
                     'ABANDONED')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    expires_at   INTEGER NOT NULL,
    -- The modal showing this code, and its latest hash (views.update refuses stale hashes).
    view_id      TEXT,
    view_hash    TEXT
);
CREATE INDEX challenges_by_request ON challenges (request_id, id);
CREATE INDEX challenges_by_verifier ON challenges (team_id, user_id, created_at);
CREATE INDEX challenges_by_team ON challenges (team_id, created_at);

-- Append-only, hash-chained audit trail (see AuditChain). Ids are contiguous on purpose.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    request_id TEXT,
    team_id    TEXT,
    actor      TEXT    NOT NULL,
    details    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);
CREATE INDEX audit_by_request ON audit_events (request_id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

-- Approved actions waiting to be POSTed to the webhook, written with the approval itself.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT    NOT NULL UNIQUE REFERENCES requests (id),
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    finished_at     INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

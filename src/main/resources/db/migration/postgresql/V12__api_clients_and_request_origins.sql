-- PostgreSQL: the same change as ../V12__api_clients_and_request_origins.sql (SQLite), times in
-- BIGINT, no WITHOUT ROWID.
-- Requests may now come from other systems (the REST API) and from Workflow Builder, not only
-- from a person typing /approve. Which one asked is kept with the request: the webhook names it,
-- and an API client sees only its own requests.
ALTER TABLE requests ADD COLUMN source TEXT NOT NULL DEFAULT 'SLACK'
    CHECK (source IN ('SLACK', 'API', 'WORKFLOW'));
ALTER TABLE requests ADD COLUMN client TEXT;
ALTER TABLE requests ADD COLUMN external_id TEXT;
-- Workflow Builder: the step's execution, completed exactly once (see workflow_completions).
ALTER TABLE requests ADD COLUMN function_execution_id TEXT;
CREATE INDEX requests_by_client ON requests (client, id) WHERE client IS NOT NULL;

-- One row per API key. Only a SHA-256 of the key is kept: the key itself is shown once.
CREATE TABLE api_clients (
    name         TEXT    PRIMARY KEY,
    key_hash     TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

-- Idempotency-Key headers: the same key again returns the request it made, if the body matches.
CREATE TABLE api_idempotency_keys (
    client     TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    body_hash  TEXT    NOT NULL,
    request_id TEXT    NOT NULL REFERENCES requests (id),
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (client, key)
);

-- The direct message that asks a person to review a request another system made (Slack state).
CREATE TABLE slack_review_messages (
    request_id TEXT PRIMARY KEY REFERENCES requests (id),
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL
);

-- Workflow Builder steps: the outcome each execution is to be completed with, written before
-- Slack is told and kept until Slack has it, so a restart resends it and nothing completes twice.
CREATE TABLE workflow_completions (
    function_execution_id TEXT    PRIMARY KEY,
    request_id            TEXT    REFERENCES requests (id),
    outputs               TEXT,
    error                 TEXT,
    state                 TEXT    NOT NULL CHECK (state IN ('PENDING', 'DONE')),
    attempts              INTEGER NOT NULL DEFAULT 0,
    created_at            BIGINT  NOT NULL,
    done_at               BIGINT
);
CREATE INDEX workflow_completions_pending ON workflow_completions (state) WHERE state = 'PENDING';
-- The start-up check for workflow requests that ended without an outcome reads only these.
CREATE INDEX requests_from_workflows ON requests (function_execution_id) WHERE source = 'WORKFLOW';

-- What people must still be told about a request's move (its modals, the result in the channel,
-- the requester, the approvals channel), written in the move's own transaction, so a crash
-- between the commit and the Slack calls is followed, after the restart, by each of them.
CREATE TABLE follow_ups (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT    NOT NULL REFERENCES requests (id),
    installation_id TEXT    NOT NULL,
    notice          TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('PENDING', 'DONE', 'ABANDONED')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    finished_at     INTEGER
);
-- Both read only pending rows, which are few however long the table grows.
CREATE INDEX follow_ups_due ON follow_ups (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX follow_ups_pending_by_request ON follow_ups (request_id, id) WHERE state = 'PENDING';

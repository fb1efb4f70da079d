-- Slack's own state moves out of the domain's tables: which modals show a request, and where its
-- approvals-channel message is. The domain never sees a view id, a view hash or a message ts.
-- View hashes are no longer stored at all: the Slack adapter keeps the latest in memory, and an
-- update after a restart goes without one.
CREATE TABLE slack_modals (
    view_id    TEXT    PRIMARY KEY,
    request_id TEXT    NOT NULL REFERENCES requests (id),
    team_id    TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    opened_at  BIGINT  NOT NULL
);
CREATE INDEX slack_modals_by_request ON slack_modals (request_id, opened_at);

-- Each view's latest challenge (SQLite picks it with MAX() beside bare columns).
INSERT INTO slack_modals (view_id, request_id, team_id, user_id, opened_at)
SELECT DISTINCT ON (view_id) view_id, request_id, team_id, user_id, created_at
FROM challenges WHERE view_id IS NOT NULL ORDER BY view_id, created_at DESC;

CREATE TABLE slack_messages (
    request_id TEXT PRIMARY KEY REFERENCES requests (id),
    channel    TEXT NOT NULL,
    ts         TEXT NOT NULL
);

INSERT INTO slack_messages (request_id, channel, ts)
SELECT id, approvals_channel, approvals_message_ts FROM requests
WHERE approvals_channel IS NOT NULL AND approvals_message_ts IS NOT NULL;

ALTER TABLE challenges DROP COLUMN view_id;
ALTER TABLE challenges DROP COLUMN view_hash;
ALTER TABLE requests DROP COLUMN approvals_channel;
ALTER TABLE requests DROP COLUMN approvals_message_ts;

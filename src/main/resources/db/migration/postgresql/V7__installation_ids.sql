-- PostgreSQL: the same change as ../V7__installation_ids.sql (SQLite), statement for statement.
-- Every row names the installation it belongs to, and a person is (installation_id, user_id).
-- The installation id is the enterprise id for an org-wide install, else the team id of the
-- workspace Countersign is installed in (see people/Installation). Keyed by the team id a request
-- carried, one Enterprise Grid user had a person per workspace: their own second approver, or a
-- fresh phone without the change checks. Either id names one installation, so one database can
-- later hold several.
--
-- Existing rows only know their team: their installation id is that team id. A workspace install
-- finds all of them again. Rows an org-wide install wrote under other teams keep those teams and
-- no longer match anyone; such a person enrolls again (an operator can reset them first).
ALTER TABLE enrollments RENAME COLUMN team_id TO installation_id;
ALTER TABLE requests RENAME COLUMN team_id TO installation_id;
ALTER TABLE challenges RENAME COLUMN team_id TO installation_id;
ALTER TABLE audit_events RENAME COLUMN team_id TO installation_id;
ALTER TABLE slack_modals RENAME COLUMN team_id TO installation_id;
ALTER TABLE team_code_counts RENAME COLUMN team_id TO installation_id;
ALTER TABLE failed_codes RENAME COLUMN team_id TO installation_id;

-- The webhook outbox and the approvals-channel messages had only their request's id.
ALTER TABLE outbox ADD COLUMN installation_id TEXT NOT NULL DEFAULT '';
UPDATE outbox SET installation_id = (SELECT installation_id FROM requests
                                     WHERE requests.id = outbox.request_id);
ALTER TABLE slack_messages ADD COLUMN installation_id TEXT NOT NULL DEFAULT '';
UPDATE slack_messages SET installation_id = (SELECT installation_id FROM requests
                                             WHERE requests.id = slack_messages.request_id);

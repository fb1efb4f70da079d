-- Wrong codes a person typed, one row each, so the daily cap counts across requests and
-- resends (each of which brings fresh attempts) and across restarts. An admin reset deletes a
-- person's rows.
CREATE TABLE failed_codes (
    team_id TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    at      BIGINT  NOT NULL
);
CREATE INDEX failed_codes_by_person ON failed_codes (team_id, user_id, at);

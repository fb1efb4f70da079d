-- A workspace's codes per minute, kept with every challenge written, so the daily send limit
-- sums at most 1,440 rows instead of counting every code of the day: that count ran on the
-- single writer for each new request and grew with the day's volume (the benchmark's largest
-- cost). Abandoned codes (never sent) are taken back out, as the limit has always left them out.
-- (SQLite stores this table WITHOUT ROWID; PostgreSQL has no such choice to make.)
CREATE TABLE team_code_counts (
    team_id TEXT    NOT NULL,
    minute  BIGINT  NOT NULL, -- epoch milliseconds / 60000
    codes   INTEGER NOT NULL,
    PRIMARY KEY (team_id, minute)
);

INSERT INTO team_code_counts (team_id, minute, codes)
SELECT team_id, created_at / 60000, COUNT(*) FROM challenges
WHERE state <> 'ABANDONED' GROUP BY team_id, created_at / 60000;

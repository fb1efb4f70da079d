-- The send limits count a person's codes in the last hour and a workspace's in the last day,
-- leaving out abandoned ones. With the state outside the index, every counted challenge meant a
-- read of its table row; a busy workspace's day grew that into the writer's largest cost. With
-- the state in the index, both counts read the index alone.
DROP INDEX challenges_by_verifier;
CREATE INDEX challenges_by_verifier ON challenges (team_id, user_id, created_at, state);
DROP INDEX challenges_by_team;
CREATE INDEX challenges_by_team ON challenges (team_id, created_at, state);

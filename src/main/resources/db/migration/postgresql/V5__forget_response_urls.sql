-- A response_url lets whoever holds it post into the channel where the request was made, for
-- 30 minutes. Past that Slack refuses it, and Countersign forgets it; this index finds the ones
-- still held without reading every request.
CREATE INDEX requests_holding_response_url ON requests (created_at) WHERE response_url IS NOT NULL;
UPDATE requests SET response_url = NULL
WHERE response_url IS NOT NULL
  AND created_at < (CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) - 1800) * 1000;

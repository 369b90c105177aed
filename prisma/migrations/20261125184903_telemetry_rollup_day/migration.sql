-- Per-day rollups, summed from the hour rows by the rollup job (server/analytics/rollup.ts): ranges
-- longer than 7 days read one row per (organization, day, route, agent, key, status class) instead
-- of 24. Days are UTC days.

CREATE TABLE telemetry.rollup_day (LIKE telemetry.rollup_hour INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE telemetry.rollup_day ADD PRIMARY KEY (org_id, bucket, route_id, agent_id, api_key_id, status_class);

CREATE TABLE telemetry.quality_day (LIKE telemetry.quality_hour INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE telemetry.quality_day ADD PRIMARY KEY (org_id, bucket, route_id, agent_id);

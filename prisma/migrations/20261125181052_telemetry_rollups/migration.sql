-- Analytics reads rollups, never raw rows: per-minute and per-hour aggregates of the gateway's request
-- rows per (organization, route, agent, key, status class), with latency and time-to-first-token
-- histograms that merge (server/analytics/histogram.ts: 80 log-scale buckets, 4 per doubling).
-- All in the telemetry schema, outside Prisma's view like the raw table.

-- When a row reached Postgres: the rollup job recomputes every minute that received rows since it
-- last ran, so rows that arrive late (a gateway replaying its spool after an outage) are counted too.
ALTER TABLE telemetry.gateway_events ADD COLUMN ingested_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX gateway_events_ingested_brin ON telemetry.gateway_events USING brin (ingested_at);

CREATE TABLE telemetry.rollup_minute (
  bucket          timestamptz NOT NULL,
  org_id          text NOT NULL,
  route_id        text NOT NULL DEFAULT '',
  agent_id        text NOT NULL DEFAULT '',
  api_key_id      text NOT NULL DEFAULT '',
  -- HTTP class of the answer to the client: 2, 4 or 5.
  status_class    smallint NOT NULL,
  requests        integer NOT NULL,
  -- Requests that failed on the agents' side (5xx answers).
  errors          integer NOT NULL,
  -- {"timeout": 3, "http_5xx": 1, "client_error": 2, …}
  errors_by_class jsonb NOT NULL DEFAULT '{}',
  streams         integer NOT NULL DEFAULT 0,
  retries         integer NOT NULL DEFAULT 0,
  failovers       integer NOT NULL DEFAULT 0,
  tokens_in       bigint NOT NULL DEFAULT 0,
  tokens_out      bigint NOT NULL DEFAULT 0,
  cost_usd        double precision NOT NULL DEFAULT 0,
  latency_sum_ms  bigint NOT NULL DEFAULT 0,
  latency_hist    integer[] NOT NULL,
  ttft_count      integer NOT NULL DEFAULT 0,
  ttft_sum_ms     bigint NOT NULL DEFAULT 0,
  ttft_hist       integer[] NOT NULL,
  PRIMARY KEY (org_id, bucket, route_id, agent_id, api_key_id, status_class)
);
CREATE INDEX rollup_minute_bucket_idx ON telemetry.rollup_minute (bucket);

CREATE TABLE telemetry.rollup_hour (LIKE telemetry.rollup_minute INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE telemetry.rollup_hour ADD PRIMARY KEY (org_id, bucket, route_id, agent_id, api_key_id, status_class);
CREATE INDEX rollup_hour_bucket_idx ON telemetry.rollup_hour (bucket);

-- Quality: feedback on answers (POST /v1/feedback on the gateway), rolled up per minute and hour
-- per (organization, route, agent).
CREATE TABLE telemetry.feedback (
  id          text PRIMARY KEY,
  org_id      text NOT NULL,
  request_id  text NOT NULL,
  trace_id    text NOT NULL,
  route_id    text,
  agent_id    text,
  api_key_id  text,
  -- 0 (bad) .. 1 (good)
  score       double precision NOT NULL CHECK (score >= 0 AND score <= 1),
  label       text,
  at          timestamptz NOT NULL DEFAULT now(),
  subject     text
);
CREATE INDEX feedback_org_at_idx ON telemetry.feedback (org_id, at);
CREATE INDEX feedback_request_idx ON telemetry.feedback (request_id);

CREATE TABLE telemetry.quality_minute (
  bucket         timestamptz NOT NULL,
  org_id         text NOT NULL,
  route_id       text NOT NULL DEFAULT '',
  agent_id       text NOT NULL DEFAULT '',
  feedback_count integer NOT NULL,
  score_sum      double precision NOT NULL,
  PRIMARY KEY (org_id, bucket, route_id, agent_id)
);
CREATE TABLE telemetry.quality_hour (LIKE telemetry.quality_minute INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE telemetry.quality_hour ADD PRIMARY KEY (org_id, bucket, route_id, agent_id);

-- Where each rollup job got to (ingested_at of the newest raw row it has seen).
CREATE TABLE telemetry.rollup_state (
  name      text PRIMARY KEY,
  watermark timestamptz NOT NULL
);

-- Raw-event retention per organization (days); organizations without a row keep 30 days.
CREATE TABLE telemetry.retention (
  org_id   text PRIMARY KEY,
  raw_days integer NOT NULL CHECK (raw_days BETWEEN 1 AND 3650)
);

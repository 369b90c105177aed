-- Gateway telemetry: one row per request and per attempt, written in batches by the gateway
-- (server/gateway/telemetry). Tens of millions of rows, so the table is partitioned by day on "at"
-- and lives in its own schema: Prisma manages `public` only, so its schema diff never sees it.
--
-- Idempotency: the gateway replays rows it spooled to disk while Postgres was away, and a replay may
-- repeat rows that were already committed. Every row has a UUID id and is inserted with
-- ON CONFLICT DO NOTHING. The primary key of a partitioned table must contain the partition key,
-- hence (id, at); a record's "at" never changes, so a replayed row hits the same key.
--
-- Days are UTC days. The DEFAULT partition is the safety net for rows of a day that has no
-- partition yet (or ever: rows far in the past or future stay there). Retention is cheap by
-- design: dropping a day is DROP TABLE of its partition (nothing here does it yet).

CREATE SCHEMA IF NOT EXISTS telemetry;

CREATE TABLE telemetry.gateway_events (
  id          text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('request', 'attempt')),
  request_id  text NOT NULL,
  at          timestamptz NOT NULL,
  org_id      text NOT NULL,
  api_key_id  text,
  route_id    text,
  agent_id    text,
  protocol    text NOT NULL,
  model       text,
  stream      boolean NOT NULL,
  status      integer NOT NULL,
  error_class text,
  latency_ms  integer NOT NULL,
  ttft_ms     integer,
  tokens_in   integer NOT NULL,
  tokens_out  integer NOT NULL,
  cost_usd    double precision,
  attempt     integer NOT NULL,
  retry       boolean NOT NULL,
  failover    boolean NOT NULL,
  trace_id    text NOT NULL,
  subject     text,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);

-- What analytics asks: an organization over a time range, one route of it, one request's attempts.
CREATE INDEX gateway_events_org_at_idx ON telemetry.gateway_events (org_id, at);
CREATE INDEX gateway_events_org_route_at_idx ON telemetry.gateway_events (org_id, route_id, at);
CREATE INDEX gateway_events_request_idx ON telemetry.gateway_events (request_id);

CREATE TABLE telemetry.gateway_events_default PARTITION OF telemetry.gateway_events DEFAULT;

-- Creates the missing daily partitions telemetry.gateway_events_pYYYYMMDD for
-- [from_day, from_day + days) and returns how many it created. Idempotent, and safe to call from
-- several gateways at once (they take turns on an advisory lock).
--
-- Postgres refuses to create a partition while the DEFAULT partition holds rows of its range. This
-- happens when rows arrived before their day was ensured (a gateway whose clock ran ahead, a replay
-- of an old spool file). Rather than fail, the rows are moved: the day's table is created detached,
-- the day's rows are moved into it from the default partition, and then it is attached. The default
-- partition is locked for the move so no row of that day can slip in between; it is normally empty,
-- so the lock is brief. The gateway also ensures a week ahead, so this path is the exception.
CREATE FUNCTION telemetry.ensure_partitions(from_day date, days integer)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  day date;
  part text;
  lo timestamptz;
  hi timestamptz;
  created integer := 0;
BEGIN
  IF from_day IS NULL OR days IS NULL OR days < 1 THEN
    RETURN 0;
  END IF;
  IF days > 366 THEN
    RAISE EXCEPTION 'telemetry.ensure_partitions: % days is more than a year at once', days;
  END IF;
  -- Two-key form: its own key space, apart from single-key advisory locks other code may take.
  PERFORM pg_advisory_xact_lock(hashtext('telemetry'), hashtext('ensure_partitions'));
  FOR i IN 0 .. days - 1 LOOP
    day := from_day + i;
    part := 'gateway_events_p' || to_char(day, 'YYYYMMDD');
    CONTINUE WHEN to_regclass(format('telemetry.%I', part)) IS NOT NULL;
    lo := day::timestamp AT TIME ZONE 'UTC';
    hi := (day + 1)::timestamp AT TIME ZONE 'UTC';
    LOCK TABLE telemetry.gateway_events_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format(
      'CREATE TABLE telemetry.%I (LIKE telemetry.gateway_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
      part
    );
    EXECUTE format(
      'WITH moved AS (DELETE FROM telemetry.gateway_events_default WHERE at >= $1 AND at < $2 RETURNING *) '
      'INSERT INTO telemetry.%I SELECT * FROM moved',
      part
    ) USING lo, hi;
    EXECUTE format(
      'ALTER TABLE telemetry.gateway_events ATTACH PARTITION telemetry.%I FOR VALUES FROM (%L) TO (%L)',
      part, lo, hi
    );
    created := created + 1;
  END LOOP;
  RETURN created;
END;
$$;

-- A few days back (late rows) and a week ahead; the gateway keeps ensuring ahead as days pass.
SELECT telemetry.ensure_partitions(((now() AT TIME ZONE 'UTC')::date) - 3, 11);

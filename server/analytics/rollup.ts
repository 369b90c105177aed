/**
 * Rollups: the per-minute, per-hour and per-day (UTC) aggregates of telemetry.gateway_events (and
 * of telemetry.feedback) that analytics reads instead of raw rows. Migrations *_telemetry_rollups
 * and *_telemetry_rollup_day.
 *
 * Incremental and idempotent. A run reads its watermark (telemetry.rollup_state), finds the
 * (organization, minute) pairs that received request rows since then (by `ingested_at`, a BRIN
 * scan), and RECOMPUTES those minutes from raw rows entirely — delete the minute's rollup rows,
 * insert them again from a GROUP BY — then recomputes the hours those minutes belong to from the
 * minute rows, the days those hours belong to from the hour rows, and moves the watermark, all in
 * one transaction. So a rerun, a replayed spool or a row that arrives an hour late is counted
 * exactly once.
 *
 * Visibility: `ingested_at` defaults to now(), the start of the inserting transaction, which may
 * commit after a later-starting one. The watermark therefore never passes `now − lagSeconds` (5 s):
 * a row is missed only if its INSERT transaction ran longer than that, and the gateway writes each
 * batch in one short autocommitted statement.
 *
 * Horizon: a minute older than its organization's raw retention (less two hours, as retention runs
 * hourly) is not recomputed: its raw rows may already be gone, and recomputing would shrink the
 * rollup. Rows replayed that late stay out of the rollups.
 *
 * Quality (feedback) works the same way on `telemetry.feedback.at`, with its own watermark. A
 * minute's quality row counts the feedback with `at` up to the watermark; recordFeedback
 * (./feedback) inserts after the watermark and subtracts what it replaces, under a share lock on the
 * watermark row that every quality run takes exclusively.
 */
import type pg from "pg";
import type { Db, Tx } from "@/server/db";
import { HIST_BUCKETS, histBucketSql } from "./histogram";

// ---------------------------------------------------------------------------------------------
// Raw SQL over either a Prisma client (or transaction client) or node-postgres.

/** Prisma (client or transaction client), a pg.Pool, or a pg client. */
export type SqlDb = Db | Tx | pg.Pool | pg.ClientBase;

export interface Sql {
  rows<T>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string, params?: unknown[]): Promise<number>;
}

function isPrisma(db: SqlDb): db is Db | Tx {
  return "$queryRawUnsafe" in db;
}

function prismaSql(db: Db | Tx): Sql {
  return {
    rows: <T>(text: string, params: unknown[] = []) => db.$queryRawUnsafe<T[]>(text, ...params),
    exec: (text: string, params: unknown[] = []) => db.$executeRawUnsafe(text, ...params),
  };
}

function pgSql(db: Pick<pg.ClientBase, "query">): Sql {
  return {
    rows: async <T>(text: string, params: unknown[] = []) => (await db.query(text, params)).rows as T[],
    exec: async (text: string, params: unknown[] = []) => (await db.query(text, params)).rowCount ?? 0,
  };
}

/** Statements outside a transaction (each autocommits). */
export function sqlOf(db: SqlDb): Sql {
  return isPrisma(db) ? prismaSql(db) : pgSql(db);
}

/**
 * Runs `fn` in one transaction. Given a Prisma transaction client, `fn` joins the caller's
 * transaction (Prisma runs a nested $transaction in the outer one).
 */
export async function inTransaction<T>(db: SqlDb, fn: (sql: Sql) => Promise<T>, timeoutMs = 10 * 60_000): Promise<T> {
  if (isPrisma(db)) {
    return (db as Db).$transaction((tx) => fn(prismaSql(tx)), { timeout: timeoutMs, maxWait: 60_000 });
  }
  const pool = "totalCount" in db ? (db as pg.Pool) : null;
  const client = pool ? await pool.connect() : (db as pg.ClientBase);
  try {
    await client.query("BEGIN");
    try {
      const result = await fn(pgSql(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    if (pool) (client as pg.PoolClient).release();
  }
}

// ---------------------------------------------------------------------------------------------

export const ROLLUP_STATE = { requests: "minute", quality: "quality" } as const;

export interface RollupOptions {
  db: SqlDb;
  /** The clock (tests); default the database's now(). */
  now?: Date;
  /** The watermark stays this far behind now (seconds); default 5. */
  lagSeconds?: number;
  /**
   * Raw rows per transaction; default 500 000. Rows ingested at the same instant go together even
   * past it. A run loops chunk by chunk until it has caught up (or maxChunks).
   */
  maxRowsPerChunk?: number;
  /** Chunks per run at most, so a run ends while rows keep flooding in; default 100. */
  maxChunks?: number;
}

export interface RollupPass {
  /** Chunks (transactions) run. */
  chunks: number;
  /** Raw rows (request rows, or feedback) past the old watermark. */
  rows: number;
  /** (organization, minute) pairs recomputed. */
  minutes: number;
  /** (organization, hour) pairs recomputed. */
  hours: number;
  /** (organization, day) pairs recomputed (UTC days). */
  days: number;
  /** False when maxChunks stopped the run before it caught up. */
  caughtUp: boolean;
}

export interface RollupResult {
  requests: RollupPass;
  quality: RollupPass;
}

/** Where an organization's minutes stop being recomputed from raw rows (see "Horizon" above). */
const HORIZON_SQL = `(SELECT coalesce($3::timestamptz, now()) - coalesce(r.raw_days, 30) * interval '1 day' + interval '2 hours'
   FROM (SELECT 1) one LEFT JOIN telemetry.retention r ON r.org_id = a.org_id)`;

const STATUS_CLASS_SQL = `CASE WHEN e.status / 100 BETWEEN 1 AND 5 THEN e.status / 100 ELSE 5 END`;

/** Counts of each bucket index 0..79 in an aggregated int[] of bucket indexes (an outer aggregate). */
const histFromBuckets = (bucketsAgg: string) =>
  `(SELECT array_agg(coalesce(x.n, 0)::int ORDER BY s.i) FROM generate_series(0, ${HIST_BUCKETS - 1}) AS s(i)
     LEFT JOIN (SELECT b, count(*) AS n FROM unnest(${bucketsAgg}) AS b GROUP BY b) x ON x.b = s.i)`;

/** Element-wise sum of aggregated int[80] histograms: array_agg makes them one 2-D array, unnest walks it row-major. */
const histSum = (column: string) =>
  `(SELECT array_agg(x.s::int ORDER BY x.b) FROM (
      SELECT (u.k - 1) % ${HIST_BUCKETS} AS b, sum(u.v) AS s FROM unnest(array_agg(${column})) WITH ORDINALITY AS u(v, k) GROUP BY 1) x)`;

const MINUTE_COLUMNS = `bucket, org_id, route_id, agent_id, api_key_id, status_class, requests, errors, errors_by_class, streams,
  retries, failovers, tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_hist, ttft_count, ttft_sum_ms, ttft_hist`;

const INSERT_MINUTES_SQL = `
INSERT INTO telemetry.rollup_minute (${MINUTE_COLUMNS})
SELECT g.bucket, g.org_id, g.route_id, g.agent_id, g.api_key_id, g.status_class,
  count(*)::int,
  count(*) FILTER (WHERE g.status_class = 5)::int,
  (SELECT coalesce(jsonb_object_agg(x.c, x.n), '{}'::jsonb)
     FROM (SELECT c, count(*) AS n FROM unnest(array_agg(g.error_class) FILTER (WHERE g.error_class IS NOT NULL)) AS c GROUP BY c) x),
  count(*) FILTER (WHERE g.stream)::int,
  -- requests that needed more than one attempt
  count(*) FILTER (WHERE g.retry)::int,
  count(*) FILTER (WHERE g.failover)::int,
  coalesce(sum(g.tokens_in), 0)::bigint,
  coalesce(sum(g.tokens_out), 0)::bigint,
  coalesce(sum(g.cost_usd), 0)::float8,
  coalesce(sum(g.latency_ms), 0)::bigint,
  ${histFromBuckets("array_agg(g.lb)")},
  count(g.ttft_ms)::int,
  coalesce(sum(g.ttft_ms), 0)::bigint,
  ${histFromBuckets("array_agg(g.tb) FILTER (WHERE g.tb IS NOT NULL)")}
FROM (
  SELECT a.bucket, e.org_id, coalesce(e.route_id, '') AS route_id, coalesce(e.agent_id, '') AS agent_id,
    coalesce(e.api_key_id, '') AS api_key_id, ${STATUS_CLASS_SQL} AS status_class, e.error_class, e.stream, e.retry,
    e.failover, e.tokens_in, e.tokens_out, e.cost_usd, e.latency_ms, e.ttft_ms,
    ${histBucketSql("e.latency_ms")} AS lb,
    CASE WHEN e.ttft_ms IS NOT NULL THEN ${histBucketSql("e.ttft_ms")} END AS tb
  FROM telemetry.gateway_events e
  -- An equi-join on (organization, minute), and the chunk's time bounds as parameters so only the
  -- partitions of those days are read: the cost grows with the rows rolled up, not with their product.
  JOIN rollup_minutes a ON a.org_id = e.org_id AND a.bucket = date_trunc('minute', e.at, 'UTC')
  WHERE e.kind = 'request' AND e.at >= $1::timestamptz AND e.at < $2::timestamptz + interval '1 minute'
) g
GROUP BY g.bucket, g.org_id, g.route_id, g.agent_id, g.api_key_id, g.status_class`;

/**
 * Recomputes rows of a coarser table (hour from minute rows, day from hour rows) for the
 * (organization, bucket) pairs in the temp table `touched`. The same equi-join and parameter bounds
 * as the minute step, so only the finer rows of those buckets are read.
 */
const insertCoarserSql = (unit: "hour" | "day", finer: "minute" | "hour", touched: string) => `
INSERT INTO telemetry.rollup_${unit} (${MINUTE_COLUMNS})
SELECT a.bucket, m.org_id, m.route_id, m.agent_id, m.api_key_id, m.status_class,
  sum(m.requests)::int,
  sum(m.errors)::int,
  (SELECT coalesce(jsonb_object_agg(x.k, x.n), '{}'::jsonb) FROM (
     SELECT t.k, sum(t.v::bigint) AS n FROM unnest(array_agg(m.errors_by_class)) AS d(doc), jsonb_each_text(d.doc) AS t(k, v) GROUP BY t.k) x),
  sum(m.streams)::int,
  sum(m.retries)::int,
  sum(m.failovers)::int,
  sum(m.tokens_in)::bigint,
  sum(m.tokens_out)::bigint,
  sum(m.cost_usd)::float8,
  sum(m.latency_sum_ms)::bigint,
  ${histSum("m.latency_hist")},
  sum(m.ttft_count)::int,
  sum(m.ttft_sum_ms)::bigint,
  ${histSum("m.ttft_hist")}
FROM telemetry.rollup_${finer} m
JOIN ${touched} a ON a.org_id = m.org_id AND a.bucket = date_trunc('${unit}', m.bucket, 'UTC')
WHERE m.bucket >= $1::timestamptz AND m.bucket < $2::timestamptz + interval '1 ${unit}'
GROUP BY a.bucket, m.org_id, m.route_id, m.agent_id, m.api_key_id, m.status_class`;

/** Deletes and recomputes the `unit` buckets containing the buckets in `finerTouched`; returns their count. */
async function recomputeCoarser(sql: Sql, unit: "hour" | "day", finer: "minute" | "hour", finerTouched: string): Promise<number> {
  const touched = `rollup_${unit}s`;
  const n = await sql.exec(
    `CREATE TEMP TABLE ${touched} ON COMMIT DROP AS SELECT DISTINCT org_id, date_trunc('${unit}', bucket, 'UTC') AS bucket FROM ${finerTouched}`,
  );
  await sql.exec(`DELETE FROM telemetry.rollup_${unit} r USING ${touched} a WHERE r.org_id = a.org_id AND r.bucket = a.bucket`);
  const [span] = await sql.rows<{ lo: string; hi: string }>(`SELECT min(bucket)::text AS lo, max(bucket)::text AS hi FROM ${touched}`);
  if (span?.lo) await sql.exec(insertCoarserSql(unit, finer, touched), [span.lo, span.hi]);
  return n;
}

type ChunkResult = Bounds & { minutes: number; hours: number; days: number };

interface Bounds {
  lo: string;
  hi: string;
  capped: boolean;
  rows: number;
}

/**
 * Locks the state row (a second runner waits, then continues from the new watermark) and picks
 * this chunk's upper bound: now − lag, or the ingest time of the chunk's last row when more rows
 * than the cap are pending.
 */
async function chunkBounds(sql: Sql, name: string, table: string, column: string, extraWhere: string, opts: RollupOptions): Promise<Bounds> {
  await sql.exec(`INSERT INTO telemetry.rollup_state (name, watermark) VALUES ($1, '-infinity') ON CONFLICT (name) DO NOTHING`, [name]);
  const [state] = await sql.rows<{ lo: string; hi: string }>(
    `SELECT watermark::text AS lo, (coalesce($2::timestamptz, now()) - $3::float8 * interval '1 second')::text AS hi
       FROM telemetry.rollup_state WHERE name = $1 FOR UPDATE`,
    [name, opts.now?.toISOString() ?? null, opts.lagSeconds ?? 5],
  );
  const { lo, hi } = state!;
  const cap = opts.maxRowsPerChunk ?? 500_000;
  const [last] = await sql.rows<{ last: string }>(
    `SELECT ${column}::text AS last FROM ${table}
      WHERE ${column} > $1::timestamptz AND ${column} <= $2::timestamptz ${extraWhere}
      ORDER BY ${column} OFFSET ($3::int - 1) LIMIT 1`,
    [lo, hi, cap],
  );
  const upper = last?.last ?? hi;
  const [count] = await sql.rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE ${column} > $1::timestamptz AND ${column} <= $2::timestamptz ${extraWhere}`,
    [lo, upper],
  );
  return { lo, hi: upper, capped: last !== undefined, rows: count?.n ?? 0 };
}

async function setWatermark(sql: Sql, name: string, hi: string) {
  await sql.exec(`UPDATE telemetry.rollup_state SET watermark = greatest(watermark, $2::timestamptz) WHERE name = $1`, [name, hi]);
}

/** One transaction of the request rollup. */
async function requestChunk(sql: Sql, opts: RollupOptions): Promise<ChunkResult> {
  const b = await chunkBounds(sql, ROLLUP_STATE.requests, "telemetry.gateway_events", "ingested_at", "AND kind = 'request'", opts);
  if (b.rows === 0) {
    await setWatermark(sql, ROLLUP_STATE.requests, b.hi);
    return { ...b, minutes: 0, hours: 0, days: 0 };
  }
  await sql.exec(`CREATE TEMP TABLE rollup_minutes (org_id text, bucket timestamptz) ON COMMIT DROP`);
  const minutes = await sql.exec(
    `INSERT INTO rollup_minutes
     SELECT a.org_id, a.bucket FROM (
       SELECT DISTINCT org_id, date_trunc('minute', at, 'UTC') AS bucket FROM telemetry.gateway_events
        WHERE ingested_at > $1::timestamptz AND ingested_at <= $2::timestamptz AND kind = 'request') a
     WHERE a.bucket >= ${HORIZON_SQL}`,
    [b.lo, b.hi, opts.now?.toISOString() ?? null],
  );
  await sql.exec(`ANALYZE rollup_minutes`);
  await sql.exec(`DELETE FROM telemetry.rollup_minute r USING rollup_minutes a WHERE r.org_id = a.org_id AND r.bucket = a.bucket`);
  const [span] = await sql.rows<{ lo: string; hi: string }>(`SELECT min(bucket)::text AS lo, max(bucket)::text AS hi FROM rollup_minutes`);
  if (span?.lo) await sql.exec(INSERT_MINUTES_SQL, [span.lo, span.hi]);
  const hours = await recomputeCoarser(sql, "hour", "minute", "rollup_minutes");
  const days = await recomputeCoarser(sql, "day", "hour", "rollup_hours");
  await setWatermark(sql, ROLLUP_STATE.requests, b.hi);
  return { ...b, minutes, hours, days };
}

/** One transaction of the quality rollup: only feedback up to the chunk's bound counts (see ./feedback). */
async function qualityChunk(sql: Sql, opts: RollupOptions): Promise<ChunkResult> {
  const b = await chunkBounds(sql, ROLLUP_STATE.quality, "telemetry.feedback", "at", "", opts);
  if (b.rows === 0) {
    await setWatermark(sql, ROLLUP_STATE.quality, b.hi);
    return { ...b, minutes: 0, hours: 0, days: 0 };
  }
  await sql.exec(`CREATE TEMP TABLE quality_minutes (org_id text, bucket timestamptz) ON COMMIT DROP`);
  const minutes = await sql.exec(
    `INSERT INTO quality_minutes
     SELECT DISTINCT org_id, date_trunc('minute', at, 'UTC') AS bucket FROM telemetry.feedback
      WHERE at > $1::timestamptz AND at <= $2::timestamptz`,
    [b.lo, b.hi],
  );
  await sql.exec(`DELETE FROM telemetry.quality_minute q USING quality_minutes a WHERE q.org_id = a.org_id AND q.bucket = a.bucket`);
  await sql.exec(
    `INSERT INTO telemetry.quality_minute (bucket, org_id, route_id, agent_id, feedback_count, score_sum)
     SELECT a.bucket, f.org_id, coalesce(f.route_id, ''), coalesce(f.agent_id, ''), count(*)::int, sum(f.score)::float8
       FROM quality_minutes a
       JOIN telemetry.feedback f ON f.org_id = a.org_id AND f.at >= a.bucket AND f.at < a.bucket + interval '1 minute'
      WHERE f.at <= $1::timestamptz
      GROUP BY a.bucket, f.org_id, coalesce(f.route_id, ''), coalesce(f.agent_id, '')`,
    [b.hi],
  );
  const hours = await sql.exec(
    `CREATE TEMP TABLE quality_hours ON COMMIT DROP AS SELECT DISTINCT org_id, date_trunc('hour', bucket, 'UTC') AS bucket FROM quality_minutes`,
  );
  await sql.exec(`DELETE FROM telemetry.quality_hour q USING quality_hours a WHERE q.org_id = a.org_id AND q.bucket = a.bucket`);
  await sql.exec(
    `INSERT INTO telemetry.quality_hour (bucket, org_id, route_id, agent_id, feedback_count, score_sum)
     SELECT a.bucket, q.org_id, q.route_id, q.agent_id, sum(q.feedback_count)::int, sum(q.score_sum)::float8
       FROM quality_hours a
       JOIN telemetry.quality_minute q ON q.org_id = a.org_id AND q.bucket >= a.bucket AND q.bucket < a.bucket + interval '1 hour'
      GROUP BY a.bucket, q.org_id, q.route_id, q.agent_id`,
  );
  const days = await sql.exec(
    `CREATE TEMP TABLE quality_days ON COMMIT DROP AS SELECT DISTINCT org_id, date_trunc('day', bucket, 'UTC') AS bucket FROM quality_hours`,
  );
  await sql.exec(`DELETE FROM telemetry.quality_day q USING quality_days a WHERE q.org_id = a.org_id AND q.bucket = a.bucket`);
  await sql.exec(
    `INSERT INTO telemetry.quality_day (bucket, org_id, route_id, agent_id, feedback_count, score_sum)
     SELECT a.bucket, q.org_id, q.route_id, q.agent_id, sum(q.feedback_count)::int, sum(q.score_sum)::float8
       FROM quality_days a
       JOIN telemetry.quality_hour q ON q.org_id = a.org_id AND q.bucket >= a.bucket AND q.bucket < a.bucket + interval '1 day'
      GROUP BY a.bucket, q.org_id, q.route_id, q.agent_id`,
  );
  await setWatermark(sql, ROLLUP_STATE.quality, b.hi);
  return { ...b, minutes, hours, days };
}

async function runPass(opts: RollupOptions, chunk: (sql: Sql, opts: RollupOptions) => Promise<ChunkResult>): Promise<RollupPass> {
  const pass: RollupPass = { chunks: 0, rows: 0, minutes: 0, hours: 0, days: 0, caughtUp: false };
  const maxChunks = opts.maxChunks ?? 100;
  while (pass.chunks < maxChunks) {
    const r = await inTransaction(opts.db, (sql) => chunk(sql, opts));
    pass.chunks++;
    pass.rows += r.rows;
    pass.minutes += r.minutes;
    pass.hours += r.hours;
    pass.days += r.days;
    if (!r.capped) {
      pass.caughtUp = true;
      break;
    }
  }
  return pass;
}

/**
 * Brings telemetry.rollup_minute/hour/day and quality_minute/hour/day up to date. Safe to run
 * at any time, from any number of workers (they take turns on the watermark row).
 */
export async function runRollup(opts: RollupOptions): Promise<RollupResult> {
  const requests = await runPass(opts, requestChunk);
  const quality = await runPass(opts, qualityChunk);
  return { requests, quality };
}

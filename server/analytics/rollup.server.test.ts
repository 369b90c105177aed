import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/server/db";
import { rand } from "@/server/test/fixtures";
import { insertEvents } from "@/server/gateway/telemetry/sql";
import { sampleRecord } from "@/server/gateway/telemetry/testing";
import type { TelemetryRecord } from "@/server/gateway/types";
import { HIST_BUCKETS, HIST_RELATIVE_ERROR, mergeInto, emptyHistogram, quantile } from "./histogram";
import { runRollup } from "./rollup";

// Real rows in telemetry.gateway_events, the real rollup, and the rollups checked against SQL over
// the raw rows. Every test uses its own organization id; the watermark is shared, so a run may also
// roll other tests' rows, which is fine.

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  await pool?.end();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A deterministic generator, so a failure can be reproduced. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ERROR_BY_STATUS: Record<number, TelemetryRecord["errorClass"]> = {
  200: null,
  400: "client_error",
  499: "aborted",
  502: "http_5xx",
  503: "no_candidates",
  504: "timeout",
  0: "connect",
};

/** `n` request rows (plus an attempt row for each) for `orgId`, spread over `minutes` minutes from `start`. */
function requests(orgId: string, n: number, start: number, minutes: number, seed: number): TelemetryRecord[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: TelemetryRecord[] = [];
  for (let i = 0; i < n; i++) {
    const status = pick([200, 200, 200, 200, 200, 200, 400, 499, 502, 503, 504, 0] as const);
    const stream = r() < 0.4;
    // Log-uniform latencies from 2 ms to ~30 s: every part of the histogram gets used.
    const latencyMs = Math.round(2 * Math.exp(r() * Math.log(15_000)));
    const rec = sampleRecord({
      orgId,
      at: start + Math.floor(r() * minutes * MINUTE),
      routeId: pick(["r-a", "r-b", "r-c", null]),
      agentId: status === 200 ? pick(["ag-1", "ag-2", "ag-3"]) : pick(["ag-1", null]),
      apiKeyId: pick(["k-1", "k-2", null]),
      status,
      errorClass: ERROR_BY_STATUS[status]!,
      stream,
      latencyMs,
      ttftMs: stream && status === 200 ? Math.max(1, Math.round(latencyMs * r())) : null,
      tokensIn: Math.floor(r() * 500),
      tokensOut: Math.floor(r() * 900),
      costUsd: r() < 0.9 ? Math.round(r() * 1e6) / 1e9 : null,
      retry: r() < 0.1,
      failover: r() < 0.05,
    });
    out.push(rec);
    out.push(sampleRecord({ ...rec, id: randomUUID(), kind: "attempt", requestId: rec.id, status: 500, latencyMs: 99_999, tokensIn: 10_000 }));
  }
  return out;
}

interface Totals {
  requests: number;
  errors: number;
  streams: number;
  retries: number;
  failovers: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  latency_sum_ms: number;
  ttft_count: number;
  ttft_sum_ms: number;
}

const TOTALS_SQL = `count(*)::int AS requests,
  count(*) FILTER (WHERE status >= 500 OR status < 100)::int AS errors,
  count(*) FILTER (WHERE stream)::int AS streams,
  count(*) FILTER (WHERE retry)::int AS retries,
  count(*) FILTER (WHERE failover)::int AS failovers,
  coalesce(sum(tokens_in), 0)::float8 AS tokens_in,
  coalesce(sum(tokens_out), 0)::float8 AS tokens_out,
  coalesce(sum(cost_usd), 0)::float8 AS cost_usd,
  coalesce(sum(latency_ms), 0)::float8 AS latency_sum_ms,
  count(ttft_ms)::int AS ttft_count,
  coalesce(sum(ttft_ms), 0)::float8 AS ttft_sum_ms`;

const ROLLUP_TOTALS_SQL = `sum(requests)::int AS requests, sum(errors)::int AS errors, sum(streams)::int AS streams,
  sum(retries)::int AS retries, sum(failovers)::int AS failovers, sum(tokens_in)::float8 AS tokens_in,
  sum(tokens_out)::float8 AS tokens_out, sum(cost_usd)::float8 AS cost_usd, sum(latency_sum_ms)::float8 AS latency_sum_ms,
  sum(ttft_count)::int AS ttft_count, sum(ttft_sum_ms)::float8 AS ttft_sum_ms`;

/** Raw totals per (minute, route, agent, key, status class) — what the minute rollup must hold. */
async function rawByMinute(orgId: string): Promise<Map<string, Totals>> {
  const { rows } = await pool.query<Totals & { k: string }>(
    `SELECT concat_ws('|', date_trunc('minute', at, 'UTC')::text, coalesce(route_id, ''), coalesce(agent_id, ''), coalesce(api_key_id, ''),
              CASE WHEN status / 100 BETWEEN 1 AND 5 THEN status / 100 ELSE 5 END) AS k, ${TOTALS_SQL}
       FROM telemetry.gateway_events WHERE org_id = $1 AND kind = 'request' GROUP BY 1`,
    [orgId],
  );
  return new Map(rows.map(({ k, ...t }) => [k, t]));
}

async function rollupByMinute(orgId: string): Promise<Map<string, Totals>> {
  const { rows } = await pool.query<Totals & { k: string }>(
    `SELECT concat_ws('|', bucket::text, route_id, agent_id, api_key_id, status_class) AS k, ${ROLLUP_TOTALS_SQL}
       FROM telemetry.rollup_minute WHERE org_id = $1 GROUP BY 1`,
    [orgId],
  );
  return new Map(rows.map(({ k, ...t }) => [k, t]));
}

function expectSameTotals(actual: Map<string, Totals>, expected: Map<string, Totals>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, e] of expected) {
    const a = actual.get(k)!;
    // Counts and integer sums exactly; cost is a float sum, equal up to the order of additions.
    expect({ ...a, cost_usd: 0 }, k).toEqual({ ...e, cost_usd: 0 });
    expect(a.cost_usd).toBeCloseTo(e.cost_usd, 12);
  }
}

async function rollupRows(table: "rollup_minute" | "rollup_hour" | "rollup_day", orgId: string) {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM telemetry.${table} WHERE org_id = $1 ORDER BY bucket, route_id, agent_id, api_key_id, status_class`,
    [orgId],
  );
  return rows;
}

function startOfHour(ms: number) {
  return Math.floor(ms / HOUR) * HOUR;
}

function startOfDay(ms: number) {
  return Math.floor(ms / DAY) * DAY;
}

/** Checks that `coarse` rows are the sums of the `fine` rows in their bucket (`bucketOf`), histograms element by element. */
function expectSumsOf(coarse: Record<string, unknown>[], fine: Record<string, unknown>[], bucketOf: (ms: number) => number) {
  const expected = new Map<string, Record<string, unknown>>();
  for (const m of fine) {
    const bucket = new Date(bucketOf((m.bucket as Date).getTime()));
    const k = [bucket.toISOString(), m.route_id, m.agent_id, m.api_key_id, m.status_class].join("|");
    const e = expected.get(k) ?? { ...m, bucket, requests: 0, errors: 0, streams: 0, retries: 0, failovers: 0, tokens_in: 0n, tokens_out: 0n, cost_usd: 0, latency_sum_ms: 0n, ttft_count: 0, ttft_sum_ms: 0n, latency_hist: emptyHistogram(), ttft_hist: emptyHistogram(), errors_by_class: {} };
    for (const c of ["requests", "errors", "streams", "retries", "failovers", "ttft_count", "cost_usd"]) e[c] = (e[c] as number) + (m[c] as number);
    // int8 columns arrive as strings from node-postgres.
    for (const c of ["tokens_in", "tokens_out", "latency_sum_ms", "ttft_sum_ms"]) e[c] = (e[c] as bigint) + BigInt(m[c] as string);
    mergeInto(e.latency_hist as number[], m.latency_hist as number[]);
    mergeInto(e.ttft_hist as number[], m.ttft_hist as number[]);
    const classes = e.errors_by_class as Record<string, number>;
    for (const [c, n] of Object.entries(m.errors_by_class as Record<string, number>)) classes[c] = (classes[c] ?? 0) + n;
    expected.set(k, e);
  }
  expect(coarse.length).toBe(expected.size);
  for (const h of coarse) {
    const k = [(h.bucket as Date).toISOString(), h.route_id, h.agent_id, h.api_key_id, h.status_class].join("|");
    const e = expected.get(k)!;
    expect(e, k).toBeDefined();
    const norm = (r: Record<string, unknown>) => ({
      ...r,
      cost_usd: 0,
      tokens_in: String(r.tokens_in),
      tokens_out: String(r.tokens_out),
      latency_sum_ms: String(r.latency_sum_ms),
      ttft_sum_ms: String(r.ttft_sum_ms),
    });
    expect(norm(h)).toEqual(norm(e));
    expect(h.cost_usd as number).toBeCloseTo(e.cost_usd as number, 12);
  }
}

describe("request rollups", () => {
  const orgId = `org-rollup-${rand()}`;
  // Over 200 minutes from 4 hours ago: crosses hour boundaries, and within the retention horizon.
  const start = startOfHour(Date.now()) - 4 * HOUR + 7 * MINUTE;
  let records: TelemetryRecord[];

  beforeAll(async () => {
    records = requests(orgId, 3_000, start, 200, 42);
    for (let i = 0; i < records.length; i += 1_000) await insertEvents(pool, records.slice(i, i + 1_000));
  });

  it("minute rollups equal the raw rows: counts, errors, tokens and cost, per route/agent/key/status class", async () => {
    const result = await runRollup({ db: db(), lagSeconds: 0 });
    expect(result.requests.caughtUp).toBe(true);
    expect(result.requests.rows).toBeGreaterThanOrEqual(3_000);
    expectSameTotals(await rollupByMinute(orgId), await rawByMinute(orgId));

    // Errors by class, over the whole range.
    const { rows: raw } = await pool.query<{ c: string; n: number }>(
      `SELECT error_class AS c, count(*)::int AS n FROM telemetry.gateway_events
        WHERE org_id = $1 AND kind = 'request' AND error_class IS NOT NULL GROUP BY 1`,
      [orgId],
    );
    const { rows: rolled } = await pool.query<{ c: string; n: number }>(
      `SELECT t.k AS c, sum(t.v::int)::int AS n FROM telemetry.rollup_minute, jsonb_each_text(errors_by_class) AS t(k, v)
        WHERE org_id = $1 GROUP BY 1`,
      [orgId],
    );
    const byClass = (rows: { c: string; n: number }[]) => Object.fromEntries(rows.map((r) => [r.c, r.n]));
    expect(byClass(rolled)).toEqual(byClass(raw));
    expect(byClass(raw)).toHaveProperty("client_error");
  });

  it("per-route p50/p95/p99 of latency and time to first token from merged histograms match the exact raw percentiles", async () => {
    const rows = await rollupRows("rollup_minute", orgId);
    const hist = new Map<string, { latency: number[]; ttft: number[] }>();
    for (const row of rows) {
      const h = hist.get(row.route_id as string) ?? { latency: emptyHistogram(), ttft: emptyHistogram() };
      expect(row.latency_hist as number[]).toHaveLength(HIST_BUCKETS);
      mergeInto(h.latency, row.latency_hist as number[]);
      mergeInto(h.ttft, row.ttft_hist as number[]);
      hist.set(row.route_id as string, h);
    }
    const { rows: exact } = await pool.query<{ route: string; lat: number[]; ttft: number[] | null }>(
      `SELECT coalesce(route_id, '') AS route,
              percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS lat,
              percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY ttft_ms) AS ttft
         FROM telemetry.gateway_events WHERE org_id = $1 AND kind = 'request' GROUP BY 1`,
      [orgId],
    );
    expect(exact.map((e) => e.route).sort()).toEqual(["", "r-a", "r-b", "r-c"]);
    const within = (estimate: number | null, value: number) => {
      expect(estimate).not.toBeNull();
      expect(Math.abs(estimate! - value) / value).toBeLessThanOrEqual(HIST_RELATIVE_ERROR + 1e-9);
    };
    for (const e of exact) {
      const h = hist.get(e.route)!;
      [0.5, 0.95, 0.99].forEach((q, i) => within(quantile(h.latency, q), e.lat[i]!));
      [0.5, 0.95, 0.99].forEach((q, i) => within(quantile(h.ttft, q), e.ttft![i]!));
    }
  });

  it("hour rollups are the sums of their minutes, histograms element by element", async () => {
    const hours = await rollupRows("rollup_hour", orgId);
    expectSumsOf(hours, await rollupRows("rollup_minute", orgId), startOfHour);
    expect(new Set(hours.map((h) => (h.bucket as Date).getTime())).size).toBe(4); // 200 minutes from :07 touch four hours
  });

  it("day rollups are the sums of their hours", async () => {
    expectSumsOf(await rollupRows("rollup_day", orgId), await rollupRows("rollup_hour", orgId), startOfDay);
  });

  it("is idempotent: a rerun and a replayed batch change nothing; late rows of a rolled minute are counted once", async () => {
    const snapshot = async () => ({
      minutes: await rollupRows("rollup_minute", orgId),
      hours: await rollupRows("rollup_hour", orgId),
      days: await rollupRows("rollup_day", orgId),
    });
    const before = await snapshot();
    await runRollup({ db: pool, lagSeconds: 0 });
    // The gateway replaying its spool: the same rows again (ON CONFLICT DO NOTHING), then a run.
    expect(await insertEvents(pool, records.slice(0, 500))).toBe(0);
    await runRollup({ db: pool, lagSeconds: 0 });
    expect(await snapshot()).toEqual(before);

    // Late rows for minutes rolled long ago (a spool replayed after an outage).
    const late = requests(orgId, 200, start + 10 * MINUTE, 3, 7);
    await insertEvents(pool, late);
    const r = await runRollup({ db: db(), lagSeconds: 0 });
    expect(r.requests.minutes).toBeGreaterThanOrEqual(3);
    const raw = await rawByMinute(orgId);
    expectSameTotals(await rollupByMinute(orgId), raw);
    const total = [...raw.values()].reduce((n, t) => n + t.requests, 0);
    expect(total).toBe(3_200);
    for (const table of ["rollup_hour", "rollup_day"]) {
      const { rows } = await pool.query<{ n: number }>(`SELECT sum(requests)::int AS n FROM telemetry.${table} WHERE org_id = $1`, [orgId]);
      expect(rows[0]!.n, table).toBe(3_200);
    }
  });

  it("keeps rows of the last seconds for the next run (lag), so rows of a transaction still open are not skipped", async () => {
    const lagOrg = `org-rollup-lag-${rand()}`;
    await insertEvents(pool, [sampleRecord({ orgId: lagOrg, at: Date.now() - MINUTE })]);
    await runRollup({ db: db(), lagSeconds: 60 });
    expect((await rollupRows("rollup_minute", lagOrg)).length).toBe(0);
    await runRollup({ db: db(), lagSeconds: 0 });
    expect((await rollupRows("rollup_minute", lagOrg)).length).toBe(1);
  });
});

describe("day rollups", () => {
  it("span UTC days: each day row is the sum of its hours, also after late rows for an earlier day; quality too", async () => {
    const orgId = `org-rollup-days-${rand()}`;
    // Two days of traffic up to the last hour: at least two UTC days, inside the retention horizon.
    const start = startOfHour(Date.now()) - 49 * HOUR;
    await insertEvents(pool, requests(orgId, 1_500, start, 48 * 60, 11));
    await runRollup({ db: db(), lagSeconds: 0 });
    const days = await rollupRows("rollup_day", orgId);
    expect(new Set(days.map((d) => (d.bucket as Date).getTime())).size).toBeGreaterThanOrEqual(2);
    expect(days.every((d) => (d.bucket as Date).getTime() % DAY === 0)).toBe(true);
    expectSumsOf(days, await rollupRows("rollup_hour", orgId), startOfDay);

    // Late rows for the first hours: that day is recomputed from all its hours, not just the late ones.
    await insertEvents(pool, requests(orgId, 100, start, 5, 12));
    const r = await runRollup({ db: db(), lagSeconds: 0 });
    expect(r.requests.days).toBeGreaterThanOrEqual(1);
    expectSumsOf(await rollupRows("rollup_day", orgId), await rollupRows("rollup_hour", orgId), startOfDay);
    const { rows } = await pool.query<{ n: number }>(`SELECT sum(requests)::int AS n FROM telemetry.rollup_day WHERE org_id = $1`, [orgId]);
    expect(rows[0]!.n).toBe(1_600);

    await pool.query(
      `INSERT INTO telemetry.feedback (id, org_id, request_id, trace_id, route_id, agent_id, score)
       SELECT gen_random_uuid()::text, $1, 'req-' || i, 'trace-' || i, 'r-a', 'ag-1', 0.25 * (i % 5) FROM generate_series(1, 6) i`,
      [orgId],
    );
    await runRollup({ db: db(), lagSeconds: 0 });
    const quality = async (table: string) =>
      (await pool.query<{ n: number; s: number }>(`SELECT sum(feedback_count)::int AS n, sum(score_sum)::float8 AS s FROM telemetry.${table} WHERE org_id = $1`, [orgId])).rows[0];
    expect(await quality("quality_day")).toEqual({ n: 6, s: 2.75 });
    expect(await quality("quality_day")).toEqual(await quality("quality_hour"));
  });
});

describe("catch-up", () => {
  it("after downtime, one run works through many pending minutes in bounded chunks", async () => {
    await runRollup({ db: db(), lagSeconds: 0 });
    const orgId = `org-rollup-catchup-${rand()}`;
    const start = startOfHour(Date.now()) - 5 * HOUR;
    const all = requests(orgId, 2_000, start, 4 * 60, 3);
    // Ten gateway batches (ten transactions, so ten ingest times) while no rollup ran.
    for (let i = 0; i < 10; i++) await insertEvents(pool, all.slice(i * 400, (i + 1) * 400));
    const result = await runRollup({ db: pool, lagSeconds: 0, maxRowsPerChunk: 300 });
    expect(result.requests.caughtUp).toBe(true);
    expect(result.requests.chunks).toBeGreaterThanOrEqual(4);
    expect(result.requests.rows).toBe(2_000);
    expectSameTotals(await rollupByMinute(orgId), await rawByMinute(orgId));
    const { rows } = await pool.query<{ n: number; hours: number }>(
      `SELECT sum(requests)::int AS n, count(DISTINCT bucket)::int AS hours FROM telemetry.rollup_hour WHERE org_id = $1`,
      [orgId],
    );
    expect(rows[0]).toEqual({ n: 2_000, hours: 4 });
  });

  it("stops after maxChunks and says it has not caught up; the next run goes on from there", async () => {
    await runRollup({ db: db(), lagSeconds: 0 });
    const orgId = `org-rollup-partial-${rand()}`;
    const all = requests(orgId, 300, Date.now() - 2 * HOUR, 60, 5);
    for (let i = 0; i < 6; i++) await insertEvents(pool, all.slice(i * 100, (i + 1) * 100));
    const first = await runRollup({ db: db(), lagSeconds: 0, maxRowsPerChunk: 100, maxChunks: 2 });
    expect(first.requests.caughtUp).toBe(false);
    const { rows } = await pool.query<{ n: number }>(`SELECT coalesce(sum(requests), 0)::int AS n FROM telemetry.rollup_minute WHERE org_id = $1`, [orgId]);
    expect(rows[0]!.n).toBeLessThan(300);
    const second = await runRollup({ db: db(), lagSeconds: 0 });
    expect(second.requests.caughtUp).toBe(true);
    expectSameTotals(await rollupByMinute(orgId), await rawByMinute(orgId));
  });
});

/**
 * Analytics at volume: N synthetic gateway events (default 10 million over 30 days) written into
 * telemetry.gateway_events through the gateway's own insert, the rollup job run until it has caught
 * up, then every dashboard query of one organization over 24 h / 7 d / 30 d, answered from the
 * rollups (the analytics service) and, as the baseline, from raw rows.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { db } from "@/server/db";
import { ensurePartitions, insertEvents } from "@/server/gateway/telemetry/sql";
import { utcDay } from "@/server/gateway/telemetry/record";
import { runRollup } from "@/server/analytics/rollup";
import type { OrgContext } from "@/server/trpc/init";
import { emptyCounts, generateEvents, makeWorld, WORLD, type World } from "./analytics/generate";
import { agreement, QUESTIONS } from "./analytics/queries";

export const DEFAULT_EVENTS = 10_000_000;

export const ANALYTICS_PLAN = {
  world: WORLD,
  batchSize: 5_000,
  connections: 2,
  ranges: [
    { name: "24 h", ms: 24 * 3_600_000 },
    { name: "7 d", ms: 7 * 24 * 3_600_000 },
    { name: "30 d", ms: 30 * 24 * 3_600_000 },
  ],
  warmup: 2,
  rollupSamples: 30,
  /** Raw queries: up to this many samples, and no new one after the budget is spent (at least 3). */
  rawSamples: 10,
  rawBudgetS: 20,
  targets: { queryP95Ms: 100, ingestEventsPerS: 20_000, eventsAt: DEFAULT_EVENTS },
};

export interface Latency {
  p50Ms: number;
  p95Ms: number;
  samples: number;
}

export interface AnalyticsReport {
  ranAt: string;
  plan: typeof ANALYTICS_PLAN & { events: number };
  notes: string[];
  loadAverage: { start: number; end: number };
  data: {
    events: number;
    requests: number;
    attempts: number;
    errorShare: number;
    streamShare: number;
    measuredOrg: { share: number; requests: number };
    rawTableMiB: number;
    rollupMinuteRows: number;
    rollupHourRows: number;
  };
  ingest: { method: string; events: number; seconds: number; eventsPerSecond: number; generateSeconds: number };
  rollup: { seconds: number; runs: number; chunks: number; rows: number; minutes: number; hours: number; rowsPerSecond: number };
  queries: { question: string; range: string; rollup: Latency; raw: Latency; ratio: number }[];
  agreement: { range: string; rollupRequests: number; rawRequests: number; rollupP95Ms: number | null; rawP95Ms: number | null }[];
  targets: { worstRollupP95Ms: number; queryP95LimitMs: number; queryMet: boolean; ingestEventsPerS: number; ingestLimit: number; ingestMet: boolean; atFullSize: boolean };
}

const NOTES = [
  "Ingest is the gateway's production path: `insertEvents` (one INSERT … SELECT FROM unnest per batch, ON CONFLICT DO NOTHING) in batches of 5,000 records on 2 connections, into daily partitions made beforehand with `ensure_partitions`, as the gateway does. Records are generated in the same process while the other connection inserts; the time spent generating is included in the rate and shown apart. COPY is not used.",
  "Traffic: 20 organizations (Zipf shares: the first carries ~28 %), 10 agents, 5 routes and 25 keys each (200 / 100 / 500 in all); a key is scoped to one route, a route has a primary and a failover agent. Per request: one request row and one row per attempt (~4 % take a second attempt), ~2 % answered 5xx, ~0.6 % 4xx, 30 % streamed (TTFT on successful streams), log-normal latencies (median 200 ms–1.6 s per route) and tokens. A day curve and quieter weekends; time-ordered over the 30 days before the run.",
  "The organizations keep 35 days of raw rows (telemetry.retention), so the rollup's horizon covers all 30 days. The rollup runs with lagSeconds 0 (everything is committed when it starts) and is called until it reports caught up. After it, ANALYZE on the raw and rollup tables, as autovacuum would do on its own in time.",
  "Queries are for the organization with the most traffic, ranges ending at the end of the data. Rollup side: the analytics service functions (Prisma, as the API calls them, label look-ups included). Raw side: equivalent SQL over the raw request rows (exact counts, percentile_disc over latency_ms, no labels). Latency is wall time in the benchmark process, after warm-up; the same Prisma client for both.",
];

function log(message: string) {
  console.error(`analytics bench: ${message}`);
}

const percentileOf = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

async function timed(fn: () => Promise<unknown>, samples: number, budgetMs = Infinity, minSamples = samples): Promise<Latency> {
  const times: number[] = [];
  const started = performance.now();
  while (times.length < samples && (times.length < minSamples || performance.now() - started < budgetMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentileOf(times, 0.5), p95Ms: percentileOf(times, 0.95), samples: times.length };
}

/** The measured organization as real rows (so label look-ups find something), with the generated ids. */
async function seedMeasuredOrg(world: World): Promise<OrgContext> {
  const org = world.orgs[0]!;
  const slug = `analytics-bench-${randomBytes(4).toString("hex")}`;
  await db().organization.create({ data: { id: org.id, name: "Analytics Bench", slug } });
  await db().agent.createMany({
    data: org.agents.map((id, i) => ({ id, orgId: org.id, name: `Agent ${i + 1}`, slug: `agent-${i + 1}`, protocol: "OPENAI" as const, sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" })),
  });
  await db().route.createMany({ data: org.routes.map((r, i) => ({ id: r.id, orgId: org.id, name: `Route ${i + 1}`, slug: `route-${i + 1}`, alias: `route-${i + 1}` })) });
  await db().apiKey.createMany({
    data: org.keys.map((k, i) => ({ id: k.id, orgId: org.id, name: `Key ${i + 1}`, prefix: `hx_${randomBytes(6).toString("hex")}`, hash: randomBytes(32).toString("hex") })),
  });
  const user = { id: "bench", email: "bench@example.invalid", name: "Bench" };
  return { db: db(), user, org: { id: org.id, name: "Analytics Bench", slug }, role: "OWNER", membershipId: "bench" };
}

async function ingest(pool: pg.Pool, world: World, events: number, end: number) {
  const counts = emptyCounts();
  const batches = generateEvents({ world, events, end, batchSize: ANALYTICS_PLAN.batchSize, counts });
  let generateMs = 0;
  let inserted = 0;
  let nextLog = 1_000_000;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      const next = batches.next();
      generateMs += performance.now() - t0;
      if (next.done) return;
      // Not `inserted += await …`: that reads `inserted` before the await, and the other worker's count would be lost.
      const added = await insertEvents(pool, next.value);
      inserted += added;
      if (inserted >= nextLog) {
        log(`${inserted.toLocaleString("en")} events, ${(inserted / ((performance.now() - started) / 1000)).toFixed(0)} events/s`);
        nextLog += 1_000_000;
      }
    }
  };
  await Promise.all(Array.from({ length: ANALYTICS_PLAN.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (inserted !== counts.events) throw new Error(`inserted ${inserted} of ${counts.events} generated events`);
  return { counts, seconds, generateSeconds: generateMs / 1000 };
}

export async function runAnalyticsBenchmarks(opts: { events?: number } = {}): Promise<AnalyticsReport> {
  const events = opts.events ?? DEFAULT_EVENTS;
  const ranAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const world = makeWorld();
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: ANALYTICS_PLAN.connections });
  try {
    const ctx = await seedMeasuredOrg(world);
    const end = Date.now();
    const days = WORLD.days + 2;
    await ensurePartitions(pool, utcDay(end) - days, days + 2);
    await pool.query(`INSERT INTO telemetry.retention (org_id, raw_days) SELECT unnest($1::text[]), 35`, [world.orgs.map((o) => o.id)]);

    log(`writing ${events.toLocaleString("en")} events`);
    const written = await ingest(pool, world, events, end);
    const { counts } = written;
    const eventsPerSecond = counts.events / written.seconds;
    log(`ingest: ${counts.events} events in ${written.seconds.toFixed(1)} s (${eventsPerSecond.toFixed(0)} events/s, ${written.generateSeconds.toFixed(1)} s generating)`);

    const rollupStarted = performance.now();
    const rollup = { runs: 0, chunks: 0, rows: 0, minutes: 0, hours: 0 };
    for (;;) {
      const r = await runRollup({ db: pool, lagSeconds: 0 });
      rollup.runs++;
      rollup.chunks += r.requests.chunks;
      rollup.rows += r.requests.rows;
      rollup.minutes += r.requests.minutes;
      rollup.hours += r.requests.hours;
      if (r.requests.caughtUp) break;
    }
    const rollupSeconds = (performance.now() - rollupStarted) / 1000;
    log(`rollup: ${rollup.rows} request rows in ${rollupSeconds.toFixed(1)} s (${rollup.chunks} chunks)`);
    if (rollup.rows !== counts.requests) throw new Error(`the rollup saw ${rollup.rows} request rows, ${counts.requests} were written`);

    await pool.query("ANALYZE telemetry.gateway_events");
    await pool.query("ANALYZE telemetry.rollup_minute");
    await pool.query("ANALYZE telemetry.rollup_hour");
    const { rows: sizes } = await pool.query<{ raw: string; minute: string; hour: string }>(
      `SELECT (SELECT sum(pg_total_relation_size(inhrelid))::int8 FROM pg_inherits WHERE inhparent = 'telemetry.gateway_events'::regclass) AS raw,
        (SELECT count(*) FROM telemetry.rollup_minute) AS minute, (SELECT count(*) FROM telemetry.rollup_hour) AS hour`,
    );

    const queries: AnalyticsReport["queries"] = [];
    const checks: AnalyticsReport["agreement"] = [];
    const p = ANALYTICS_PLAN;
    for (const range of p.ranges) {
      const window = { from: new Date(end - range.ms), to: new Date(end) };
      checks.push({ range: range.name, ...(await agreement(ctx, window)) });
      for (const q of QUESTIONS) {
        const viaRollup = () => q.rollup(ctx, window);
        const viaRaw = () => q.raw(ctx.db, ctx.org.id, window);
        await timed(viaRollup, p.warmup);
        await timed(viaRaw, 1);
        const rollupLatency = await timed(viaRollup, p.rollupSamples);
        const rawLatency = await timed(viaRaw, p.rawSamples, p.rawBudgetS * 1000, 3);
        queries.push({ question: q.name, range: range.name, rollup: rollupLatency, raw: rawLatency, ratio: rawLatency.p50Ms / rollupLatency.p50Ms });
        log(`${q.name}, ${range.name}: rollups p50 ${rollupLatency.p50Ms.toFixed(1)} / p95 ${rollupLatency.p95Ms.toFixed(1)} ms; raw p50 ${rawLatency.p50Ms.toFixed(1)} / p95 ${rawLatency.p95Ms.toFixed(1)} ms`);
      }
    }

    const worst = Math.max(...queries.map((q) => q.rollup.p95Ms));
    return {
      ranAt,
      plan: { ...p, events },
      notes: NOTES,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
      data: {
        events: counts.events,
        requests: counts.requests,
        attempts: counts.attempts,
        errorShare: counts.errors / counts.requests,
        streamShare: counts.streams / counts.requests,
        measuredOrg: { share: counts.requestsByOrg[0]! / counts.requests, requests: counts.requestsByOrg[0]! },
        rawTableMiB: Number(sizes[0]?.raw ?? 0) / 2 ** 20,
        rollupMinuteRows: Number(sizes[0]?.minute ?? 0),
        rollupHourRows: Number(sizes[0]?.hour ?? 0),
      },
      ingest: { method: "insertEvents, 5,000-record batches, 2 connections", events: counts.events, seconds: written.seconds, eventsPerSecond, generateSeconds: written.generateSeconds },
      rollup: { seconds: rollupSeconds, ...rollup, rowsPerSecond: rollup.rows / rollupSeconds },
      queries,
      agreement: checks,
      targets: {
        worstRollupP95Ms: worst,
        queryP95LimitMs: p.targets.queryP95Ms,
        queryMet: worst <= p.targets.queryP95Ms,
        ingestEventsPerS: eventsPerSecond,
        ingestLimit: p.targets.ingestEventsPerS,
        ingestMet: eventsPerSecond >= p.targets.ingestEventsPerS,
        atFullSize: counts.events >= p.targets.eventsAt,
      },
    };
  } finally {
    await pool.end();
  }
}

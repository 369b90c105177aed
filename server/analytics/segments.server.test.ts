import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "@/server/db";
import { callerFor, createOrg, createUser, rand } from "@/server/test/fixtures";
import { ensurePartitions, insertEvents } from "@/server/gateway/telemetry/sql";
import { utcDay } from "@/server/gateway/telemetry/record";
import { sampleRecord } from "@/server/gateway/telemetry/testing";
import type { TelemetryRecord } from "@/server/gateway/types";
import type { OrgContext } from "@/server/trpc/init";
import { emptyHistogram, mergeInto, quantile } from "./histogram";
import { runRollup } from "./rollup";
import { type Resolution } from "./schema";
import { pairStats, segmentsOf, windowOf, type Segment } from "./service";
import { insertQualityDay, insertQualityHour, insertQualityMinute, type QualityRowInput } from "./testing";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEP: Record<Resolution, number> = { minute: MIN, hour: HOUR, day: DAY };
const seg = (resolution: Resolution, start: number, end: number): Segment => ({ resolution, start, end });

// ---------------------------------------------------------------------------------------------
// segmentsOf: pure, no database.

/** Monday 2 March 2026, 00:00 UTC. */
const D = Date.UTC(2026, 2, 2);

/** The segments tile [start, end) in order, each on its table's buckets, and no finer segment could be read coarser. */
function expectTiling(segments: Segment[], start: number, end: number, finest: Resolution) {
  let at = start;
  for (const s of segments) {
    expect(s.start).toBe(at);
    expect(s.end).toBeGreaterThan(s.start);
    expect(s.start % STEP[s.resolution]).toBe(0);
    expect(s.end % STEP[s.resolution]).toBe(0);
    expect(STEP[s.resolution]).toBeGreaterThanOrEqual(STEP[finest]);
    // A minute or hour segment never holds a whole bucket of a coarser table it may use.
    for (const coarser of ["hour", "day"] as const) {
      const step = STEP[coarser];
      if (step <= STEP[s.resolution]) continue;
      expect(Math.ceil(s.start / step) * step + step, `${s.resolution} segment holds a whole ${coarser}`).toBeGreaterThan(s.end);
    }
    at = s.end;
  }
  expect(at).toBe(end);
  for (let i = 1; i < segments.length; i++) expect(segments[i]!.resolution).not.toBe(segments[i - 1]!.resolution);
}

describe("segmentsOf", () => {
  it("keeps a range within one hour on the finest table", () => {
    expect(segmentsOf(D + 10 * HOUR + 5 * MIN, D + 10 * HOUR + 35 * MIN, "minute")).toEqual([seg("minute", D + 10 * HOUR + 5 * MIN, D + 10 * HOUR + 35 * MIN)]);
    expect(segmentsOf(D + 10 * HOUR, D + 11 * HOUR, "minute")).toEqual([seg("hour", D + 10 * HOUR, D + 11 * HOUR)]);
    expect(segmentsOf(D + 10 * HOUR, D + 11 * HOUR, "hour")).toEqual([seg("hour", D + 10 * HOUR, D + 11 * HOUR)]);
  });

  it("reads a range on exact UTC midnights from day rows only", () => {
    expect(segmentsOf(D, D + 7 * DAY, "hour")).toEqual([seg("day", D, D + 7 * DAY)]);
    expect(segmentsOf(D, D + DAY, "minute")).toEqual([seg("day", D, D + DAY)]);
    expect(segmentsOf(D - 3 * DAY, D, "day")).toEqual([seg("day", D - 3 * DAY, D)]);
  });

  it("reads whole days from day rows and the ragged edges from hour rows (and minute rows below an hour)", () => {
    expect(segmentsOf(D + 5 * HOUR, D + 3 * DAY + 2 * HOUR, "hour")).toEqual([
      seg("hour", D + 5 * HOUR, D + DAY),
      seg("day", D + DAY, D + 3 * DAY),
      seg("hour", D + 3 * DAY, D + 3 * DAY + 2 * HOUR),
    ]);
    // Only a leading or only a trailing edge.
    expect(segmentsOf(D - 2 * HOUR, D + 2 * DAY, "hour")).toEqual([seg("hour", D - 2 * HOUR, D), seg("day", D, D + 2 * DAY)]);
    expect(segmentsOf(D, D + DAY + HOUR, "hour")).toEqual([seg("day", D, D + DAY), seg("hour", D + DAY, D + DAY + HOUR)]);
    expect(segmentsOf(D + 10 * HOUR + 17 * MIN, D + 2 * DAY + 3 * HOUR + 4 * MIN, "minute")).toEqual([
      seg("minute", D + 10 * HOUR + 17 * MIN, D + 11 * HOUR),
      seg("hour", D + 11 * HOUR, D + DAY),
      seg("day", D + DAY, D + 2 * DAY),
      seg("hour", D + 2 * DAY, D + 2 * DAY + 3 * HOUR),
      seg("minute", D + 2 * DAY + 3 * HOUR, D + 2 * DAY + 3 * HOUR + 4 * MIN),
    ]);
    // Minutes up to a midnight that is also the next hour: no hour segment in between.
    expect(segmentsOf(D - 30 * MIN, D + DAY + 10 * MIN, "minute")).toEqual([
      seg("minute", D - 30 * MIN, D),
      seg("day", D, D + DAY),
      seg("minute", D + DAY, D + DAY + 10 * MIN),
    ]);
  });

  it("stays on hour rows across midnight when no whole day is inside", () => {
    expect(segmentsOf(D - 2 * HOUR, D + 23 * HOUR, "hour")).toEqual([seg("hour", D - 2 * HOUR, D + 23 * HOUR)]);
    expect(segmentsOf(D + HOUR, D + DAY + 23 * HOUR, "hour")).toEqual([seg("hour", D + HOUR, D + DAY + 23 * HOUR)]);
  });

  it("splits at UTC midnights whatever the local time zone does (a European DST change in the range)", () => {
    // Clocks in Europe went forward on Sunday 29 March 2026 at 01:00 UTC: UTC days stay 24 hours.
    const from = Date.UTC(2026, 2, 28, 12);
    const to = Date.UTC(2026, 2, 31, 6);
    expect(segmentsOf(from, to, "hour")).toEqual([
      seg("hour", from, Date.UTC(2026, 2, 29)),
      seg("day", Date.UTC(2026, 2, 29), Date.UTC(2026, 2, 31)),
      seg("hour", Date.UTC(2026, 2, 31), to),
    ]);
  });

  it("tiles the window of a range ending now, and of many ragged ranges", () => {
    const now = Date.now();
    for (const span of [25 * HOUR, 3 * DAY, 7 * DAY]) {
      const w = windowOf({ from: new Date(now - span), to: new Date(now) });
      expect(w.resolution).toBe("hour");
      const segments = segmentsOf(w.start, w.end, "hour");
      expectTiling(segments, w.start, w.end, "hour");
      expect(segments.at(-1)!.end).toBeGreaterThanOrEqual(now);
    }
    // A fixed pseudo-random walk over starts and lengths, in minutes.
    let x = 12345;
    const next = (n: number) => (x = (x * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 500; i++) {
      const start = D + next(3 * 24 * 60) * MIN;
      const end = start + (1 + next(9 * 24 * 60)) * MIN;
      expectTiling(segmentsOf(start, end, "minute"), start, end, "minute");
      const hStart = Math.floor(start / HOUR) * HOUR;
      const hEnd = Math.ceil(end / HOUR) * HOUR;
      expectTiling(segmentsOf(hStart, hEnd, "hour"), hStart, hEnd, "hour");
    }
  });

  it("gives nothing for an empty range and refuses bounds off the finest step", () => {
    expect(segmentsOf(D, D, "hour")).toEqual([]);
    expect(() => segmentsOf(D + MIN, D + HOUR, "hour")).toThrow(/not on whole hours/);
    expect(() => segmentsOf(D, D + DAY + HOUR, "day")).toThrow(/not on whole days/);
  });
});

// ---------------------------------------------------------------------------------------------
// The service's totals from day + hour rows against the same totals from hour rows only, over real
// gateway rows rolled up by the real job.

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});
afterAll(async () => {
  await pool?.end();
});

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

interface HourRow {
  bucket: number;
  route_id: string;
  agent_id: string;
  api_key_id: string;
  status_class: number;
  requests: number;
  errors: number;
  retries: number;
  failovers: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  latency_hist: number[];
  ttft_hist: number[];
}

interface QualityHourRow {
  bucket: number;
  route_id: string;
  agent_id: string;
  n: number;
  s: number;
}

type Filters = { routeId?: string; agentId?: string; keyId?: string };
type Dimension = "route" | "agent" | "key";
const COLUMN = { route: "route_id", agent: "agent_id", key: "api_key_id" } as const;

/** What the service answered before the day table was used: totals of hour rows, in plain code. */
class HourReference {
  constructor(
    readonly hours: HourRow[],
    readonly quality: QualityHourRow[],
  ) {}

  rows(start: number, end: number, f: Filters) {
    return this.hours.filter(
      (r) => r.bucket >= start && r.bucket < end && (!f.routeId || r.route_id === f.routeId) && (!f.agentId || r.agent_id === f.agentId) && (!f.keyId || r.api_key_id === f.keyId),
    );
  }

  feedback(start: number, end: number, f: Filters) {
    if (f.keyId) return [];
    return this.quality.filter((q) => q.bucket >= start && q.bucket < end && (!f.routeId || q.route_id === f.routeId) && (!f.agentId || q.agent_id === f.agentId));
  }

  static totals(rows: HourRow[]) {
    const t = { requests: 0, errors: 0, retries: 0, failovers: 0, tokens_in: 0, tokens_out: 0, cost_usd: 0, latency: emptyHistogram(), ttft: emptyHistogram() };
    for (const r of rows) {
      for (const c of ["requests", "errors", "retries", "failovers", "tokens_in", "tokens_out", "cost_usd"] as const) t[c] += r[c];
      mergeInto(t.latency, r.latency_hist);
      mergeInto(t.ttft, r.ttft_hist);
    }
    return t;
  }

  summary(start: number, end: number, f: Filters) {
    const t = HourReference.totals(this.rows(start, end, f));
    const fb = this.feedback(start, end, f);
    const n = fb.reduce((a, q) => a + q.n, 0);
    const s = fb.reduce((a, q) => a + q.s, 0);
    return {
      requests: t.requests,
      errors: t.errors,
      errorRate: t.requests > 0 ? t.errors / t.requests : null,
      p50Ms: quantile(t.latency, 0.5),
      p95Ms: quantile(t.latency, 0.95),
      p99Ms: quantile(t.latency, 0.99),
      ttftP50Ms: quantile(t.ttft, 0.5),
      ttftP95Ms: quantile(t.ttft, 0.95),
      tokensIn: t.tokens_in,
      tokensOut: t.tokens_out,
      costUsd: t.cost_usd,
      quality: n > 0 ? Math.min(1, Math.max(0, s / n)) : null,
      feedbackCount: n,
      retries: t.retries,
      failovers: t.failovers,
    };
  }

  breakdown(start: number, end: number, previousStart: number, f: Filters, by: Dimension) {
    const current = new Map<string, HourRow[]>();
    for (const r of this.rows(start, end, f)) current.set(r[COLUMN[by]], [...(current.get(r[COLUMN[by]]) ?? []), r]);
    const previous = new Map<string, number>();
    for (const r of this.rows(previousStart, start, f)) previous.set(r[COLUMN[by]], (previous.get(r[COLUMN[by]]) ?? 0) + r.requests);
    const total = [...current.values()].flat().reduce((n, r) => n + r.requests, 0);
    const ids = new Set([...current.keys(), ...previous.keys()]);
    return [...ids].sort().map((id) => {
      const t = HourReference.totals(current.get(id) ?? []);
      const fb = by === "key" ? [] : this.feedback(start, end, f).filter((q) => q[COLUMN[by] as "route_id" | "agent_id"] === id);
      const n = fb.reduce((a, q) => a + q.n, 0);
      const s = fb.reduce((a, q) => a + q.s, 0);
      return {
        id,
        requests: t.requests,
        share: total > 0 ? t.requests / total : 0,
        errorRate: t.requests > 0 ? t.errors / t.requests : null,
        p95Ms: quantile(t.latency, 0.95),
        ttftP95Ms: quantile(t.ttft, 0.95),
        costUsd: t.cost_usd,
        quality: n > 0 ? s / n : null,
        previousRequests: previous.get(id) ?? 0,
      };
    });
  }

  pairs(start: number, end: number, f: Filters) {
    const byPair = new Map<string, HourRow[]>();
    for (const r of this.rows(start, end, f)) byPair.set(`${r.route_id}|${r.agent_id}`, [...(byPair.get(`${r.route_id}|${r.agent_id}`) ?? []), r]);
    return [...byPair.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, rows]) => {
        const [routeId, agentId] = k.split("|") as [string, string];
        const t = HourReference.totals(rows);
        const fb = this.feedback(start, end, f).filter((q) => q.route_id === routeId && q.agent_id === agentId);
        const n = fb.reduce((a, q) => a + q.n, 0);
        const s = fb.reduce((a, q) => a + q.s, 0);
        return {
          routeId,
          agentId,
          requests: t.requests,
          errors: t.errors,
          successes: rows.filter((r) => r.status_class === 2).reduce((a, r) => a + r.requests, 0),
          retries: t.retries,
          failovers: t.failovers,
          costUsd: t.cost_usd,
          p95Ms: quantile(t.latency, 0.95),
          quality: n > 0 ? s / n : null,
          feedbackCount: n,
        };
      });
  }
}

describe("totals from day rows plus hour rows at the edges", () => {
  // Seventeen days of traffic up to a minute ago: 7-day ranges and the 7 days before them.
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const first = now - 17 * DAY;
  let env: Awaited<ReturnType<typeof seed>>;

  async function seed() {
    const owner = await createUser();
    const org = await createOrg({ owner });
    const caller = callerFor(owner);
    const agents = await Promise.all(
      ["Alpha", "Beta", "Gamma"].map((name) =>
        db().agent.create({
          data: { orgId: org.id, name: `${name} ${rand(2)}`, slug: `${name.toLowerCase()}-${rand(3)}`, protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" },
          select: { id: true },
        }),
      ),
    );
    const routes = [];
    for (const name of ["Support", "Search"]) {
      routes.push(await caller.route.create({ orgSlug: org.slug, name, slug: `r-${rand(3)}`, alias: `alias-${rand(3)}`, targets: agents.map((a) => ({ agentId: a.id })) }));
    }
    const keys = [];
    for (const name of ["Web", "Batch"]) keys.push((await caller.apiKey.create({ orgSlug: org.slug, name })).key);

    // Real gateway rows at random instants, rolled up by the real job.
    const r = rng(20261125);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 4_000; i++) {
      const status = pick([200, 200, 200, 200, 200, 200, 200, 400, 429, 502, 504, 0] as const);
      const stream = r() < 0.35;
      const latencyMs = Math.round(3 * Math.exp(r() * Math.log(8_000)));
      records.push(
        sampleRecord({
          orgId: org.id,
          at: first + Math.floor(r() * (now - MIN - first)),
          routeId: pick([...routes.map((x) => x.id), null]),
          agentId: pick([...agents.map((x) => x.id), ...(status === 200 ? [] : [null])]),
          apiKeyId: pick([...keys.map((k) => k.id), null]),
          status,
          errorClass: status === 200 ? null : status === 400 || status === 429 ? "client_error" : status === 0 ? "connect" : "http_5xx",
          stream,
          latencyMs,
          ttftMs: stream && status === 200 ? Math.max(1, Math.round(latencyMs * r())) : null,
          tokensIn: Math.floor(r() * 700),
          tokensOut: Math.floor(r() * 1_500),
          // Multiples of 1/1024: every sum is exact in float8, whatever the order, so costs compare exactly too.
          costUsd: r() < 0.9 ? Math.floor(r() * 2_048) / 1_024 : null,
          retry: r() < 0.08,
          failover: r() < 0.04,
        }),
      );
    }
    await ensurePartitions(pool, utcDay(first), 19);
    for (let i = 0; i < records.length; i += 1_000) await insertEvents(pool, records.slice(i, i + 1_000));
    const rolled = await runRollup({ db: db(), lagSeconds: 0 });
    expect(rolled.requests.caughtUp).toBe(true);

    // Quality rows as the quality job would leave them: minutes, their hours, their days.
    const minutes = new Map<string, QualityRowInput>();
    for (let i = 0; i < 600; i++) {
      const bucket = Math.floor((first + r() * (now - first)) / MIN) * MIN;
      const routeId = pick([...routes.map((x) => x.id), ""]);
      const agentId = pick(agents.map((x) => x.id));
      const k = `${bucket}|${routeId}|${agentId}`;
      const row = minutes.get(k) ?? { orgId: org.id, bucket: new Date(bucket), routeId, agentId, scores: [] };
      row.scores.push(Math.floor(r() * 5) / 4);
      minutes.set(k, row);
    }
    const coarser = (rows: QualityRowInput[], step: number) => {
      const out = new Map<string, QualityRowInput>();
      for (const m of rows) {
        const bucket = Math.floor(m.bucket.getTime() / step) * step;
        const k = `${bucket}|${m.routeId}|${m.agentId}`;
        const row = out.get(k) ?? { ...m, bucket: new Date(bucket), scores: [] };
        row.scores.push(...m.scores);
        out.set(k, row);
      }
      return [...out.values()];
    };
    await insertQualityMinute([...minutes.values()]);
    await insertQualityHour(coarser([...minutes.values()], HOUR));
    await insertQualityDay(coarser([...minutes.values()], DAY));

    const { rows: hours } = await pool.query<HourRow>(
      `SELECT (extract(epoch FROM bucket) * 1000)::float8 AS bucket, route_id, agent_id, api_key_id, status_class::int AS status_class,
              requests, errors, retries, failovers, tokens_in::float8 AS tokens_in, tokens_out::float8 AS tokens_out, cost_usd,
              latency_hist, ttft_hist
         FROM telemetry.rollup_hour WHERE org_id = $1`,
      [org.id],
    );
    const { rows: quality } = await pool.query<QualityHourRow>(
      `SELECT (extract(epoch FROM bucket) * 1000)::float8 AS bucket, route_id, agent_id, feedback_count AS n, score_sum AS s
         FROM telemetry.quality_hour WHERE org_id = $1`,
      [org.id],
    );
    const ctx: OrgContext = { db: db(), user: { id: owner.id, email: owner.email, name: owner.name }, org: { id: org.id, name: org.name, slug: org.slug }, role: "OWNER", membershipId: org.ownerMembershipId };
    return { org, caller, ctx, agents, routes, keys, records, ref: new HourReference(hours, quality), base: { orgSlug: org.slug } };
  }

  beforeAll(async () => {
    env = await seed();
  }, 120_000);

  /** Ranges with ragged edges (and one on exact midnights), all read at hour resolution. */
  const ranges = () => [
    { name: "7 days ending now", from: new Date(now - 7 * DAY), to: new Date(now) },
    { name: "a day and a half, mid-hour to mid-hour", from: new Date(today - 3 * DAY + 18 * HOUR + 43 * MIN), to: new Date(today - DAY + 4 * HOUR + 3 * MIN) },
    { name: "6 days on midnights", from: new Date(today - 6 * DAY), to: new Date(today) },
    { name: "7 hours inside one day", from: new Date(today - DAY + 3 * HOUR), to: new Date(today - DAY + 10 * HOUR) },
    { name: "8 days, hour resolution asked for", from: new Date(today - 8 * DAY - 5 * HOUR), to: new Date(today - 2 * HOUR), resolution: "hour" as const },
  ];

  it("has traffic and feedback in every range, counted as the raw rows count it", () => {
    for (const range of ranges()) {
      const w = windowOf(range);
      expect(w.resolution, range.name).toBe("hour");
      const raw = env.records.filter((e) => e.at >= w.start && e.at < w.end).length;
      expect(raw, range.name).toBeGreaterThan(0);
      expect(env.ref.summary(w.start, w.end, {}).requests, range.name).toBe(raw);
      expect(env.ref.summary(w.start, w.end, {}).feedbackCount, range.name).toBeGreaterThan(0);
    }
    // The first three read day rows for part of the range (and of the range before it).
    const w = windowOf(ranges()[0]!);
    expect(segmentsOf(w.start, w.end, "hour").map((s) => s.resolution)).toContain("day");
  });

  it("overview: the same totals, percentiles and quality for the range and the one before, under any filter", async () => {
    const filters: Filters[] = [{}, { routeId: env.routes[0]!.id }, { agentId: env.agents[1]!.id }, { keyId: env.keys[0]!.id }, { routeId: env.routes[1]!.id, agentId: env.agents[0]!.id }];
    for (const range of ranges()) {
      for (const f of filters) {
        const got = await env.caller.analytics.overview({ ...env.base, ...range, ...f });
        const w = windowOf(range);
        const previousStart = w.start - (w.end - w.start);
        expect(got.range).toEqual({ from: new Date(w.start), to: new Date(w.end), resolution: "hour", stepMs: HOUR });
        expect(got.current, `${range.name} ${JSON.stringify(f)}`).toEqual(env.ref.summary(w.start, w.end, f));
        expect(got.previous, `${range.name} ${JSON.stringify(f)} (previous)`).toEqual(env.ref.summary(previousStart, w.start, f));
      }
    }
  });

  it("breakdown by route, agent and key: the same rows, shares, percentiles and previous requests", async () => {
    for (const range of ranges()) {
      for (const by of ["route", "agent", "key"] as const) {
        for (const f of [{}, { agentId: env.agents[2]!.id }] as Filters[]) {
          const { rows } = await env.caller.analytics.breakdown({ ...env.base, ...range, ...f, by, limit: 50 });
          const w = windowOf(range);
          const expected = env.ref.breakdown(w.start, w.end, w.start - (w.end - w.start), f, by);
          expect(expected.length).toBeGreaterThan(0);
          const got = rows.map(({ name: _name, ...row }) => row).sort((a, b) => (a.id < b.id ? -1 : 1));
          expect(got, `${range.name} by ${by} ${JSON.stringify(f)}`).toEqual(expected);
          for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.requests).toBeGreaterThanOrEqual(rows[i]!.requests);
        }
      }
    }
  });

  it("time series: the same top groups, and buckets still of the asked resolution", async () => {
    for (const range of ranges()) {
      const w = windowOf(range);
      const series = await env.caller.analytics.timeseries({ ...env.base, ...range, metric: "requests", groupBy: "agent", limit: 2 });
      expect(series.stepMs).toBe(HOUR);
      const totals = new Map<string, number>();
      for (const r of env.ref.rows(w.start, w.end, {})) totals.set(r.agent_id, (totals.get(r.agent_id) ?? 0) + r.requests);
      const top = [...totals.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, 2);
      expect(series.series.slice(0, 2).map((s) => s.key), range.name).toEqual(top.map(([id]) => id));
      for (const [i, [, n]] of top.entries()) expect(series.series[i]!.points.reduce((a, p) => a + (p.value ?? 0), 0)).toBe(n);
      expect(series.series[0]!.points).toHaveLength((w.end - w.start) / HOUR);
    }
  });

  it("recommendations' pair numbers: the same per route and agent", async () => {
    for (const range of ranges()) {
      const w = windowOf(range);
      const got = (await pairStats({ ctx: env.ctx, ...range })).sort((a, b) => (`${a.routeId}|${a.agentId}` < `${b.routeId}|${b.agentId}` ? -1 : 1));
      expect(got, range.name).toEqual(env.ref.pairs(w.start, w.end, {}));
    }
  });

  it("reads the whole days from the day table and the edge days from the hour table", async () => {
    const range = ranges()[1]!; // whole day: today − 2 d; edge days: today − 3 d and today − 1 d
    const before = await env.caller.analytics.overview({ ...env.base, ...range });
    const bump = async (day: number) =>
      (await pool.query(`UPDATE telemetry.rollup_day SET requests = requests + 1000 WHERE org_id = $1 AND bucket = to_timestamp($2::float8 / 1000)`, [env.org.id, day])).rowCount ?? 0;
    const inside = await bump(today - 2 * DAY);
    expect(inside).toBeGreaterThan(0);
    expect(await bump(today - 3 * DAY)).toBeGreaterThan(0);
    expect(await bump(today - DAY)).toBeGreaterThan(0);
    const after = await env.caller.analytics.overview({ ...env.base, ...range });
    expect(after.current.requests).toBe(before.current.requests + 1000 * inside);
    expect(after.previous.requests).toBe(before.previous.requests);
  });
});

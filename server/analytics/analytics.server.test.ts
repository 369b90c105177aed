import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createMember, createOrg, createUser, expectTRPCError, rand } from "@/server/test/fixtures";
import { bucketOf, bucketValueMs, HIST_RELATIVE_ERROR, quantile } from "./histogram";
import { histogramOf, insertQualityDay, insertQualityHour, insertQualityMinute, insertRollupDay, insertRollupHour, insertRollupMinute, type RollupRowInput } from "./testing";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2 March 2026, 10:00 UTC. */
const T0 = Date.UTC(2026, 2, 2, 10);
const at = (ms: number) => new Date(ms);

/** An organization with two agents, two routes and a key, all made for real. */
async function world(label: string) {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const agent = (name: string) =>
    db().agent.create({
      data: { orgId: org.id, name, slug: `${name.toLowerCase()}-${rand(3)}`, protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" },
      select: { id: true, name: true },
    });
  const alpha = await agent(`Alpha ${label}`);
  const beta = await agent(`Beta ${label}`);
  const route = (name: string) =>
    caller.route.create({ orgSlug: org.slug, name, slug: `r-${rand(3)}`, alias: `alias-${rand(3)}`, targets: [{ agentId: alpha.id }, { agentId: beta.id }] });
  const r1 = await route(`Support ${label}`);
  const r2 = await route(`Search ${label}`);
  const { key } = await caller.apiKey.create({ orgSlug: org.slug, name: `Key ${label}` });
  return { owner, org, caller, alpha, beta, r1, r2, key, base: { orgSlug: org.slug } };
}

type World = Awaited<ReturnType<typeof world>>;

/** Org A's traffic around [T0, T0 + 1 h): 15 requests in range, 4 in the hour before, some outside both. */
async function seedMinutes(w: World) {
  const { org, alpha, beta, r1, r2, key } = w;
  await insertRollupMinute([
    { orgId: org.id, bucket: at(T0 + 5 * MIN), routeId: r1.id, agentId: alpha.id, apiKeyId: key.id, latencyMs: new Array(10).fill(100), ttftMs: 50, tokensIn: 100, tokensOut: 200, costUsd: 0.5, retries: 1 },
    { orgId: org.id, bucket: at(T0 + 6 * MIN), routeId: r1.id, agentId: beta.id, apiKeyId: key.id, statusClass: 5, requests: 2, latencyMs: 1000, tokensIn: 10, costUsd: 0.1, failovers: 1 },
    { orgId: org.id, bucket: at(T0 + 7 * MIN), routeId: r2.id, agentId: alpha.id, statusClass: 4, requests: 3, latencyMs: 20 },
    // the previous hour
    { orgId: org.id, bucket: at(T0 - 30 * MIN), routeId: r1.id, agentId: alpha.id, requests: 4 },
    // outside both ranges
    { orgId: org.id, bucket: at(T0 + 60 * MIN), routeId: r1.id, agentId: alpha.id, requests: 1000 },
    { orgId: org.id, bucket: at(T0 - 61 * MIN), routeId: r1.id, agentId: alpha.id, requests: 1000 },
  ]);
  await insertQualityMinute([
    { orgId: org.id, bucket: at(T0 + 5 * MIN), routeId: r1.id, agentId: alpha.id, scores: [1, 0.5] },
    { orgId: org.id, bucket: at(T0 - 10 * MIN), routeId: r1.id, agentId: alpha.id, scores: [0.2] },
  ]);
}

const hourRange = { from: at(T0), to: at(T0 + HOUR) };

describe("analytics.overview", () => {
  it("adds up the range and the one before it, with percentiles from merged histograms", async () => {
    const a = await world("a");
    await seedMinutes(a);
    const { range, current, previous } = await a.caller.analytics.overview({ ...a.base, ...hourRange });

    expect(range).toEqual({ from: at(T0), to: at(T0 + HOUR), resolution: "minute", stepMs: MIN });
    expect(current).toMatchObject({
      requests: 15,
      errors: 2,
      errorRate: 2 / 15,
      tokensIn: 110,
      tokensOut: 200,
      retries: 1,
      failovers: 1,
      quality: 0.75,
      feedbackCount: 2,
    });
    expect(current.costUsd).toBeCloseTo(0.6, 10);
    const all = histogramOf([...new Array<number>(10).fill(100), 1000, 1000, 20, 20, 20]);
    expect(current.p50Ms).toBe(quantile(all, 0.5));
    expect(current.p95Ms).toBe(quantile(all, 0.95));
    expect(current.p99Ms).toBe(quantile(all, 0.99));
    expect(Math.abs(current.p50Ms! / 100 - 1)).toBeLessThanOrEqual(HIST_RELATIVE_ERROR);
    expect(Math.abs(current.p95Ms! / 1000 - 1)).toBeLessThanOrEqual(HIST_RELATIVE_ERROR);
    expect(current.ttftP50Ms).toBe(bucketValueMs(bucketOf(50)));
    expect(current.ttftP95Ms).toBe(bucketValueMs(bucketOf(50)));

    expect(previous).toMatchObject({ requests: 4, errors: 0, errorRate: 0, quality: 0.2, feedbackCount: 1, ttftP50Ms: null });
  });

  it("gives nulls, not zeros, for ratios and percentiles of an empty range", async () => {
    const a = await world("a");
    const { current } = await a.caller.analytics.overview({ ...a.base, ...hourRange });
    expect(current).toEqual({
      requests: 0,
      errors: 0,
      errorRate: null,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      ttftP50Ms: null,
      ttftP95Ms: null,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      quality: null,
      feedbackCount: 0,
      retries: 0,
      failovers: 0,
    });
  });

  it("applies route, agent and key filters; feedback has no key, so a key filter leaves quality unknown", async () => {
    const a = await world("a");
    await seedMinutes(a);
    const byRoute = await a.caller.analytics.overview({ ...a.base, ...hourRange, routeId: a.r1.id });
    expect(byRoute.current).toMatchObject({ requests: 12, errors: 2, quality: 0.75 });
    const byAgent = await a.caller.analytics.overview({ ...a.base, ...hourRange, agentId: a.alpha.id });
    expect(byAgent.current).toMatchObject({ requests: 13, errors: 0 });
    const byKey = await a.caller.analytics.overview({ ...a.base, ...hourRange, keyId: a.key.id });
    expect(byKey.current).toMatchObject({ requests: 12, quality: null, feedbackCount: 0 });
  });

  it("never shows one organization's numbers to another, and refuses its ids as filters", async () => {
    const a = await world("a");
    const b = await world("b");
    await seedMinutes(a);
    await insertRollupMinute([{ orgId: b.org.id, bucket: at(T0 + 5 * MIN), routeId: b.r1.id, agentId: b.alpha.id, requests: 7 }]);
    const seen = await b.caller.analytics.overview({ ...b.base, ...hourRange });
    expect(seen.current).toMatchObject({ requests: 7, quality: null });
    expect(seen.previous.requests).toBe(0);

    await expectTRPCError(b.caller.analytics.overview({ ...b.base, ...hourRange, routeId: a.r1.id }), "NOT_FOUND", "Route not found");
    await expectTRPCError(b.caller.analytics.timeseries({ ...b.base, ...hourRange, metric: "requests", agentId: a.alpha.id }), "NOT_FOUND", "Agent not found");
    await expectTRPCError(b.caller.analytics.breakdown({ ...b.base, ...hourRange, by: "route", keyId: a.key.id }), "NOT_FOUND", "API key not found");
    await expectTRPCError(b.caller.analytics.overview({ ...a.base, ...hourRange }), "NOT_FOUND");
  });

  it("is open to viewers", async () => {
    const a = await world("a");
    await seedMinutes(a);
    const viewer = await createMember(a.org, "VIEWER");
    const seen = await callerFor(viewer.user).analytics.overview({ ...a.base, ...hourRange });
    expect(seen.current.requests).toBe(15);
  });

  it("reads the hour table beyond 6 hours, and the minute table when asked for up to 2 days", async () => {
    const a = await world("a");
    await insertRollupHour([
      { orgId: a.org.id, bucket: at(T0), routeId: a.r1.id, agentId: a.alpha.id, requests: 40 },
      { orgId: a.org.id, bucket: at(T0 + 5 * HOUR), routeId: a.r1.id, agentId: a.alpha.id, requests: 2 },
    ]);
    await insertRollupMinute([{ orgId: a.org.id, bucket: at(T0 + MIN), routeId: a.r1.id, agentId: a.alpha.id, requests: 9 }]);
    const range = { from: at(T0), to: at(T0 + 7 * HOUR) };
    const hourly = await a.caller.analytics.overview({ ...a.base, ...range });
    expect(hourly.range).toMatchObject({ resolution: "hour", stepMs: HOUR });
    expect(hourly.current.requests).toBe(42);
    const minutely = await a.caller.analytics.overview({ ...a.base, ...range, resolution: "minute" });
    expect(minutely.current.requests).toBe(9);
    // A range that does not start on a bucket is widened to whole buckets.
    const odd = await a.caller.analytics.overview({ ...a.base, from: at(T0 + 30 * MIN), to: at(T0 + 8 * HOUR) });
    expect(odd.range).toMatchObject({ from: at(T0), to: at(T0 + 8 * HOUR) });
  });
});

describe("day resolution", () => {
  /** Hour rows over 30 days (and a day either side), and the day rows the rollup would sum from them. */
  async function seedMonth(w: World, start: number) {
    const hours: RollupRowInput[] = [];
    for (let d = -1; d <= 30; d++) {
      for (const [h, route, agent, latency] of [
        [3, w.r1, w.alpha, 80],
        [14, w.r1, w.beta, 900],
        [22, w.r2, w.alpha, 40 + d],
      ] as const) {
        const latencyMs = new Array<number>(3 + ((d + 4) % 4)).fill(latency);
        hours.push({ orgId: w.org.id, bucket: at(start + d * DAY + h * HOUR), routeId: route.id, agentId: agent.id, latencyMs, costUsd: 0.25, tokensIn: 10 });
      }
      hours.push({ orgId: w.org.id, bucket: at(start + d * DAY + 9 * HOUR), routeId: w.r2.id, agentId: w.beta.id, statusClass: 5, requests: 1 + ((d + 3) % 3), latencyMs: 3000 });
    }
    const days = new Map<string, RollupRowInput & { latencyMs: number[] }>();
    for (const r of hours) {
      const bucket = Math.floor(r.bucket.getTime() / DAY) * DAY;
      const k = [bucket, r.routeId, r.agentId, r.statusClass ?? 2].join("|");
      const latencies = Array.isArray(r.latencyMs) ? r.latencyMs : new Array<number>(r.requests!).fill(r.latencyMs!);
      const e = days.get(k) ?? { ...r, bucket: at(bucket), requests: 0, latencyMs: [], costUsd: 0, tokensIn: 0 };
      e.requests! += latencies.length;
      e.latencyMs.push(...latencies);
      e.costUsd! += r.costUsd ?? 0;
      e.tokensIn! += r.tokensIn ?? 0;
      days.set(k, e);
    }
    await insertRollupHour(hours);
    await insertRollupDay([...days.values()]);
    const scores = (d: number) => [1, d % 2 === 0 ? 0.5 : 0];
    const quality = Array.from({ length: 32 }, (_, i) => i - 1);
    await insertQualityHour(quality.map((d) => ({ orgId: w.org.id, bucket: at(start + d * DAY + 5 * HOUR), routeId: w.r1.id, agentId: w.alpha.id, scores: scores(d) })));
    await insertQualityDay(quality.map((d) => ({ orgId: w.org.id, bucket: at(start + d * DAY), routeId: w.r1.id, agentId: w.alpha.id, scores: scores(d) })));
  }

  it("reads day rows beyond 7 days, aligned to UTC days, with the same totals as the hour rows", async () => {
    const a = await world("a");
    const start = Date.UTC(2026, 1, 1);
    await seedMonth(a, start);
    // Not on midnights: widened to whole UTC days.
    const range = { from: at(start + 7 * HOUR), to: at(start + 29 * DAY + 20 * HOUR) };
    const daily = await a.caller.analytics.overview({ ...a.base, ...range });
    expect(daily.range).toEqual({ from: at(start), to: at(start + 30 * DAY), resolution: "day", stepMs: DAY });
    const aligned = { from: at(start), to: at(start + 30 * DAY), resolution: "hour" as const };
    const hourly = await a.caller.analytics.overview({ ...a.base, ...aligned });
    expect(hourly.range.resolution).toBe("hour");
    expect(daily.current.requests).toBeGreaterThan(0);
    expect(daily.previous.requests).toBeGreaterThan(0);
    for (const part of ["current", "previous"] as const) {
      expect({ ...daily[part], costUsd: 0 }).toEqual({ ...hourly[part], costUsd: 0 });
      expect(daily[part].costUsd).toBeCloseTo(hourly[part].costUsd, 9);
    }

    const series = await a.caller.analytics.timeseries({ ...a.base, ...range, metric: "requests", groupBy: "route" });
    expect(series).toMatchObject({ resolution: "day", stepMs: DAY });
    expect(series.series[0]!.points).toHaveLength(30);
    expect(series.series[0]!.points.map((p) => p.t)).toEqual(Array.from({ length: 30 }, (_, i) => start + i * DAY));
    const sumOf = (s: typeof series) => s.series.flatMap((x) => x.points).reduce((n, p) => n + (p.value ?? 0), 0);
    const hourSeries = await a.caller.analytics.timeseries({ ...a.base, ...aligned, metric: "requests", groupBy: "route" });
    expect(sumOf(series)).toBe(sumOf(hourSeries));
    expect(sumOf(series)).toBe(daily.current.requests);
    const p95 = await a.caller.analytics.timeseries({ ...a.base, ...range, metric: "p95", resolution: "day" });
    expect(p95.series[0]!.points[0]!.value).not.toBeNull();

    const breakdown = await a.caller.analytics.breakdown({ ...a.base, ...range, by: "agent" });
    const hourBreakdown = await a.caller.analytics.breakdown({ ...a.base, ...aligned, by: "agent" });
    expect(breakdown.rows.map((r) => ({ ...r, costUsd: 0 }))).toEqual(hourBreakdown.rows.map((r) => ({ ...r, costUsd: 0 })));
  });

  it("takes day as a resolution on any range", async () => {
    const a = await world("a");
    const start = Date.UTC(2026, 1, 1);
    await seedMonth(a, start);
    const day = await a.caller.analytics.timeseries({ ...a.base, from: at(start + 2 * DAY + HOUR), to: at(start + 2 * DAY + 3 * HOUR), metric: "requests", resolution: "day" });
    expect(day).toMatchObject({ resolution: "day", stepMs: DAY });
    expect(day.series[0]!.points).toEqual([{ t: start + 2 * DAY, value: 3 * 5 + 3 }]);
  });
});

describe("analytics validation", () => {
  it("explains a bad range, a bad resolution and an unknown metric, naming the field", async () => {
    const a = await world("a");
    const { caller, base } = a;
    let { shape } = await expectTRPCError(caller.analytics.overview({ ...base, from: at(T0), to: at(T0 - MIN) }), "BAD_REQUEST", "The end of the range must be after its start");
    expect(shape.data.fieldErrors).toEqual({ to: ["The end of the range must be after its start"] });
    ({ shape } = await expectTRPCError(caller.analytics.heatmap({ ...base, from: at(T0 - 401 * 24 * HOUR), to: at(T0) }), "BAD_REQUEST", "A range is at most 400 days"));
    await expectTRPCError(caller.analytics.overview({ ...base, from: at(Date.UTC(2019, 11, 31)), to: at(T0) }), "BAD_REQUEST", "from: Analytics start on 1 January 2020");
    await expectTRPCError(caller.analytics.overview({ ...base, from: at(T0), to: at(T0 + 3 * 24 * HOUR), resolution: "minute" }), "BAD_REQUEST", "resolution: Minute resolution is for ranges up to 2 days");
    ({ shape } = await expectTRPCError(
      caller.analytics.timeseries({ ...base, ...hourRange, metric: "latency" as never }),
      "BAD_REQUEST",
      "metric: Metric must be one of requests, errors",
    ));
    expect(Object.keys(shape.data.fieldErrors ?? {})).toEqual(["metric"]);
    await expectTRPCError(caller.analytics.timeseries({ ...base, ...hourRange, metric: "requests", limit: 11 }), "BAD_REQUEST", "limit");
    await expectTRPCError(caller.analytics.timeseries({ ...base, ...hourRange, metric: "quality", groupBy: "key" }), "BAD_REQUEST", "groupBy");
    await expectTRPCError(caller.analytics.breakdown({ ...base, ...hourRange, by: "model" as never }), "BAD_REQUEST", "by:");
  });
});

describe("analytics.timeseries", () => {
  const tenMinutes = { from: at(T0), to: at(T0 + 10 * MIN) };

  it("has every bucket of the range: counts 0 and ratios null where there was no traffic", async () => {
    const a = await world("a");
    await seedMinutes(a);
    const requests = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "requests" });
    expect(requests.resolution).toBe("minute");
    expect(requests.stepMs).toBe(MIN);
    expect(requests.series).toHaveLength(1);
    const [total] = requests.series;
    expect(total!.key).toBe("total");
    expect(total!.points.map((p) => p.t)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * MIN));
    expect(total!.points.map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 10, 2, 3, 0, 0]);

    const rate = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "errorRate" });
    expect(rate.series[0]!.points.map((p) => p.value)).toEqual([null, null, null, null, null, 0, 1, 0, null, null]);
    const p95 = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "p95" });
    expect(p95.series[0]!.points[6]!.value).toBe(bucketValueMs(bucketOf(1000)));
    expect(p95.series[0]!.points[0]!.value).toBeNull();
    const tokens = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "tokens" });
    expect(tokens.series[0]!.points[5]!.value).toBe(300);
    const quality = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "quality" });
    expect(quality.series[0]!.points[5]!.value).toBe(0.75);
    expect(quality.series[0]!.points[6]!.value).toBeNull();
  });

  it("groups by route, agent or key with labels, folding the rest into 'other'", async () => {
    const a = await world("a");
    await seedMinutes(a);
    const top1 = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "requests", groupBy: "route", limit: 1 });
    expect(top1.series.map((s) => [s.key, s.label])).toEqual([
      [a.r1.id, `${a.r1.name} (${a.r1.alias})`],
      ["__other__", "Other"],
    ]);
    expect(top1.series[0]!.points.map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 10, 2, 0, 0, 0]);
    expect(top1.series[1]!.points.map((p) => p.value)).toEqual([0, 0, 0, 0, 0, 0, 0, 3, 0, 0]);

    const agents = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "errors", groupBy: "agent" });
    expect(agents.series.map((s) => s.label)).toEqual([a.alpha.name, a.beta.name]);
    expect(agents.series[1]!.points[6]!.value).toBe(2);

    const keys = await a.caller.analytics.timeseries({ ...a.base, ...tenMinutes, metric: "requests", groupBy: "key" });
    expect(keys.series.map((s) => s.label)).toEqual([`${a.key.name} (${a.key.prefix}…)`, "No key"]);
  });

  it("reads hourly buckets over a long range", async () => {
    const a = await world("a");
    await insertRollupHour([{ orgId: a.org.id, bucket: at(T0 + 2 * HOUR), requests: 5, costUsd: 1.5 }]);
    const cost = await a.caller.analytics.timeseries({ ...a.base, from: at(T0), to: at(T0 + 24 * HOUR), metric: "cost" });
    expect(cost.stepMs).toBe(HOUR);
    expect(cost.series[0]!.points).toHaveLength(24);
    expect(cost.series[0]!.points[2]).toEqual({ t: T0 + 2 * HOUR, value: 1.5 });
  });
});

describe("analytics.breakdown", () => {
  it("lists agents by requests with share, previous requests and names, or sorted by p95", async () => {
    const a = await world("a");
    await seedMinutes(a);
    const { rows } = await a.caller.analytics.breakdown({ ...a.base, ...hourRange, by: "agent" });
    expect(rows.map((r) => [r.name, r.requests, r.share, r.previousRequests])).toEqual([
      [a.alpha.name, 13, 13 / 15, 4],
      [a.beta.name, 2, 2 / 15, 0],
    ]);
    expect(rows[0]).toMatchObject({ id: a.alpha.id, errorRate: 0, quality: 0.75, ttftP95Ms: bucketValueMs(bucketOf(50)) });
    expect(rows[1]).toMatchObject({ id: a.beta.id, errorRate: 1, p95Ms: bucketValueMs(bucketOf(1000)), quality: null, ttftP95Ms: null });
    expect(rows[1]!.costUsd).toBeCloseTo(0.1, 10);

    const byP95 = await a.caller.analytics.breakdown({ ...a.base, ...hourRange, by: "agent", sort: "p95", limit: 1 });
    expect(byP95.rows.map((r) => r.id)).toEqual([a.beta.id]);

    const byKey = await a.caller.analytics.breakdown({ ...a.base, ...hourRange, by: "key" });
    expect(byKey.rows.map((r) => [r.id, r.name, r.requests])).toEqual([
      [a.key.id, `${a.key.name} (${a.key.prefix}…)`, 12],
      ["", "No key", 3],
    ]);
  });
});

describe("analytics.heatmap", () => {
  it("has all 168 weekday × hour cells (Monday first, UTC) from the hour table", async () => {
    const a = await world("a");
    const sunday = Date.UTC(2026, 2, 8, 23);
    await insertRollupHour([
      { orgId: a.org.id, bucket: at(T0), requests: 5 },
      { orgId: a.org.id, bucket: at(T0 + 7 * 24 * HOUR), requests: 6 },
      { orgId: a.org.id, bucket: at(sunday), requests: 3 },
    ]);
    const { cells, max } = await a.caller.analytics.heatmap({ ...a.base, from: at(T0), to: at(T0 + 14 * 24 * HOUR) });
    expect(cells).toHaveLength(168);
    expect(cells[0]).toEqual({ weekday: 0, hour: 0, requests: 0 });
    expect(cells.find((c) => c.weekday === 0 && c.hour === 10)!.requests).toBe(11);
    expect(cells.find((c) => c.weekday === 6 && c.hour === 23)!.requests).toBe(3);
    expect(cells.reduce((n, c) => n + c.requests, 0)).toBe(14);
    expect(max).toBe(11);
  });
});

describe("analytics.recommendations", () => {
  it("speaks from the rollups with evidence, and stays quiet on little traffic", async () => {
    const a = await world("a");
    const range = { from: at(T0), to: at(T0 + 24 * HOUR) };
    expect((await a.caller.analytics.recommendations({ ...a.base, ...range })).items).toEqual([]);
    await insertRollupHour([
      { orgId: a.org.id, bucket: at(T0), routeId: a.r1.id, agentId: a.alpha.id, requests: 90, latencyMs: 100, costUsd: 0.3, retries: 20 },
      { orgId: a.org.id, bucket: at(T0), routeId: a.r1.id, agentId: a.alpha.id, statusClass: 5, requests: 10, latencyMs: 100 },
      { orgId: a.org.id, bucket: at(T0), routeId: a.r1.id, agentId: a.beta.id, requests: 100, latencyMs: 400, costUsd: 0.1 },
    ]);
    await insertQualityHour([
      { orgId: a.org.id, bucket: at(T0), routeId: a.r1.id, agentId: a.alpha.id, scores: new Array<number>(20).fill(0.8) },
      { orgId: a.org.id, bucket: at(T0), routeId: a.r1.id, agentId: a.beta.id, scores: new Array<number>(20).fill(0.82) },
    ]);
    const { items } = await a.caller.analytics.recommendations({ ...a.base, ...range });
    expect(items.map((i) => [i.kind, i.severity, i.agentId])).toEqual([
      ["error-rate", "warning", a.alpha.id],
      ["latency-gap", "warning", a.beta.id],
      ["retries", "warning", a.alpha.id],
      ["cost-per-success", "info", a.alpha.id],
    ]);
    const errors = items.find((i) => i.kind === "error-rate")!;
    expect(errors.evidence).toMatchObject({ errors: 10, requests: 100, errorRate: 0.1 });
    expect(errors.title).toBe(`${a.alpha.name} fails 10% of requests`);
    const retries = items.find((i) => i.kind === "retries")!;
    expect(retries.title).toBe(`${a.r1.name} (${a.r1.alias}) retries 20% of requests to ${a.alpha.name}`);
  });
});

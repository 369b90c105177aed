import { Prisma } from "@/server/generated/prisma/client";
import type { OrgContext } from "@/server/trpc/init";
import { notFound } from "@/server/errors/domain-error";
import { HIST_BUCKETS, quantile } from "./histogram";
import { recommend, type PairStats } from "./recommendations";
import {
  AUTO_HOUR_MAX_MS,
  AUTO_MINUTE_MAX_MS,
  HOUR_MS,
  OTHER_KEY,
  stepMsOf,
  TOTAL_KEY,
  type BreakdownInput,
  type BreakdownRow,
  type Dimension,
  type Heatmap,
  type Metric,
  type Overview,
  type RangeInput,
  type RangeView,
  type Recommendation,
  type Resolution,
  type Summary,
  type Timeseries,
  type TimeseriesInput,
} from "./schema";

// Every query here reads telemetry.rollup_{minute,hour,day} and telemetry.quality_{minute,hour,day}
// for one organization and a bucket range, so Postgres walks the (org_id, bucket, …) primary key.
// Time series read the table of their resolution; totals over a range (overview, breakdown, top-N,
// recommendations) read the fewest rows that add up to the same numbers (see segmentsOf).

type Filters = Pick<RangeInput, "routeId" | "agentId" | "keyId">;
type RangeOptions = { ctx: OrgContext } & RangeInput;

/** The buckets a query covers: [start, end), aligned outwards to whole steps (days: UTC midnights). */
export interface Window {
  start: number;
  end: number;
  resolution: Resolution;
  stepMs: number;
}

export function windowOf(range: { from: Date; to: Date; resolution?: Resolution }): Window {
  const span = range.to.getTime() - range.from.getTime();
  const resolution = range.resolution ?? (span <= AUTO_MINUTE_MAX_MS ? "minute" : span <= AUTO_HOUR_MAX_MS ? "hour" : "day");
  const stepMs = stepMsOf[resolution];
  return {
    start: Math.floor(range.from.getTime() / stepMs) * stepMs,
    end: Math.ceil(range.to.getTime() / stepMs) * stepMs,
    resolution,
    stepMs,
  };
}

/** A piece of a range read from one table: [start, end), on that table's bucket boundaries. */
export interface Segment {
  resolution: Resolution;
  start: number;
  end: number;
}

const COARSER: Record<Resolution, Resolution | null> = { minute: "hour", hour: "day", day: null };

/**
 * [start, end) as the fewest rollup rows: the whole UTC days inside it from the day table, the whole
 * hours left at either edge from the hour table, the minutes left from the minute table, never finer
 * than `finest` (start and end must be on its step), in time order. The rollup job writes a day row
 * as the sum of its hour rows and an hour row as the sum of its minute rows, in the same transaction
 * (./rollup), so sums and merged histograms over the segments equal those over the finest rows: a
 * 7-day range reads 7 days of day rows and at most 2 × 23 hours of hour rows instead of 168 hours.
 */
export function segmentsOf(start: number, end: number, finest: Resolution): Segment[] {
  const step = stepMsOf[finest];
  if (start % step !== 0 || end % step !== 0) throw new Error(`segmentsOf: [${start}, ${end}) is not on whole ${finest}s`);
  if (!(end > start)) return [];
  const coarser = COARSER[finest];
  if (!coarser) return [{ resolution: finest, start, end }];
  const coarseStep = stepMsOf[coarser];
  const lo = Math.ceil(start / coarseStep) * coarseStep;
  const hi = Math.floor(end / coarseStep) * coarseStep;
  if (lo >= hi) return [{ resolution: finest, start, end }];
  return [
    ...(start < lo ? [{ resolution: finest, start, end: lo }] : []),
    ...segmentsOf(lo, hi, coarser),
    ...(hi < end ? [{ resolution: finest, start: hi, end }] : []),
  ];
}

/**
 * The segments totals over [start, end) of a window are read from. Minute windows (up to 6 hours,
 * or 2 days when asked for) stay on the minute table, as they always did: they are cheap already.
 */
function totalsOf(w: Window, start = w.start, end = w.end): Segment[] {
  return w.resolution === "minute" ? [{ resolution: "minute", start, end }] : segmentsOf(start, end, w.resolution);
}

function rangeView(w: Window): RangeView {
  return { from: new Date(w.start), to: new Date(w.end), resolution: w.resolution, stepMs: w.stepMs };
}

// ---------------------------------------------------------------------------------------------
// SQL pieces

const ROLLUP: Record<Resolution, Prisma.Sql> = {
  minute: Prisma.raw("telemetry.rollup_minute"),
  hour: Prisma.raw("telemetry.rollup_hour"),
  day: Prisma.raw("telemetry.rollup_day"),
};
const QUALITY: Record<Resolution, Prisma.Sql> = {
  minute: Prisma.raw("telemetry.quality_minute"),
  hour: Prisma.raw("telemetry.quality_hour"),
  day: Prisma.raw("telemetry.quality_day"),
};
const COLUMN: Record<Dimension, Prisma.Sql> = { route: Prisma.raw("route_id"), agent: Prisma.raw("agent_id"), key: Prisma.raw("api_key_id") };

/** Epoch milliseconds as a timestamptz, exact whatever the session's time zone. */
const at = (ms: number) => Prisma.sql`(timestamptz 'epoch' + ${ms}::int8 * interval '1 millisecond')`;
const epochMs = Prisma.sql`(extract(epoch from bucket) * 1000)::float8`;

/**
 * The element-wise sum of a histogram column over the group, as float8[HIST_BUCKETS]. One sum per
 * position is a single pass of the aggregate; unnest … WITH ORDINALITY + GROUP BY ordinality gives
 * the same array but measured ~5× slower (200k rows: 1.77 s vs 0.30 s), because every row becomes
 * 80 rows for a hash aggregate.
 */
function histSum(column: "latency_hist" | "ttft_hist"): Prisma.Sql {
  const parts = Array.from({ length: HIST_BUCKETS }, (_, i) => Prisma.raw(`coalesce(sum(${column}[${i + 1}]), 0)`));
  return Prisma.sql`ARRAY[${Prisma.join(parts, ", ")}]::float8[]`;
}

/** The organization, the bucket range and the filters; `withKey` false for the quality tables (no key column). */
function scope(orgId: string, from: number, to: number, filters: Filters, withKey = true): Prisma.Sql {
  const parts = [Prisma.sql`org_id = ${orgId}`, Prisma.sql`bucket >= ${at(from)}`, Prisma.sql`bucket < ${at(to)}`];
  if (filters.routeId) parts.push(Prisma.sql`route_id = ${filters.routeId}`);
  if (filters.agentId) parts.push(Prisma.sql`agent_id = ${filters.agentId}`);
  if (withKey && filters.keyId) parts.push(Prisma.sql`api_key_id = ${filters.keyId}`);
  return Prisma.join(parts, " AND ");
}

/**
 * The `columns` of the rows of `segments` in the request rollups (or the quality rollups), under the
 * filters, as one relation for an outer aggregate: one bucket range of one table per branch.
 */
function rowsOf(kind: "rollup" | "quality", columns: Prisma.Sql, orgId: string, segments: Segment[], filters: Filters): Prisma.Sql {
  const tables = kind === "rollup" ? ROLLUP : QUALITY;
  // Adjacent pieces of one table are one range scan (e.g. the hours either side of the current
  // range's start, in the overview).
  const merged: Segment[] = [];
  for (const s of segments) {
    const last = merged.at(-1);
    if (last && last.resolution === s.resolution && last.end === s.start) last.end = s.end;
    else merged.push({ ...s });
  }
  const parts = merged.map((s) => Prisma.sql`SELECT ${columns} FROM ${tables[s.resolution]} WHERE ${scope(orgId, s.start, s.end, filters, kind === "rollup")}`);
  if (parts.length === 0) parts.push(Prisma.sql`SELECT ${columns} FROM ${tables.day} WHERE false`);
  return Prisma.sql`(${Prisma.join(parts, " UNION ALL ")}) AS r`;
}

const COUNT_COLUMNS = Prisma.raw("requests, errors, retries, failovers, tokens_in, tokens_out, cost_usd");
const HIST_COLUMNS = Prisma.raw("latency_hist, ttft_hist");
const QUALITY_COLUMNS = Prisma.raw("feedback_count, score_sum");

const COUNTS = Prisma.sql`
  coalesce(sum(requests), 0)::float8 AS requests,
  coalesce(sum(errors), 0)::float8 AS errors,
  coalesce(sum(retries), 0)::float8 AS retries,
  coalesce(sum(failovers), 0)::float8 AS failovers,
  coalesce(sum(tokens_in), 0)::float8 AS tokens_in,
  coalesce(sum(tokens_out), 0)::float8 AS tokens_out,
  coalesce(sum(cost_usd), 0)::float8 AS cost_usd`;

interface CountsRow {
  requests: number;
  errors: number;
  retries: number;
  failovers: number;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
}

const ratioOf = (part: number, whole: number) => (whole > 0 ? part / whole : null);

// ---------------------------------------------------------------------------------------------
// Filters and labels

/** Filters must name this organization's objects; another organization's id is not found. */
export async function assertFiltersInOrg(ctx: OrgContext, filters: Filters) {
  const orgId = ctx.org.id;
  const [route, agent, key] = await Promise.all([
    filters.routeId ? ctx.db.route.findFirst({ where: { id: filters.routeId, orgId }, select: { id: true } }) : true,
    filters.agentId ? ctx.db.agent.findFirst({ where: { id: filters.agentId, orgId }, select: { id: true } }) : true,
    filters.keyId ? ctx.db.apiKey.findFirst({ where: { id: filters.keyId, orgId }, select: { id: true } }) : true,
  ]);
  if (!route) throw notFound("Route");
  if (!agent) throw notFound("Agent");
  if (!key) throw notFound("API key");
}

const NONE_LABEL: Record<Dimension, string> = { route: "No route", agent: "No agent", key: "No key" };
const GONE_LABEL: Record<Dimension, string> = { route: "Deleted route", agent: "Deleted agent", key: "Deleted key" };

/** Display names of routes, agents or keys by id, read within the organization. */
async function labelsOf(ctx: OrgContext, dimension: Dimension, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id) => id !== "" && id !== OTHER_KEY))];
  const labels = new Map<string, string>([["", NONE_LABEL[dimension]]]);
  if (wanted.length > 0) {
    const where = { orgId: ctx.org.id, id: { in: wanted } };
    if (dimension === "route") {
      for (const r of await ctx.db.route.findMany({ where, select: { id: true, name: true, alias: true } })) labels.set(r.id, `${r.name} (${r.alias})`);
    } else if (dimension === "agent") {
      for (const a of await ctx.db.agent.findMany({ where, select: { id: true, name: true } })) labels.set(a.id, a.name);
    } else {
      for (const k of await ctx.db.apiKey.findMany({ where, select: { id: true, name: true, prefix: true } })) labels.set(k.id, `${k.name} (${k.prefix}…)`);
    }
  }
  for (const id of wanted) if (!labels.has(id)) labels.set(id, GONE_LABEL[dimension]);
  return labels;
}

// ---------------------------------------------------------------------------------------------
// Overview

interface SummaryRow extends CountsRow {
  current: boolean;
  latency_hist: number[];
  ttft_hist: number[];
}

function toSummary(row: SummaryRow | undefined, feedback: { n: number; s: number } | undefined): Summary {
  const requests = row?.requests ?? 0;
  const errors = row?.errors ?? 0;
  const latency = row?.latency_hist ?? [];
  const ttft = row?.ttft_hist ?? [];
  const feedbackCount = feedback?.n ?? 0;
  return {
    requests,
    errors,
    errorRate: ratioOf(errors, requests),
    p50Ms: quantile(latency, 0.5),
    p95Ms: quantile(latency, 0.95),
    p99Ms: quantile(latency, 0.99),
    ttftP50Ms: quantile(ttft, 0.5),
    ttftP95Ms: quantile(ttft, 0.95),
    tokensIn: row?.tokens_in ?? 0,
    tokensOut: row?.tokens_out ?? 0,
    costUsd: row?.cost_usd ?? 0,
    quality: feedbackCount > 0 ? Math.min(1, Math.max(0, (feedback?.s ?? 0) / feedbackCount)) : null,
    feedbackCount,
    retries: row?.retries ?? 0,
    failovers: row?.failovers ?? 0,
  };
}

/** Totals for the range and for the same length right before it (two statements, run together). */
export async function getOverview(opts: RangeOptions): Promise<Overview> {
  const { ctx, ...filters } = opts;
  await assertFiltersInOrg(ctx, filters);
  const w = windowOf(opts);
  const previousStart = w.start - (w.end - w.start);
  // Split at w.start, so no day row holds both ranges and a row's bucket tells which one it is in.
  const segments = [...totalsOf(w, previousStart, w.start), ...totalsOf(w)];
  const isCurrent = Prisma.sql`bucket >= ${at(w.start)}`;
  const [rows, feedback] = await Promise.all([
    ctx.db.$queryRaw<SummaryRow[]>`
      SELECT ${isCurrent} AS current, ${COUNTS}, ${histSum("latency_hist")} AS latency_hist, ${histSum("ttft_hist")} AS ttft_hist
      FROM ${rowsOf("rollup", Prisma.sql`bucket, ${COUNT_COLUMNS}, ${HIST_COLUMNS}`, ctx.org.id, segments, filters)}
      GROUP BY 1`,
    // Feedback carries no key, so under a key filter there is no quality to tell.
    filters.keyId
      ? Promise.resolve([])
      : ctx.db.$queryRaw<{ current: boolean; n: number; s: number }[]>`
          SELECT ${isCurrent} AS current, sum(feedback_count)::float8 AS n, sum(score_sum)::float8 AS s
          FROM ${rowsOf("quality", Prisma.sql`bucket, ${QUALITY_COLUMNS}`, ctx.org.id, segments, filters)}
          GROUP BY 1`,
  ]);
  const pick = <T extends { current: boolean }>(list: T[], current: boolean) => list.find((r) => r.current === current);
  return {
    range: rangeView(w),
    current: toSummary(pick(rows, true), pick(feedback, true)),
    previous: toSummary(pick(rows, false), pick(feedback, false)),
  };
}

// ---------------------------------------------------------------------------------------------
// Time series

const PERCENTILE: Partial<Record<Metric, { column: "latency_hist" | "ttft_hist"; q: number }>> = {
  p50: { column: "latency_hist", q: 0.5 },
  p95: { column: "latency_hist", q: 0.95 },
  p99: { column: "latency_hist", q: 0.99 },
  ttftP50: { column: "ttft_hist", q: 0.5 },
  ttftP95: { column: "ttft_hist", q: 0.95 },
};

interface PointRow extends Partial<CountsRow> {
  t: number;
  g: string;
  hist?: number[];
  n?: number;
  s?: number;
}

/** The value of one bucket of one series; what an empty bucket shows (0 or null) follows from it. */
function valueOf(metric: Metric, row: PointRow | undefined): number | null {
  const requests = row?.requests ?? 0;
  const percentile = PERCENTILE[metric];
  if (percentile) return quantile(row?.hist ?? [], percentile.q);
  switch (metric) {
    case "requests":
      return requests;
    case "errors":
      return row?.errors ?? 0;
    case "errorRate":
      return ratioOf(row?.errors ?? 0, requests);
    case "tokens":
      return (row?.tokens_in ?? 0) + (row?.tokens_out ?? 0);
    case "cost":
      return row?.cost_usd ?? 0;
    case "quality":
      return row?.n ? (row.s ?? 0) / row.n : null;
    default:
      return null;
  }
}

const METRIC_LABEL: Record<Metric, string> = {
  requests: "Requests",
  errors: "Errors",
  errorRate: "Error rate",
  p50: "Latency p50",
  p95: "Latency p95",
  p99: "Latency p99",
  ttftP50: "Time to first token p50",
  ttftP95: "Time to first token p95",
  tokens: "Tokens",
  cost: "Cost",
  quality: "Quality",
};

/**
 * One series per group, every bucket of the range present. Grouped: the top `limit` groups by
 * requests (one statement), then the values with the rest folded into "other" (a second one).
 */
export async function getTimeseries(opts: { ctx: OrgContext } & TimeseriesInput): Promise<Timeseries> {
  const { ctx, metric, groupBy, limit, ...filters } = opts;
  await assertFiltersInOrg(ctx, filters);
  const w = windowOf(opts);
  const orgId = ctx.org.id;
  const dimension = groupBy === "none" ? null : groupBy;

  let top: { g: string; requests: number }[] = [];
  if (dimension) {
    top = await ctx.db.$queryRaw<{ g: string; requests: number }[]>`
      SELECT ${COLUMN[dimension]} AS g, sum(requests)::float8 AS requests
      FROM ${rowsOf("rollup", Prisma.sql`${COLUMN[dimension]}, requests`, orgId, totalsOf(w), filters)}
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`;
  }
  const topKeys = top.map((r) => r.g);
  const group = dimension
    ? Prisma.sql`CASE WHEN ${COLUMN[dimension]} = ANY(${topKeys}::text[]) THEN ${COLUMN[dimension]} ELSE ${OTHER_KEY} END`
    : Prisma.sql`${TOTAL_KEY}::text`;

  let rows: PointRow[] = [];
  if (metric === "quality") {
    // Feedback carries no key, so under a key filter there is no quality to tell.
    if (!filters.keyId) {
      rows = await ctx.db.$queryRaw<PointRow[]>`
        SELECT ${epochMs} AS t, ${group} AS g, sum(feedback_count)::float8 AS n, sum(score_sum)::float8 AS s
        FROM ${QUALITY[w.resolution]}
        WHERE ${scope(orgId, w.start, w.end, filters, false)}
        GROUP BY 1, 2`;
    }
  } else {
    const percentile = PERCENTILE[metric];
    const hist = percentile ? Prisma.sql`, ${histSum(percentile.column)} AS hist` : Prisma.empty;
    rows = await ctx.db.$queryRaw<PointRow[]>`
      SELECT ${epochMs} AS t, ${group} AS g, ${COUNTS}${hist}
      FROM ${ROLLUP[w.resolution]}
      WHERE ${scope(orgId, w.start, w.end, filters)}
      GROUP BY 1, 2`;
  }

  const byGroup = new Map<string, Map<number, PointRow>>();
  for (const row of rows) {
    let points = byGroup.get(row.g);
    if (!points) byGroup.set(row.g, (points = new Map()));
    points.set(row.t, row);
  }
  const keys = dimension ? [...topKeys, ...(byGroup.has(OTHER_KEY) ? [OTHER_KEY] : [])] : [TOTAL_KEY];
  const labels = dimension ? await labelsOf(ctx, dimension, topKeys) : new Map([[TOTAL_KEY, METRIC_LABEL[metric]]]);
  labels.set(OTHER_KEY, "Other");

  const times: number[] = [];
  for (let t = w.start; t < w.end; t += w.stepMs) times.push(t);
  return {
    resolution: w.resolution,
    stepMs: w.stepMs,
    series: keys.map((key) => {
      const points = byGroup.get(key);
      return { key, label: labels.get(key) ?? key, points: times.map((t) => ({ t, value: valueOf(metric, points?.get(t)) })) };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Breakdown

interface BreakdownSqlRow extends CountsRow {
  id: string;
  previous: boolean;
  /** Null on the previous range's rows, which only count requests. */
  latency_hist: number[] | null;
  ttft_hist: number[] | null;
}

const SORTERS: Record<BreakdownInput["sort"], (r: BreakdownRow) => number> = {
  requests: (r) => r.requests,
  errorRate: (r) => r.errorRate ?? -1,
  p95: (r) => r.p95Ms ?? -1,
  cost: (r) => r.costUsd,
};

/** Feedback per route or agent over the window; none per key, nor under a key filter. */
async function feedbackBy(ctx: OrgContext, w: Window, filters: Filters, dimension: Dimension) {
  if (dimension === "key" || filters.keyId) return new Map<string, { n: number; s: number }>();
  const rows = await ctx.db.$queryRaw<{ id: string; n: number; s: number }[]>`
    SELECT ${COLUMN[dimension]} AS id, sum(feedback_count)::float8 AS n, sum(score_sum)::float8 AS s
    FROM ${rowsOf("quality", Prisma.sql`${COLUMN[dimension]}, ${QUALITY_COLUMNS}`, ctx.org.id, totalsOf(w), filters)}
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Per route, agent or key: this range's numbers and the previous range's request count in one
 * statement (the previous range's rows skip the histograms, the costly part); feedback in a second.
 */
export async function getBreakdown(opts: { ctx: OrgContext } & BreakdownInput): Promise<{ rows: BreakdownRow[] }> {
  const { ctx, by, sort, limit, ...filters } = opts;
  await assertFiltersInOrg(ctx, filters);
  const w = windowOf(opts);
  const previousStart = w.start - (w.end - w.start);
  const [rows, feedback] = await Promise.all([
    ctx.db.$queryRaw<BreakdownSqlRow[]>`
      SELECT ${COLUMN[by]} AS id, false AS previous, ${COUNTS},
        ${histSum("latency_hist")} AS latency_hist, ${histSum("ttft_hist")} AS ttft_hist
      FROM ${rowsOf("rollup", Prisma.sql`${COLUMN[by]}, ${COUNT_COLUMNS}, ${HIST_COLUMNS}`, ctx.org.id, totalsOf(w), filters)}
      GROUP BY 1
      UNION ALL
      SELECT ${COLUMN[by]}, true, ${COUNTS}, NULL, NULL
      FROM ${rowsOf("rollup", Prisma.sql`${COLUMN[by]}, ${COUNT_COLUMNS}`, ctx.org.id, totalsOf(w, previousStart, w.start), filters)}
      GROUP BY 1`,
    feedbackBy(ctx, w, filters, by),
  ]);
  const previous = new Map(rows.filter((r) => r.previous).map((r) => [r.id, r.requests]));
  const ids = new Set(rows.map((r) => r.id));
  const current = new Map(rows.filter((r) => !r.previous).map((r) => [r.id, r]));
  const total = [...current.values()].reduce((n, r) => n + r.requests, 0);
  const full = [...ids].map((id) => {
    const r = current.get(id);
    const requests = r?.requests ?? 0;
    const f = feedback.get(id);
    return {
      id,
      name: "",
      requests,
      share: total > 0 ? requests / total : 0,
      errorRate: ratioOf(r?.errors ?? 0, requests),
      p95Ms: quantile(r?.latency_hist ?? [], 0.95),
      ttftP95Ms: quantile(r?.ttft_hist ?? [], 0.95),
      costUsd: r?.cost_usd ?? 0,
      quality: f && f.n > 0 ? f.s / f.n : null,
      previousRequests: previous.get(id) ?? 0,
    } satisfies BreakdownRow;
  });
  const key = SORTERS[sort];
  full.sort((a, b) => key(b) - key(a) || b.requests - a.requests || a.id.localeCompare(b.id));
  const page = full.slice(0, limit);
  const labels = await labelsOf(ctx, by, page.map((r) => r.id));
  return { rows: page.map((r) => ({ ...r, name: labels.get(r.id) ?? r.id })) };
}

// ---------------------------------------------------------------------------------------------
// Heatmap

/** Requests by UTC weekday (0 = Monday) and hour over the range, from the hour table; all 168 cells. */
export async function getHeatmap(opts: RangeOptions): Promise<Heatmap> {
  const { ctx, ...filters } = opts;
  await assertFiltersInOrg(ctx, filters);
  const start = Math.floor(opts.from.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.ceil(opts.to.getTime() / HOUR_MS) * HOUR_MS;
  const rows = await ctx.db.$queryRaw<{ weekday: number; hour: number; requests: number }[]>`
    SELECT (extract(isodow FROM bucket AT TIME ZONE 'UTC') - 1)::int AS weekday,
      extract(hour FROM bucket AT TIME ZONE 'UTC')::int AS hour,
      sum(requests)::float8 AS requests
    FROM telemetry.rollup_hour
    WHERE ${scope(ctx.org.id, start, end, filters)}
    GROUP BY 1, 2`;
  const grid = new Map(rows.map((r) => [r.weekday * 24 + r.hour, r.requests]));
  const cells = Array.from({ length: 7 * 24 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, requests: grid.get(i) ?? 0 }));
  return { cells, max: cells.reduce((m, c) => Math.max(m, c.requests), 0) };
}

// ---------------------------------------------------------------------------------------------
// Recommendations

interface PairSqlRow {
  route_id: string;
  agent_id: string;
  requests: number;
  errors: number;
  successes: number;
  retries: number;
  failovers: number;
  cost_usd: number;
  latency_hist: number[];
}

/** Numbers per (route, agent) over the range, for the rules in recommendations.ts. */
export async function pairStats(opts: RangeOptions): Promise<PairStats[]> {
  const { ctx, ...filters } = opts;
  const w = windowOf(opts);
  const [rows, feedback] = await Promise.all([
    ctx.db.$queryRaw<PairSqlRow[]>`
      SELECT route_id, agent_id,
        sum(requests)::float8 AS requests,
        sum(errors)::float8 AS errors,
        coalesce(sum(requests) FILTER (WHERE status_class = 2), 0)::float8 AS successes,
        sum(retries)::float8 AS retries,
        sum(failovers)::float8 AS failovers,
        sum(cost_usd)::float8 AS cost_usd,
        ${histSum("latency_hist")} AS latency_hist
      FROM ${rowsOf("rollup", Prisma.sql`route_id, agent_id, status_class, ${COUNT_COLUMNS}, latency_hist`, ctx.org.id, totalsOf(w), filters)}
      GROUP BY 1, 2`,
    filters.keyId
      ? Promise.resolve([])
      : ctx.db.$queryRaw<{ route_id: string; agent_id: string; n: number; s: number }[]>`
          SELECT route_id, agent_id, sum(feedback_count)::float8 AS n, sum(score_sum)::float8 AS s
          FROM ${rowsOf("quality", Prisma.sql`route_id, agent_id, ${QUALITY_COLUMNS}`, ctx.org.id, totalsOf(w), filters)}
          GROUP BY 1, 2`,
  ]);
  const quality = new Map(feedback.map((f) => [`${f.route_id}\u0000${f.agent_id}`, f]));
  return rows.map((r) => {
    const f = quality.get(`${r.route_id}\u0000${r.agent_id}`);
    return {
      routeId: r.route_id,
      agentId: r.agent_id,
      requests: r.requests,
      errors: r.errors,
      successes: r.successes,
      retries: r.retries,
      failovers: r.failovers,
      costUsd: r.cost_usd,
      p95Ms: quantile(r.latency_hist, 0.95),
      quality: f && f.n > 0 ? f.s / f.n : null,
      feedbackCount: f?.n ?? 0,
    };
  });
}

export async function getRecommendations(opts: RangeOptions): Promise<{ items: Recommendation[] }> {
  const { ctx } = opts;
  await assertFiltersInOrg(ctx, opts);
  const pairs = await pairStats(opts);
  const [routes, agents] = await Promise.all([
    labelsOf(ctx, "route", pairs.map((p) => p.routeId)),
    labelsOf(ctx, "agent", pairs.map((p) => p.agentId)),
  ]);
  return { items: recommend({ pairs, routeNames: routes, agentNames: agents }) };
}

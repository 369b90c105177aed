import type { Tx } from "@/server/db";
import { emptyHistogram, mergeInto, quantile } from "@/server/analytics/histogram";
import type { Metric } from "./schema";

export const MINUTE_MS = 60_000;

/** One minute of a scope, summed over its rollup rows. */
export interface MinuteTotals {
  requests: number;
  errors: number;
  costUsd: number;
  latencyHist: number[];
  ttftHist: number[];
  feedbackCount: number;
  scoreSum: number;
}

export interface Scope {
  orgId: string;
  routeId: string | null;
  agentId: string | null;
}

const emptyTotals = (): MinuteTotals => ({
  requests: 0,
  errors: 0,
  costUsd: 0,
  latencyHist: emptyHistogram(),
  ttftHist: emptyHistogram(),
  feedbackCount: 0,
  scoreSum: 0,
});

/** The start of the newest complete minute at `now` (a minute is complete once it has ended a minute ago). */
export function lastCompleteMinute(now: number): number {
  return Math.floor((now - MINUTE_MS - 1) / MINUTE_MS) * MINUTE_MS;
}

/**
 * Per-minute totals of a scope from the rollups, from `from` to `to` (minute starts, inclusive).
 * Minutes without rows are absent from the map: no traffic.
 */
export async function readMinutes(opts: { db: Tx; scope: Scope; from: number; to: number; withQuality: boolean }): Promise<Map<number, MinuteTotals>> {
  const { db, scope } = opts;
  const from = new Date(opts.from);
  const to = new Date(opts.to);
  const route = scope.routeId ?? "";
  const agent = scope.agentId ?? "";
  const rows = await db.$queryRaw<
    { bucket: Date; requests: number; errors: number; cost_usd: number; latency_hist: number[]; ttft_hist: number[] }[]
  >`SELECT bucket, requests, errors, cost_usd, latency_hist, ttft_hist
      FROM telemetry.rollup_minute
     WHERE org_id = ${scope.orgId} AND bucket >= ${from} AND bucket <= ${to}
       AND (${route} = '' OR route_id = ${route})
       AND (${agent} = '' OR agent_id = ${agent})`;
  const out = new Map<number, MinuteTotals>();
  const at = (t: number) => {
    let m = out.get(t);
    if (!m) out.set(t, (m = emptyTotals()));
    return m;
  };
  for (const r of rows) {
    const m = at(r.bucket.getTime());
    m.requests += Number(r.requests);
    m.errors += Number(r.errors);
    m.costUsd += Number(r.cost_usd);
    mergeInto(m.latencyHist, r.latency_hist);
    mergeInto(m.ttftHist, r.ttft_hist);
  }
  if (opts.withQuality) {
    const quality = await db.$queryRaw<{ bucket: Date; feedback_count: number; score_sum: number }[]>`
      SELECT bucket, feedback_count, score_sum FROM telemetry.quality_minute
       WHERE org_id = ${scope.orgId} AND bucket >= ${from} AND bucket <= ${to}
         AND (${route} = '' OR route_id = ${route})
         AND (${agent} = '' OR agent_id = ${agent})`;
    for (const q of quality) {
      const m = at(q.bucket.getTime());
      m.feedbackCount += Number(q.feedback_count);
      m.scoreSum += Number(q.score_sum);
    }
  }
  return out;
}

/**
 * The metric's value for one minute, or null when the minute says nothing about it (no requests
 * for a latency, no feedback for quality). Counts (requests, cost) are 0 in a quiet minute.
 */
export function metricValue(metric: Metric, m: MinuteTotals | undefined): number | null {
  switch (metric) {
    case "requests":
      return m?.requests ?? 0;
    case "cost":
      return m?.costUsd ?? 0;
    case "errorRate":
      return m && m.requests > 0 ? m.errors / m.requests : null;
    case "p95":
      return m ? quantile(m.latencyHist, 0.95) : null;
    case "ttftP95":
      return m ? quantile(m.ttftHist, 0.95) : null;
    case "quality":
      return m && m.feedbackCount > 0 ? m.scoreSum / m.feedbackCount : null;
  }
}

/** Which way is bad: a latency spike is, a latency drop is not; a traffic drop or surge both are. */
export function badDirection(metric: Metric): "up" | "down" | "both" {
  if (metric === "quality") return "down";
  if (metric === "requests") return "both";
  return "up";
}

export function formatMetric(metric: Metric, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "—";
  switch (metric) {
    case "errorRate":
    case "quality":
      return metric === "errorRate" ? `${(value * 100).toFixed(1)} %` : value.toFixed(2);
    case "p95":
    case "ttftP95":
      return `${Math.round(value).toLocaleString("en")} ms`;
    case "cost":
      return `$${value.toFixed(4)}/min`;
    case "requests":
      return `${Math.round(value).toLocaleString("en")} req/min`;
  }
}

/** "route Chat, agent Atlas", or "all traffic" for an organization-wide rule. */
export async function scopeLabel(db: Tx, scope: Scope): Promise<string> {
  const [route, agent] = await Promise.all([
    scope.routeId ? db.route.findFirst({ where: { id: scope.routeId, orgId: scope.orgId }, select: { name: true } }) : null,
    scope.agentId ? db.agent.findFirst({ where: { id: scope.agentId, orgId: scope.orgId }, select: { name: true } }) : null,
  ]);
  const parts = [route ? `route ${route.name}` : null, agent ? `agent ${agent.name}` : null].filter(Boolean);
  return parts.length ? parts.join(", ") : "all traffic";
}

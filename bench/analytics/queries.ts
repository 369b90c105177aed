/**
 * The dashboard's questions, each asked two ways: through the analytics service (rollups), and as
 * equivalent SQL over the raw request rows of telemetry.gateway_events (exact counts and
 * percentile_disc over latency_ms), which is what the dashboard would cost without rollups.
 *
 * The raw statements answer the same numbers over the same window (windowOf, aligned outwards to
 * whole buckets) but skip the label look-ups, a few indexed reads of routes/agents/keys.
 */
import { Prisma } from "@/server/generated/prisma/client";
import type { Db } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { getBreakdown, getHeatmap, getOverview, getTimeseries, windowOf } from "@/server/analytics/service";

export interface Question {
  name: string;
  rollup: (ctx: OrgContext, range: { from: Date; to: Date }) => Promise<unknown>;
  raw: (db: Db, orgId: string, range: { from: Date; to: Date }) => Promise<unknown>;
}

const at = (ms: number) => Prisma.sql`(timestamptz 'epoch' + ${ms}::int8 * interval '1 millisecond')`;
/** The status class the rollup files a request under (server/analytics/rollup.ts). */
const IS_5XX = Prisma.sql`(CASE WHEN status / 100 BETWEEN 1 AND 5 THEN status / 100 ELSE 5 END) = 5`;
const REQUESTS_OF = (orgId: string, from: number, to: number) =>
  Prisma.sql`org_id = ${orgId} AND kind = 'request' AND at >= ${at(from)} AND at < ${at(to)}`;

async function rawOverview(db: Db, orgId: string, range: { from: Date; to: Date }) {
  const w = windowOf(range);
  const previousStart = w.start - (w.end - w.start);
  return db.$queryRaw`
    SELECT at >= ${at(w.start)} AS current, count(*)::float8 AS requests,
      count(*) FILTER (WHERE ${IS_5XX})::float8 AS errors,
      percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS latency,
      percentile_disc(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ttft_ms) AS ttft,
      sum(tokens_in)::float8 AS tokens_in, sum(tokens_out)::float8 AS tokens_out, coalesce(sum(cost_usd), 0)::float8 AS cost_usd,
      count(*) FILTER (WHERE retry)::float8 AS retries, count(*) FILTER (WHERE failover)::float8 AS failovers
    FROM telemetry.gateway_events
    WHERE ${REQUESTS_OF(orgId, previousStart, w.end)}
    GROUP BY 1`;
}

type SeriesMetric = "requests" | "p95" | "errorRate";

/** Top 5 routes by requests, the rest as "other", one value per bucket and group. */
function rawTimeseries(metric: SeriesMetric) {
  return async (db: Db, orgId: string, range: { from: Date; to: Date }) => {
    const w = windowOf(range);
    const value =
      metric === "requests"
        ? Prisma.sql`count(*)::float8`
        : metric === "p95"
          ? Prisma.sql`percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8`
          : Prisma.sql`(count(*) FILTER (WHERE ${IS_5XX}))::float8 / count(*)`;
    return db.$queryRaw`
      WITH top AS (
        SELECT coalesce(route_id, '') AS g FROM telemetry.gateway_events
        WHERE ${REQUESTS_OF(orgId, w.start, w.end)} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 5)
      SELECT date_trunc(${w.resolution}, at, 'UTC') AS t,
        CASE WHEN coalesce(route_id, '') IN (SELECT g FROM top) THEN coalesce(route_id, '') ELSE '__other__' END AS g,
        ${value} AS value
      FROM telemetry.gateway_events
      WHERE ${REQUESTS_OF(orgId, w.start, w.end)}
      GROUP BY 1, 2`;
  };
}

async function rawBreakdownByAgent(db: Db, orgId: string, range: { from: Date; to: Date }) {
  const w = windowOf(range);
  const previousStart = w.start - (w.end - w.start);
  const current = Prisma.sql`at >= ${at(w.start)}`;
  return db.$queryRaw`
    SELECT coalesce(agent_id, '') AS id,
      count(*) FILTER (WHERE ${current})::float8 AS requests,
      count(*) FILTER (WHERE ${current} AND ${IS_5XX})::float8 AS errors,
      coalesce(sum(cost_usd) FILTER (WHERE ${current}), 0)::float8 AS cost_usd,
      count(*) FILTER (WHERE NOT ${current})::float8 AS previous_requests,
      percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE ${current}) AS p95_ms,
      percentile_disc(0.95) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE ${current}) AS ttft_p95_ms
    FROM telemetry.gateway_events
    WHERE ${REQUESTS_OF(orgId, previousStart, w.end)}
    GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`;
}

async function rawHeatmap(db: Db, orgId: string, range: { from: Date; to: Date }) {
  const hour = 3_600_000;
  const start = Math.floor(range.from.getTime() / hour) * hour;
  const end = Math.ceil(range.to.getTime() / hour) * hour;
  return db.$queryRaw`
    SELECT (extract(isodow FROM at AT TIME ZONE 'UTC') - 1)::int AS weekday, extract(hour FROM at AT TIME ZONE 'UTC')::int AS hour,
      count(*)::float8 AS requests
    FROM telemetry.gateway_events
    WHERE ${REQUESTS_OF(orgId, start, end)}
    GROUP BY 1, 2`;
}

export const QUESTIONS: Question[] = [
  { name: "overview", rollup: (ctx, range) => getOverview({ ctx, ...range }), raw: rawOverview },
  ...(["requests", "p95", "errorRate"] as const).map(
    (metric): Question => ({
      name: `timeseries ${metric} by route`,
      rollup: (ctx, range) => getTimeseries({ ctx, ...range, metric, groupBy: "route", limit: 5 }),
      raw: rawTimeseries(metric),
    }),
  ),
  {
    name: "breakdown by agent",
    rollup: (ctx, range) => getBreakdown({ ctx, ...range, by: "agent", sort: "requests", limit: 10 }),
    raw: rawBreakdownByAgent,
  },
  { name: "heatmap", rollup: (ctx, range) => getHeatmap({ ctx, ...range }), raw: rawHeatmap },
];

/** Requests and latency p95 of a range both ways, as a check that the two sides agree. */
export async function agreement(ctx: OrgContext, range: { from: Date; to: Date }) {
  const overview = await getOverview({ ctx, ...range });
  const w = windowOf(range);
  const [raw] = await ctx.db.$queryRaw<{ requests: number; p95: number | null }[]>`
    SELECT count(*)::float8 AS requests, percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95
    FROM telemetry.gateway_events WHERE ${REQUESTS_OF(ctx.org.id, w.start, w.end)}`;
  return {
    rollupRequests: overview.current.requests,
    rawRequests: raw?.requests ?? 0,
    rollupP95Ms: overview.current.p95Ms,
    rawP95Ms: raw?.p95 ?? null,
  };
}

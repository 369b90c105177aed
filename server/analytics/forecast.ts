import { Prisma } from "@/server/generated/prisma/client";
import { createDetector, forecast, update } from "@/server/anomaly";
import type { OrgContext } from "@/server/trpc/init";
import { assertFiltersInOrg } from "./service";
import { FORECAST_HISTORY_HOURS, FORECAST_TRAINING_HOURS, HOUR_MS, type Forecast, type ForecastInput } from "./schema";

// A load forecast for capacity planning: the hourly request counts of the last two weeks teach a
// fresh detector (daily and weekly seasonality), whose forecast gives the next hours with bands
// that widen with the horizon. Trained per request: 336 points cost well under a millisecond.

/**
 * Hourly points. `warmupPoints` covers the whole training window: the detector learns nothing from
 * points it flags, and with hourly steps its spread is still unknown when the default one-day
 * warm-up ends, so every later point would be flagged and the daily shape never learnt (the
 * forecast came out flat). Spikes are still clipped (Huber) while learning. Sensitivity 0.8 puts
 * the band at ±2.5σ rather than the alerting ±4σ, a range to plan capacity with.
 */
const DETECTOR = { periodMinutes: 60, warmupPoints: FORECAST_TRAINING_HOURS, sensitivity: 0.8 } as const;

/** Epoch milliseconds as a timestamptz, exact whatever the session's time zone. */
const at = (ms: number) => Prisma.sql`(timestamptz 'epoch' + ${ms}::int8 * interval '1 millisecond')`;

/**
 * Requests per hour for the scope over the 14 days before the current hour, a point per hour from
 * the first hour with traffic on: an hour without rows had no requests, which is an observation
 * the model must learn (quiet nights), not a gap. Hours before the first traffic are left out, or
 * a new route would look like a jump from a long zero baseline.
 */
export async function hourlyRequests(opts: { ctx: OrgContext; routeId?: string; agentId?: string; end: number }): Promise<{ t: number; value: number }[]> {
  const { ctx, routeId, agentId, end } = opts;
  const start = end - FORECAST_TRAINING_HOURS * HOUR_MS;
  const where = [Prisma.sql`org_id = ${ctx.org.id}`, Prisma.sql`bucket >= ${at(start)}`, Prisma.sql`bucket < ${at(end)}`];
  if (routeId) where.push(Prisma.sql`route_id = ${routeId}`);
  if (agentId) where.push(Prisma.sql`agent_id = ${agentId}`);
  const rows = await ctx.db.$queryRaw<{ t: number; requests: number }[]>`
    SELECT (extract(epoch from bucket) * 1000)::float8 AS t, sum(requests)::float8 AS requests
    FROM telemetry.rollup_hour
    WHERE ${Prisma.join(where, " AND ")}
    GROUP BY 1
    HAVING sum(requests) > 0
    ORDER BY 1`;
  if (rows.length === 0) return [];
  const byHour = new Map(rows.map((r) => [r.t, r.requests]));
  const points: { t: number; value: number }[] = [];
  for (let t = rows[0]!.t; t < end; t += HOUR_MS) points.push({ t, value: byHour.get(t) ?? 0 });
  return points;
}

/**
 * Learns the scope's hourly requests and forecasts `horizonHours` hours, starting with the current
 * hour (its rollup is still filling, so it is forecast rather than shown). Counts cannot go below
 * zero, so neither can the expected value or the band.
 */
export async function getForecast(opts: { ctx: OrgContext; now?: number } & ForecastInput): Promise<Forecast> {
  const { ctx, routeId, agentId, horizonHours } = opts;
  await assertFiltersInOrg(ctx, { routeId, agentId });
  const currentHour = Math.floor((opts.now ?? Date.now()) / HOUR_MS) * HOUR_MS;
  const series = await hourlyRequests({ ctx, routeId, agentId, end: currentHour });
  if (series.length === 0) return { stepMs: HOUR_MS, history: [], points: [] };

  const state = createDetector(DETECTOR);
  for (const p of series) update(state, p.t, p.value, DETECTOR);
  const lastHour = currentHour - HOUR_MS;
  const points = forecast(state, lastHour, horizonHours, DETECTOR).map((p) => {
    const expected = Math.max(0, p.expected);
    return { t: p.t, expected, lower: Math.min(expected, Math.max(0, p.lower)), upper: Math.max(expected, p.upper) };
  });
  return { stepMs: HOUR_MS, history: series.slice(-FORECAST_HISTORY_HOURS), points };
}

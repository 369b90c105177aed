import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";

// Analytics reads the per-minute, per-hour and per-day rollups (never raw gateway rows). Every query
// names a time range and optional filters; the resolution follows from the range unless asked for.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Ranges up to this long read the minute table; longer ones the hour table. */
export const AUTO_MINUTE_MAX_MS = 6 * HOUR_MS;
/** Ranges up to this long read the hour table; longer ones the day table (UTC days). */
export const AUTO_HOUR_MAX_MS = 7 * DAY_MS;
/** Minute resolution can be asked for on ranges up to this long (2 880 points a series). */
export const MINUTE_MAX_MS = 2 * DAY_MS;
export const RANGE_MAX_DAYS = 400;
export const EARLIEST = new Date(Date.UTC(2020, 0, 1));

export const RESOLUTIONS = ["minute", "hour", "day"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
export const resolutionSchema = z.enum(RESOLUTIONS, { message: "Resolution is minute, hour or day" });
export const stepMsOf: Record<Resolution, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

const dateSchema = (what: string) =>
  z.date({ message: `Give the ${what} of the range as a date` }).refine((d) => d.getTime() >= EARLIEST.getTime(), {
    message: "Analytics start on 1 January 2020",
  });

/** The range and filters every analytics query takes (besides the organization). */
export const rangeFields = {
  from: dateSchema("start"),
  to: dateSchema("end"),
  routeId: idSchema.optional(),
  agentId: idSchema.optional(),
  keyId: idSchema.optional(),
  /** Defaults to minute for ranges up to 6 hours, hour up to 7 days, day beyond. */
  resolution: resolutionSchema.optional(),
};

type RangeShape = { from: Date; to: Date; resolution?: Resolution };

function checkRange(r: RangeShape, ctx: z.RefinementCtx) {
  const span = r.to.getTime() - r.from.getTime();
  if (!(span > 0)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The end of the range must be after its start" });
    return;
  }
  if (span > RANGE_MAX_DAYS * DAY_MS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `A range is at most ${RANGE_MAX_DAYS} days` });
  }
  if (r.resolution === "minute" && span > MINUTE_MAX_MS) {
    ctx.addIssue({ code: "custom", path: ["resolution"], message: "Minute resolution is for ranges up to 2 days; use hour" });
  }
}

export const rangeInput = z.object(rangeFields).superRefine(checkRange);
export type RangeInput = z.output<typeof rangeInput>;

export const METRICS = ["requests", "errors", "errorRate", "p50", "p95", "p99", "ttftP50", "ttftP95", "tokens", "cost", "quality"] as const;
export type Metric = (typeof METRICS)[number];
export const metricSchema = z.enum(METRICS, { message: `Metric must be one of ${METRICS.join(", ")}` });

export const GROUP_BYS = ["none", "route", "agent", "key"] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const DIMENSIONS = ["route", "agent", "key"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const timeseriesInput = z
  .object({
    ...rangeFields,
    metric: metricSchema,
    groupBy: z.enum(GROUP_BYS, { message: "Group by none, route, agent or key" }).default("none"),
    limit: z.number().int().min(1, "Show 1–10 groups").max(10, "Show 1–10 groups").default(5),
  })
  .superRefine((r, ctx) => {
    checkRange(r, ctx);
    if (r.metric === "quality" && r.groupBy === "key") {
      ctx.addIssue({ code: "custom", path: ["groupBy"], message: "Quality feedback is recorded per route and agent, not per key" });
    }
  });
export type TimeseriesInput = z.output<typeof timeseriesInput>;

export const BREAKDOWN_SORTS = ["requests", "errorRate", "p95", "cost"] as const;
export type BreakdownSort = (typeof BREAKDOWN_SORTS)[number];

export const breakdownInput = z
  .object({
    ...rangeFields,
    by: z.enum(DIMENSIONS, { message: "Break down by agent, route or key" }),
    sort: z.enum(BREAKDOWN_SORTS, { message: "Sort by requests, errorRate, p95 or cost" }).default("requests"),
    limit: z.number().int().min(1, "Show 1–50 rows").max(50, "Show 1–50 rows").default(10),
  })
  .superRefine(checkRange);
export type BreakdownInput = z.output<typeof breakdownInput>;

// ---------------------------------------------------------------------------------------------
// Outputs

const ms = z.number().nullable();
const ratio = z.number().min(0).max(1).nullable();

export const summary = z.object({
  requests: z.number(),
  errors: z.number(),
  /** errors / requests; null without requests. */
  errorRate: ratio,
  p50Ms: ms,
  p95Ms: ms,
  p99Ms: ms,
  ttftP50Ms: ms,
  ttftP95Ms: ms,
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  /** Mean feedback score 0..1; null without feedback (and under a key filter: feedback has no key). */
  quality: ratio,
  feedbackCount: z.number(),
  retries: z.number(),
  failovers: z.number(),
});
export type Summary = z.infer<typeof summary>;

export const rangeView = z.object({
  /** The range covered, aligned outwards to whole buckets. */
  from: z.date(),
  to: z.date(),
  resolution: resolutionSchema,
  stepMs: z.number().int(),
});
export type RangeView = z.infer<typeof rangeView>;

export const overviewOutput = z.object({ range: rangeView, current: summary, previous: summary });
export type Overview = z.infer<typeof overviewOutput>;

export const OTHER_KEY = "__other__";
export const TOTAL_KEY = "total";

export const timeseriesOutput = z.object({
  resolution: resolutionSchema,
  stepMs: z.number().int(),
  series: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      points: z.array(z.object({ t: z.number(), value: z.number().nullable() })),
    }),
  ),
});
export type Timeseries = z.infer<typeof timeseriesOutput>;

export const breakdownRow = z.object({
  /** The route, agent or key id; "" for traffic without one (e.g. no route matched). */
  id: z.string(),
  name: z.string(),
  requests: z.number(),
  /** This row's share of all requests in the range (under the same filters). */
  share: z.number().min(0).max(1),
  errorRate: ratio,
  p95Ms: ms,
  ttftP95Ms: ms,
  costUsd: z.number(),
  quality: ratio,
  previousRequests: z.number(),
});
export type BreakdownRow = z.infer<typeof breakdownRow>;
export const breakdownOutput = z.object({ rows: z.array(breakdownRow) });

export const heatmapOutput = z.object({
  cells: z.array(
    z.object({
      /** 0 = Monday … 6 = Sunday, UTC. */
      weekday: z.number().int().min(0).max(6),
      hour: z.number().int().min(0).max(23),
      requests: z.number(),
    }),
  ),
  max: z.number(),
});
export type Heatmap = z.infer<typeof heatmapOutput>;

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const recommendation = z.object({
  /** Stable for the same finding, so a UI can remember a dismissal. */
  id: z.string(),
  kind: z.string(),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  detail: z.string(),
  evidence: z.record(z.string(), z.union([z.number(), z.string()])),
  routeId: z.string().optional(),
  agentId: z.string().optional(),
});
export type Recommendation = z.infer<typeof recommendation>;
export const recommendationsOutput = z.object({ items: z.array(recommendation) });

// ---------------------------------------------------------------------------------------------
// Load forecast

export const FORECAST_METRICS = ["requests"] as const;
export type ForecastMetric = (typeof FORECAST_METRICS)[number];
export const FORECAST_HORIZON_MAX_HOURS = 168;
/** Hours of hourly rollups the forecast learns from. */
export const FORECAST_TRAINING_HOURS = 14 * 24;
/** Hours of the learnt series returned as context for the chart. */
export const FORECAST_HISTORY_HOURS = 48;

export const forecastInput = z.object({
  routeId: idSchema.optional(),
  agentId: idSchema.optional(),
  horizonHours: z
    .number()
    .int("Forecast whole hours")
    .min(1, `Forecast 1–${FORECAST_HORIZON_MAX_HOURS} hours`)
    .max(FORECAST_HORIZON_MAX_HOURS, `Forecast 1–${FORECAST_HORIZON_MAX_HOURS} hours`)
    .default(24),
  metric: z.enum(FORECAST_METRICS, { message: "Only requests can be forecast for now" }).default("requests"),
});
export type ForecastInput = z.output<typeof forecastInput>;

export const forecastOutput = z.object({
  stepMs: z.number().int(),
  /** The learnt hourly counts of the last 48 hours, from the first hour with traffic on. */
  history: z.array(z.object({ t: z.number(), value: z.number() })),
  /** One point per hour from the first hour not yet complete; never below zero. */
  points: z.array(z.object({ t: z.number(), expected: z.number().min(0), lower: z.number().min(0), upper: z.number().min(0) })),
});
export type Forecast = z.infer<typeof forecastOutput>;

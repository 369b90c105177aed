import { z } from "zod";
import { recordAudit } from "@/server/audit/record";
import { orgSlugSchema } from "@/server/orgs/schema";
import { orgProcedure, router } from "@/server/trpc/init";
import { getForecast } from "./forecast";
import { getRawRetention, rawDaysSchema, setRawRetention } from "./retention";
import {
  breakdownInput,
  breakdownOutput,
  forecastInput,
  forecastOutput,
  heatmapOutput,
  overviewOutput,
  rangeInput,
  recommendationsOutput,
  timeseriesInput,
  timeseriesOutput,
} from "./schema";
import { getBreakdown, getHeatmap, getOverview, getRecommendations, getTimeseries } from "./service";

/** Reads of the telemetry rollups; any member may look. */
export const analyticsRouter = router({
  overview: orgProcedure("VIEWER")
    .input(rangeInput)
    .output(overviewOutput)
    .query(({ ctx, input }) => getOverview({ ctx, ...input })),

  timeseries: orgProcedure("VIEWER")
    .input(timeseriesInput)
    .output(timeseriesOutput)
    .query(({ ctx, input }) => getTimeseries({ ctx, ...input })),

  breakdown: orgProcedure("VIEWER")
    .input(breakdownInput)
    .output(breakdownOutput)
    .query(({ ctx, input }) => getBreakdown({ ctx, ...input })),

  heatmap: orgProcedure("VIEWER")
    .input(rangeInput)
    .output(heatmapOutput)
    .query(({ ctx, input }) => getHeatmap({ ctx, ...input })),

  /** How long raw gateway events are kept (rollups are kept regardless). */
  retention: orgProcedure("VIEWER")
    .input(z.object({ orgSlug: orgSlugSchema }))
    .output(z.object({ days: z.number().int(), isDefault: z.boolean() }))
    .query(({ ctx }) => getRawRetention({ db: ctx.db, orgId: ctx.org.id })),

  setRetention: orgProcedure("ADMIN")
    .input(z.object({ orgSlug: orgSlugSchema, days: rawDaysSchema }))
    .output(z.object({ days: z.number().int(), isDefault: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const { before, after } = await setRawRetention({ db: tx, orgId: ctx.org.id, days: input.days });
        await recordAudit(tx, {
          orgId: ctx.org.id,
          actor: ctx.user,
          action: "analytics.retention_changed",
          targetType: "organization",
          targetId: ctx.org.id,
          before: { rawDays: before.days },
          after: { rawDays: after.days },
        });
        return after;
      }),
    ),

  recommendations: orgProcedure("VIEWER")
    .input(rangeInput)
    .output(recommendationsOutput)
    .query(({ ctx, input }) => getRecommendations({ ctx, ...input })),

  /** Expected hourly requests for the next hours, with a band, learnt from the last two weeks. */
  forecast: orgProcedure("VIEWER")
    .input(forecastInput)
    .output(forecastOutput)
    .query(({ ctx, input }) => getForecast({ ctx, ...input })),
});

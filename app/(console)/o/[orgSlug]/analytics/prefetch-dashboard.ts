import "server-only";
import { DEFAULT_FORECAST_HORIZON, forecastQueryInput } from "@/components/analytics/forecast";
import { dashboardQueries, scopedInput, type DashboardScope } from "@/components/analytics/dashboard";
import { parseAnalyticsParams, resolveRange, toAnalyticsInput, type ParamSource, type ResolvedRange } from "@/components/analytics/range";
import { agentPickerInput } from "@/components/routes/agent-picker";
import { prefetch, trpc } from "@/components/trpc/server";

/**
 * Resolves the URL's window at this moment and prefetches every query the dashboard view will ask
 * for, with the same inputs. Awaited, not streamed: see the agents list page (a pending prefetch
 * can break hydration).
 */
export async function prefetchDashboard(orgSlug: string, searchParams: ParamSource, scope: DashboardScope): Promise<{ range: ResolvedRange }> {
  const state = parseAnalyticsParams(searchParams);
  const range = resolveRange(state.range, Date.now());
  const q = dashboardQueries(scopedInput(toAnalyticsInput(orgSlug, state, range), scope), scope);
  await Promise.all([
    prefetch(trpc.analytics.overview.queryOptions(q.overview)),
    ...q.charts.flatMap((chart) => chart.parts.map((part) => prefetch(trpc.analytics.timeseries.queryOptions(part.input)))),
    prefetch(trpc.analytics.heatmap.queryOptions(q.heatmap)),
    ...q.breakdowns.map((b) => prefetch(trpc.analytics.breakdown.queryOptions(b.input))),
    prefetch(trpc.analytics.recommendations.queryOptions(q.recommendations)),
    scope.kind !== "agent" ? prefetch(trpc.analytics.forecast.queryOptions(forecastQueryInput(orgSlug, scope, DEFAULT_FORECAST_HORIZON))) : null,
    prefetch(trpc.analytics.breakdown.queryOptions(q.keyOptions)),
    scope.kind !== "route" ? prefetch(trpc.route.list.queryOptions({ orgSlug })) : null,
    scope.kind !== "agent" ? prefetch(trpc.agent.list.queryOptions(agentPickerInput(orgSlug))) : null,
  ]);
  return { range };
}


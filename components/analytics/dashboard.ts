import type { Metric } from "./types";

/*
 * What an analytics page asks the API for. The server page prefetches exactly these inputs and
 * the browser view asks for the same ones, so nothing is fetched twice.
 */

export interface AnalyticsInput {
  orgSlug: string;
  from: Date;
  to: Date;
  routeId?: string;
  agentId?: string;
  keyId?: string;
}

/** The whole organization, or one agent or route (its drill-down page). */
export type DashboardScope = { kind: "org" } | { kind: "agent"; agentId: string } | { kind: "route"; routeId: string };

export type Dimension = "agent" | "route" | "key";

export interface ChartPart {
  /** The series key within the chart (for colors) when the part is one line. */
  key: string;
  /** The line's label when the part is one line. */
  label: string;
  input: AnalyticsInput & { metric: Metric; groupBy: "none" | Dimension; limit: number };
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  metric: Metric;
  parts: ChartPart[];
}

export interface BreakdownSpec {
  by: Dimension;
  title: string;
  input: AnalyticsInput & { by: Dimension; sort: "requests"; limit: number };
}

export interface DashboardQueries {
  overview: AnalyticsInput;
  charts: ChartSpec[];
  heatmap: AnalyticsInput;
  breakdowns: BreakdownSpec[];
  recommendations: AnalyticsInput;
  /** Keys with traffic, for the key filter (viewers may not list API keys, but may see their traffic). */
  keyOptions: AnalyticsInput & { by: "key"; sort: "requests"; limit: number };
}

const TOP = 5;

/** The page's fixed filter (its agent or route) on top of the URL's filters. */
export function scopedInput(base: AnalyticsInput, scope: DashboardScope): AnalyticsInput {
  if (scope.kind === "agent") return { ...base, agentId: scope.agentId };
  if (scope.kind === "route") return { ...base, routeId: scope.routeId };
  return base;
}

const without = (input: AnalyticsInput, key: "routeId" | "agentId" | "keyId"): AnalyticsInput => {
  const copy = { ...input };
  delete copy[key];
  return copy;
};

/** Every query of an analytics page, for its (already scoped) input. */
export function dashboardQueries(input: AnalyticsInput, scope: DashboardScope): DashboardQueries {
  // Requests split by what the page does not fix: routes on the overview and an agent's page,
  // agents on a route's page.
  const requestsBy: Dimension = scope.kind === "route" ? "agent" : "route";
  const one = (metric: Metric, key: string, label: string): ChartPart => ({ key, label, input: { ...input, metric, groupBy: "none", limit: TOP } });
  const charts: ChartSpec[] = [
    {
      id: "requests",
      title: "Requests",
      description: `Requests per ${requestsBy}, top ${TOP}`,
      metric: "requests",
      parts: [{ key: "requests", label: "Requests", input: { ...input, metric: "requests", groupBy: requestsBy, limit: TOP } }],
    },
    { id: "error-rate", title: "Error rate", description: "Share of requests that failed on the agents' side", metric: "errorRate", parts: [one("errorRate", "errorRate", "Error rate")] },
    { id: "latency", title: "Latency", description: "Total time per request, p95 and p99", metric: "p95", parts: [one("p95", "p95", "p95"), one("p99", "p99", "p99")] },
    { id: "ttft", title: "Time to first token", description: "Streams only, p50 and p95", metric: "ttftP95", parts: [one("ttftP50", "ttftP50", "p50"), one("ttftP95", "ttftP95", "p95")] },
    { id: "cost", title: "Cost", description: "From the agents' token prices", metric: "cost", parts: [one("cost", "cost", "Cost")] },
  ];
  const breakdown = (by: Dimension, title: string): BreakdownSpec => ({ by, title, input: { ...input, by, sort: "requests", limit: 10 } });
  const breakdowns =
    scope.kind === "org"
      ? [breakdown("agent", "Top agents"), breakdown("route", "Top routes")]
      : scope.kind === "agent"
        ? [breakdown("route", "Routes this agent served")]
        : [breakdown("agent", "Agents behind this route")];
  return {
    overview: input,
    charts,
    heatmap: input,
    breakdowns,
    recommendations: input,
    keyOptions: { ...without(input, "keyId"), by: "key", sort: "requests", limit: 50 },
  };
}

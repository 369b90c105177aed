"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { Activity, ArrowDownRight, ArrowUpRight, Lightbulb, Minus } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useTransition, type ReactNode } from "react";
import { prepareBreakdown } from "@/components/analytics/breakdown";
import { dashboardQueries, scopedInput, type BreakdownSpec, type ChartSpec, type DashboardScope } from "@/components/analytics/dashboard";
import { prepareHeatmap } from "@/components/analytics/heatmap";
import { prepareKpis, type Kpi, type KpiDelta } from "@/components/analytics/kpis";
import { analyticsSearch, describePreviousRange, describeRange, nextAnalyticsParams, parseAnalyticsParams, toAnalyticsInput, type AnalyticsParams, type ResolvedRange } from "@/components/analytics/range";
import { combineSeries, prepareTimeSeries } from "@/components/analytics/timeseries";
import type { Recommendation } from "@/components/analytics/types";
import { agentPickerInput } from "@/components/routes/agent-picker";
import { HeatmapChart } from "@/components/charts/heatmap-chart";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/components/ui/utils";
import { AnalyticsFilters, type FilterOption } from "./analytics-filters";
import { LoadForecastCard } from "./load-forecast-card";

interface Props {
  orgSlug: string;
  scope: DashboardScope;
  /** The window the server resolved for this URL (it owns "now"), so both sides ask the same. */
  range: ResolvedRange;
  title: string;
  description: string;
  /** Above the header (a back link). */
  before?: ReactNode;
  /** Header actions (links to the registry or the route editor). */
  actions?: ReactNode;
}

export const EMPTY_TRAFFIC = "No traffic in this range yet — send a request through the gateway or widen the range.";

/** The analytics dashboard: the organization's, or one agent's or route's (then filtered to it). */
export function AnalyticsDashboard({ orgSlug, scope, range, title, description, before, actions }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useMemo(() => parseAnalyticsParams(searchParams), [searchParams]);
  const [navigating, startNavigation] = useTransition();

  // A new window needs the server's clock, so changes go through the server page (which
  // prefetches the new queries) rather than only replacing the URL.
  const navigate = (changes: Partial<AnalyticsParams>) => {
    startNavigation(() => router.push(`${pathname}${analyticsSearch(nextAnalyticsParams(state, changes))}`, { scroll: false }));
  };

  const queries = useMemo(() => dashboardQueries(scopedInput(toAnalyticsInput(orgSlug, state, range), scope), scope), [orgSlug, state, range, scope]);
  const overview = useQuery(trpc.analytics.overview.queryOptions(queries.overview));
  const routes = useQuery({ ...trpc.route.list.queryOptions({ orgSlug }), enabled: scope.kind !== "route" });
  const agents = useQuery({ ...trpc.agent.list.queryOptions(agentPickerInput(orgSlug)), enabled: scope.kind !== "agent" });
  const keyOptions = useQuery(trpc.analytics.breakdown.queryOptions(queries.keyOptions));

  const linkSearch = (changes: Partial<AnalyticsParams>) => analyticsSearch(nextAnalyticsParams(state, changes));
  const hrefFor = (by: BreakdownSpec["by"], id: string) => {
    if (!id || id.startsWith("__")) return null;
    if (by === "agent") return `/o/${orgSlug}/analytics/agents/${id}${linkSearch({ agentId: null })}`;
    if (by === "route") return `/o/${orgSlug}/analytics/routes/${id}${linkSearch({ routeId: null })}`;
    return null;
  };

  const noTraffic = overview.data !== undefined && overview.data.current.requests === 0;

  // grid-cols-1 (not the implicit auto column) so wide content scrolls inside its card on a phone.
  return (
    <div className="grid grid-cols-1 gap-6">
      {before}
      <PageHeader title={title} description={description} actions={actions} />
      <AnalyticsFilters
        state={state}
        navigate={navigate}
        routes={scope.kind === "route" ? null : (routes.data ?? []).map((r): FilterOption => ({ id: r.id, name: r.name }))}
        agents={scope.kind === "agent" ? null : (agents.data?.agents ?? []).map((a): FilterOption => ({ id: a.id, name: a.name }))}
        keys={(keyOptions.data?.rows ?? []).filter((r) => r.id && !r.id.startsWith("__")).map((r) => ({ id: r.id, name: r.name }))}
      />
      <div className={cn("grid grid-cols-1 gap-6 transition-opacity", navigating && "opacity-60")} aria-busy={navigating || undefined}>
        <section aria-labelledby="analytics-kpis">
          <h2 id="analytics-kpis" className="sr-only">
            Key numbers, {describeRange(state.range).toLowerCase()}
          </h2>
          {overview.isPending ? (
            <KpiSkeleton />
          ) : overview.isError ? (
            <QueryError what="The numbers" message={overview.error.message} retry={() => void overview.refetch()} />
          ) : (
            <KpiGrid kpis={prepareKpis(overview.data.current, overview.data.previous)} comparedWith={describePreviousRange(state.range, range)} />
          )}
        </section>
        {/* The forecast reads the last two weeks whatever the range, so it shows even when the range is quiet. */}
        {scope.kind !== "agent" && <LoadForecastCard orgSlug={orgSlug} scope={scope} />}
        {noTraffic ? (
          <EmptyState icon={Activity} title="No traffic" description={EMPTY_TRAFFIC} />
        ) : (
          <>
            <section aria-labelledby="analytics-charts" className="grid grid-cols-1 gap-4">
              <h2 id="analytics-charts" className="sr-only">
                Over time
              </h2>
              <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
                {queries.charts.map((chart) => (
                  <ChartCard key={chart.id} chart={chart} range={range} />
                ))}
                <HeatmapCard input={queries.heatmap} />
              </div>
            </section>
            <div className="grid grid-cols-1 gap-4 2xl:grid-cols-2">
              {queries.breakdowns.map((b) => (
                <BreakdownCard key={b.by} spec={b} hrefFor={(id) => hrefFor(b.by, id)} />
              ))}
            </div>
            <RecommendationsCard input={queries.recommendations} orgSlug={orgSlug} linkSearch={linkSearch} />
          </>
        )}
      </div>
    </div>
  );
}

// -------------------------------------------------------------------------------------------------
// KPIs

const toneClass = { good: "text-success", bad: "text-destructive", neutral: "text-muted-foreground" } as const;

function DeltaText({ delta, comparedWith }: { delta: KpiDelta; comparedWith: string }) {
  const Icon = delta.direction === "up" ? ArrowUpRight : delta.direction === "down" ? ArrowDownRight : Minus;
  return (
    <span className={cn("inline-flex items-center gap-0.5 text-xs font-medium tabular-nums", toneClass[delta.tone])} title={`${delta.description}, ${comparedWith}`}>
      <Icon aria-hidden="true" className="size-3.5" />
      <span aria-hidden="true">{delta.text}</span>
      <span className="sr-only">
        {delta.description}, compared with {comparedWith}
      </span>
    </span>
  );
}

function KpiGrid({ kpis, comparedWith }: { kpis: Kpi[]; comparedWith: string }) {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      {kpis.map((kpi) => (
        <Card key={kpi.key} role="group" aria-labelledby={`kpi-${kpi.key}-label`} data-testid={`kpi-${kpi.key}`} className="gap-1 px-4 py-4">
          <div id={`kpi-${kpi.key}-label`} className="text-sm text-muted-foreground">
            {kpi.label}
          </div>
          <div className="text-2xl font-semibold tracking-tight tabular-nums" data-testid="kpi-value">
            {kpi.value}
          </div>
          <div className="flex min-h-4 flex-wrap items-center gap-x-2 gap-y-0.5">
            {kpi.delta ? <DeltaText delta={kpi.delta} comparedWith={comparedWith} /> : <span className="text-xs text-muted-foreground">no earlier data</span>}
            {kpi.detail && <span className="truncate text-xs text-muted-foreground">{kpi.detail}</span>}
          </div>
        </Card>
      ))}
    </div>
  );
}

function KpiSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6" role="status" aria-label="Loading key numbers">
      {Array.from({ length: 6 }, (_, i) => (
        <Card key={i} className="gap-2 px-4 py-4">
          <Skeleton className="h-4 w-20" />
          <Skeleton className="h-7 w-24" />
          <Skeleton className="h-3 w-16" />
        </Card>
      ))}
    </div>
  );
}

// -------------------------------------------------------------------------------------------------
// Charts

function ChartCard({ chart, range }: { chart: ChartSpec; range: ResolvedRange }) {
  const trpc = useTRPC();
  const results = useQueries({ queries: chart.parts.map((part) => trpc.analytics.timeseries.queryOptions(part.input)) });
  const titleId = `chart-${chart.id}`;
  const pending = results.some((r) => r.isPending);
  const failed = results.find((r) => r.isError);
  const data = results.map((r) => r.data);
  const first = data[0];
  const model =
    first && data.every(Boolean)
      ? prepareTimeSeries({
          metric: chart.metric,
          resolution: first.resolution,
          stepMs: first.stepMs,
          from: range.from,
          to: range.to,
          // One part keeps the API's series (one per route, say); several become one line each.
          series: chart.parts.length === 1 ? first.series : combineSeries(chart.parts.map((part, i) => ({ key: part.key, label: part.label, series: data[i]!.series }))),
        })
      : null;

  return (
    <Card className="gap-3 py-4" aria-labelledby={titleId} role="region">
      <CardHeader className="px-4">
        <CardTitle id={titleId} role="heading" aria-level={3}>
          {chart.title}
        </CardTitle>
        <CardDescription>{chart.description}</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        {pending ? (
          <Skeleton className="h-[220px] w-full" />
        ) : failed?.error ? (
          <QueryError what={chart.title} message={failed.error.message} retry={() => results.forEach((r) => void r.refetch())} />
        ) : model && !model.empty ? (
          <TimeSeriesChart title={chart.title} model={model} />
        ) : (
          <p className="flex h-[220px] items-center justify-center rounded-md border border-dashed text-sm text-muted-foreground">No data in this range.</p>
        )}
      </CardContent>
    </Card>
  );
}

function HeatmapCard({ input }: { input: ReturnType<typeof dashboardQueries>["heatmap"] }) {
  const trpc = useTRPC();
  const heatmap = useQuery(trpc.analytics.heatmap.queryOptions(input));
  const model = useMemo(() => (heatmap.data ? prepareHeatmap(heatmap.data) : null), [heatmap.data]);
  return (
    <Card className="gap-3 py-4" aria-labelledby="chart-heatmap" role="region">
      <CardHeader className="px-4">
        <CardTitle id="chart-heatmap" role="heading" aria-level={3}>
          Usage by hour
        </CardTitle>
        <CardDescription>Requests per hour of the week, UTC</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        {heatmap.isPending ? (
          <Skeleton className="h-48 w-full" />
        ) : heatmap.isError ? (
          <QueryError what="Usage by hour" message={heatmap.error.message} retry={() => void heatmap.refetch()} />
        ) : (
          model && <HeatmapChart model={model} />
        )}
      </CardContent>
    </Card>
  );
}

// -------------------------------------------------------------------------------------------------
// Breakdown tables

function BreakdownCard({ spec, hrefFor }: { spec: BreakdownSpec; hrefFor: (id: string) => string | null }) {
  const trpc = useTRPC();
  const breakdown = useQuery(trpc.analytics.breakdown.queryOptions(spec.input));
  const titleId = `breakdown-${spec.by}`;
  const rows = breakdown.data ? prepareBreakdown(breakdown.data.rows, hrefFor) : [];
  const noun = spec.by === "agent" ? "Agent" : spec.by === "route" ? "Route" : "API key";
  return (
    <Card className="gap-3 py-4" role="region" aria-labelledby={titleId}>
      <CardHeader className="px-4">
        <CardTitle id={titleId} role="heading" aria-level={2}>
          {spec.title}
        </CardTitle>
        <CardDescription>By requests in this range; the change is against the window before.</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        {breakdown.isPending ? (
          <div className="grid gap-2" role="status" aria-label={`Loading ${spec.title.toLowerCase()}`}>
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-8 w-full" />
            ))}
          </div>
        ) : breakdown.isError ? (
          <QueryError what={spec.title} message={breakdown.error.message} retry={() => void breakdown.refetch()} />
        ) : rows.length === 0 ? (
          <p className="py-6 text-center text-sm text-muted-foreground">No traffic in this range.</p>
        ) : (
          <Table aria-labelledby={titleId}>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>{noun}</TableHead>
                <TableHead className="text-right">Requests</TableHead>
                <TableHead className="hidden sm:table-cell">Share</TableHead>
                <TableHead className="text-right">Errors</TableHead>
                <TableHead className="text-right">p95</TableHead>
                <TableHead className="hidden text-right md:table-cell">TTFT p95</TableHead>
                <TableHead className="hidden text-right md:table-cell">Cost</TableHead>
                <TableHead className="hidden text-right lg:table-cell">Quality</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.id || "none"} data-testid={`breakdown-${spec.by}-row`}>
                  <TableCell className="max-w-56 truncate font-medium">
                    {row.href ? (
                      <Link href={row.href} className="underline-offset-4 hover:underline">
                        {row.name}
                      </Link>
                    ) : (
                      <span className="text-muted-foreground">{row.name}</span>
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    <div className="grid justify-items-end">
                      <span>{row.requests}</span>
                      {row.trend && row.trend.direction !== "flat" && (
                        <span className="text-xs text-muted-foreground" title={row.trend.description}>
                          {row.trend.text}
                        </span>
                      )}
                    </div>
                  </TableCell>
                  <TableCell className="hidden sm:table-cell">
                    <div className="flex items-center gap-2">
                      <div className="h-1.5 w-16 overflow-hidden rounded-full bg-muted" aria-hidden="true">
                        <div className="h-full rounded-full bg-chart-1" style={{ width: `${row.sharePct}%` }} />
                      </div>
                      <span className="text-xs tabular-nums text-muted-foreground">{row.share}</span>
                    </div>
                  </TableCell>
                  <TableCell className={cn("text-right tabular-nums", row.errorRateHigh && "font-medium text-destructive")}>{row.errorRate}</TableCell>
                  <TableCell className="text-right tabular-nums">{row.p95}</TableCell>
                  <TableCell className="hidden text-right tabular-nums md:table-cell">{row.ttftP95}</TableCell>
                  <TableCell className="hidden text-right tabular-nums md:table-cell">{row.cost}</TableCell>
                  <TableCell className="hidden text-right tabular-nums lg:table-cell">{row.quality}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

// -------------------------------------------------------------------------------------------------
// Recommendations

const severityBadge = { critical: "destructive", warning: "warning", info: "secondary" } as const;
const severityLabel = { critical: "Critical", warning: "Warning", info: "Info" } as const;

function RecommendationsCard({
  input,
  orgSlug,
  linkSearch,
}: {
  input: ReturnType<typeof dashboardQueries>["recommendations"];
  orgSlug: string;
  linkSearch: (changes: Partial<AnalyticsParams>) => string;
}) {
  const trpc = useTRPC();
  const recommendations = useQuery(trpc.analytics.recommendations.queryOptions(input));
  return (
    <Card className="gap-3 py-4" role="region" aria-labelledby="analytics-recommendations">
      <CardHeader className="px-4">
        <CardTitle id="analytics-recommendations" role="heading" aria-level={2}>
          Recommendations
        </CardTitle>
        <CardDescription>What the numbers in this range suggest changing.</CardDescription>
      </CardHeader>
      <CardContent className="px-4">
        {recommendations.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : recommendations.isError ? (
          <QueryError what="Recommendations" message={recommendations.error.message} retry={() => void recommendations.refetch()} />
        ) : recommendations.data.items.length === 0 ? (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Lightbulb aria-hidden="true" className="size-4" />
            Nothing to suggest: no route or agent stands out in this range.
          </p>
        ) : (
          <ul className="grid gap-3">
            {recommendations.data.items.map((item) => (
              <RecommendationItem key={item.id} item={item} orgSlug={orgSlug} linkSearch={linkSearch} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

function RecommendationItem({ item, orgSlug, linkSearch }: { item: Recommendation; orgSlug: string; linkSearch: (changes: Partial<AnalyticsParams>) => string }) {
  const evidence = Object.entries(item.evidence);
  return (
    <li className="grid gap-1.5 rounded-lg border p-3">
      <div className="flex flex-wrap items-center gap-2">
        <Badge variant={severityBadge[item.severity]}>{severityLabel[item.severity]}</Badge>
        <span className="font-medium">{item.title}</span>
      </div>
      <p className="text-sm text-muted-foreground">{item.detail}</p>
      {evidence.length > 0 && (
        <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
          {evidence.map(([k, v]) => (
            <div key={k} className="flex gap-1">
              <dt className="text-muted-foreground">{k}</dt>
              <dd className="font-mono">{typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 3 }) : v}</dd>
            </div>
          ))}
        </dl>
      )}
      {(item.routeId || item.agentId) && (
        <div className="flex flex-wrap gap-3 text-sm">
          {item.routeId && (
            <Link className="underline underline-offset-4" href={`/o/${orgSlug}/analytics/routes/${item.routeId}${linkSearch({ routeId: null })}`}>
              See the route
            </Link>
          )}
          {item.agentId && (
            <Link className="underline underline-offset-4" href={`/o/${orgSlug}/analytics/agents/${item.agentId}${linkSearch({ agentId: null })}`}>
              See the agent
            </Link>
          )}
        </div>
      )}
    </li>
  );
}

function QueryError({ what, message, retry }: { what: string; message: string; retry: () => void }) {
  return (
    <Alert variant="destructive">
      <AlertTitle>{what} could not be loaded</AlertTitle>
      <AlertDescription>
        <p>{message}</p>
        <Button variant="outline" size="sm" onClick={retry}>
          Try again
        </Button>
      </AlertDescription>
    </Alert>
  );
}

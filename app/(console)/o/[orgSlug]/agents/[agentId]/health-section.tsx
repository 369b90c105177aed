"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Fact, Missing } from "@/components/agents/facts";
import { prepareHealthTimeline } from "@/components/agents/health-timeline";
import { RelativeTime } from "@/components/agents/relative-time";
import { Section } from "@/components/agents/section";
import { AgentStatusBadge } from "@/components/agents/status-badge";
import { formatLatency } from "@/components/agents/time";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/components/ui/utils";
import type { AgentDetail } from "@/server/agents/schema";

/** Current status, a timeline of recent checks and the status changes. */
export function HealthSection({ orgSlug, agent }: { orgSlug: string; agent: AgentDetail }) {
  const trpc = useTRPC();
  const health = useQuery(trpc.agent.health.queryOptions({ orgSlug, agentId: agent.id }, { refetchInterval: 30_000 }));
  const timeline = useMemo(() => prepareHealthTimeline(health.data?.checks ?? []), [health.data]);

  return (
    <Section id="agent-health" title="Health">
      <div className="grid gap-6">
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-3">
          <Fact term="Status">
            <AgentStatusBadge status={agent.status} />
          </Fact>
          <Fact term="Consecutive failures">
            <span className="tabular-nums">{agent.consecutiveFailures}</span>
          </Fact>
          <Fact term="Last check">
            {agent.lastCheckedAt ? (
              <>
                <RelativeTime date={agent.lastCheckedAt} /> · <span className="tabular-nums">{formatLatency(agent.lastLatencyMs)}</span>
              </>
            ) : (
              <Missing>{agent.status === "DISABLED" ? "Not checked while disabled" : "Not yet"}</Missing>
            )}
          </Fact>
        </dl>

        {health.isPending ? (
          <div role="status" aria-label="Loading health checks" className="grid gap-2">
            <Skeleton className="h-10 w-full" />
            <Skeleton className="h-4 w-64" />
          </div>
        ) : health.isError ? (
          <p role="alert" className="text-sm text-destructive">
            {health.error.message}
          </p>
        ) : (
          <>
            <div className="grid gap-2">
              <h3 className="text-sm font-semibold">Recent checks</h3>
              {timeline.total > 0 && (
                <>
                  {/* The picture; the summary below and the check log say the same in words. */}
                  <div aria-hidden="true" className="flex h-12 items-end gap-px overflow-hidden rounded-md border bg-muted/30 p-1">
                    {timeline.ticks.map((tick) => (
                      <span
                        key={tick.key}
                        title={tick.title}
                        style={{ height: `${tick.heightPct}%` }}
                        className={cn(
                          "max-w-2 min-w-px flex-1 rounded-[1px]",
                          tick.ok ? "bg-success" : "bg-[repeating-linear-gradient(135deg,var(--destructive)_0_2px,transparent_2px_4px)] ring-1 ring-destructive ring-inset",
                        )}
                      />
                    ))}
                  </div>
                  <p className="text-xs text-muted-foreground">Oldest on the left. Solid bars passed (taller is slower); striped bars failed.</p>
                </>
              )}
              <p className="text-sm">{timeline.summary}</p>
              {timeline.total > 0 && (
                <details className="text-sm">
                  <summary className="cursor-pointer font-medium">Check log</summary>
                  <div className="mt-2 max-h-96 overflow-y-auto rounded-md border" tabIndex={0}>
                    <Table>
                      <TableHeader>
                        <TableRow>
                          <TableHead>When</TableHead>
                          <TableHead>Result</TableHead>
                          <TableHead>Latency</TableHead>
                          <TableHead>Error</TableHead>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {health.data.checks.map((c, i) => (
                          <TableRow key={`${c.at.getTime()}-${i}`}>
                            <TableCell className="text-xs">
                              <RelativeTime date={c.at} />
                            </TableCell>
                            <TableCell>
                              <Badge variant={c.ok ? "success" : "destructive"}>{c.ok ? "Passed" : "Failed"}</Badge>
                            </TableCell>
                            <TableCell className="text-xs tabular-nums">{formatLatency(c.latencyMs)}</TableCell>
                            <TableCell className="max-w-md text-xs whitespace-normal break-words">{c.error ?? ""}</TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  </div>
                </details>
              )}
            </div>

            <div className="grid gap-2">
              <h3 className="text-sm font-semibold">Status changes</h3>
              {health.data.changes.length === 0 ? (
                <p className="text-sm text-muted-foreground">No status changes yet.</p>
              ) : (
                <ol className="grid gap-2 text-sm">
                  {health.data.changes.map((change, i) => (
                    <li key={`${change.at.getTime()}-${i}`} className="flex flex-wrap items-center gap-2">
                      <RelativeTime date={change.at} className="w-32 shrink-0 text-xs text-muted-foreground" />
                      <AgentStatusBadge status={change.from} />
                      <span aria-hidden="true">→</span>
                      <span className="sr-only">to</span>
                      <AgentStatusBadge status={change.to} />
                      <span className="text-muted-foreground">{change.reason}</span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </>
        )}
      </div>
    </Section>
  );
}

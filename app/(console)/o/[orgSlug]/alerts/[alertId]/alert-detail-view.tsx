"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Check, CheckCheck } from "lucide-react";
import Link from "next/link";
import { toast } from "sonner";
import { RelativeTime } from "@/components/agents/relative-time";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole } from "@/server/auth/roles";
import { metricLabel } from "@/server/alerts/schema";
import type { Role } from "@/server/generated/prisma/enums";
import { alertTimeline, evidenceChart, KIND_LABEL, SEVERITY_VARIANT, STATUS_LABEL, STATUS_VARIANT } from "../alert-model";

export function AlertDetailView({ orgSlug, alertId, role }: { orgSlug: string; alertId: string; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const alert = useQuery({ ...trpc.alert.get.queryOptions({ orgSlug, alertId }), refetchInterval: 30_000 });
  const deliveries = useQuery({ ...trpc.alert.deliveries.queryOptions({ orgSlug, alertId }), refetchInterval: 30_000 });
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.alert.get.queryKey({ orgSlug, alertId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.alert.deliveries.queryKey({ orgSlug, alertId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.alert.openCount.queryKey({ orgSlug }) }),
    ]);
  };
  const ack = useMutation(trpc.alert.ack.mutationOptions({ onSuccess: async () => { toast.success("Alert acknowledged"); await refresh(); }, onError: (e) => toast.error(e.message) }));
  const resolve = useMutation(trpc.alert.resolve.mutationOptions({ onSuccess: async () => { toast.success("Alert resolved"); await refresh(); }, onError: (e) => toast.error(e.message) }));

  if (!alert.data) return <p className="text-sm text-muted-foreground">{alert.isError ? alert.error.message : "Loading…"}</p>;
  const a = alert.data;
  const chart = evidenceChart(a);
  const canAct = hasRole(role, "EDITOR") && a.status !== "RESOLVED";

  return (
    <div className="grid gap-6">
      <Link href={`/o/${orgSlug}/alerts`} className="flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden="true" className="size-4" />
        Alerts
      </Link>
      <PageHeader
        title={a.ruleName}
        description={a.summary}
        actions={
          canAct && (
            <>
              {a.status === "FIRING" && (
                <Button variant="outline" disabled={ack.isPending} onClick={() => ack.mutate({ orgSlug, alertId })}>
                  <Check aria-hidden="true" />
                  Acknowledge
                </Button>
              )}
              <Button disabled={resolve.isPending} onClick={() => resolve.mutate({ orgSlug, alertId })}>
                <CheckCheck aria-hidden="true" />
                Resolve
              </Button>
            </>
          )
        }
      >
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <Badge variant={STATUS_VARIANT[a.status]} data-testid="alert-status">
            {STATUS_LABEL[a.status]}
          </Badge>
          <Badge variant={SEVERITY_VARIANT[a.severity]}>{a.severity.toLowerCase()}</Badge>
          <Badge variant="outline">{KIND_LABEL[a.ruleKind]}</Badge>
          <span className="text-xs text-muted-foreground">
            priority {Math.round(a.priority).toLocaleString("en")} · {a.evidence.requestsAffected.toLocaleString("en")} requests affected
          </span>
        </div>
      </PageHeader>

      {chart && a.metric && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 className="text-base">{metricLabel[a.metric]}</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <TimeSeriesChart title={`${metricLabel[a.metric]} around the alert`} model={chart} height={260} bandLabel={a.evidence.threshold ? "Threshold" : "Expected range"} markLabel="Anomalous minute" />
          </CardContent>
        </Card>
      )}

      {a.evidence.statusChanges && a.evidence.statusChanges.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2 className="text-base">Status changes</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="grid gap-1 text-sm">
              {a.evidence.statusChanges.map((c) => (
                <li key={c.at}>
                  <RelativeTime date={new Date(c.at)} />: {c.from.toLowerCase()} → {c.to.toLowerCase()} ({c.reason})
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>
            <h2 className="text-base">Timeline</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <ol className="grid gap-2 border-l pl-4 text-sm" data-testid="alert-timeline">
            {alertTimeline(a).map((e) => (
              <li key={`${e.label}-${e.at.getTime()}`}>
                <span className="font-medium">{e.label}</span> <span className="text-xs text-muted-foreground">· <RelativeTime date={e.at} /></span>
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2 className="text-base">Deliveries</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {!deliveries.data?.length ? (
            <p className="text-sm text-muted-foreground">No deliveries: the rule has no webhooks or email recipients, or none are due yet.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Event</TableHead>
                  <TableHead>Sent to</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Attempts</TableHead>
                  <TableHead className="hidden md:table-cell">Next retry</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {deliveries.data.map((d) => (
                  <TableRow key={d.id}>
                    <TableCell>{d.event}</TableCell>
                    <TableCell>
                      <Badge variant="outline" className="mr-2">
                        {d.channel === "EMAIL" ? "email" : "webhook"}
                      </Badge>
                      {d.target}
                    </TableCell>
                    <TableCell className="whitespace-normal">
                      {d.status.toLowerCase()}
                      {d.statusCode ? ` · HTTP ${d.statusCode}` : ""}
                      {d.error && <p className="text-xs text-muted-foreground">{d.error}</p>}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{d.attempt}</TableCell>
                    <TableCell className="hidden text-xs md:table-cell">{d.nextRetryAt ? <RelativeTime date={d.nextRetryAt} /> : "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

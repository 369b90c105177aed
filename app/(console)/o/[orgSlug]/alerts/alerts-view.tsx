"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellOff, Check } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/agents/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { NativeSelect } from "@/components/ui/native-select";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { hasRole } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { SEVERITY_VARIANT, STATUS_LABEL, STATUS_VARIANT } from "./alert-model";
import { RulesSection } from "./rules-section";
import { WebhooksSection } from "./webhooks-section";

type StatusFilter = "open" | "FIRING" | "ACKED" | "RESOLVED" | "all";

export function AlertsView({ orgSlug, orgName, role, emailConfigured }: { orgSlug: string; orgName: string; role: Role; emailConfigured: boolean }) {
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Alerts"
        description={`Anomalies, thresholds, forecasts and agent health of ${orgName}'s traffic. One incident per rule and scope: repeated anomalies add to the open alert, and it resolves by itself after five normal minutes.`}
      />
      <Tabs defaultValue="alerts">
        <TabsList>
          <TabsTrigger value="alerts">Alerts</TabsTrigger>
          <TabsTrigger value="rules">Rules</TabsTrigger>
          {hasRole(role, "ADMIN") && <TabsTrigger value="webhooks">Webhooks</TabsTrigger>}
        </TabsList>
        <TabsContent value="alerts" className="pt-4">
          <AlertsList orgSlug={orgSlug} canAct={hasRole(role, "EDITOR")} />
        </TabsContent>
        <TabsContent value="rules" className="pt-4">
          <RulesSection orgSlug={orgSlug} canEdit={hasRole(role, "ADMIN")} emailConfigured={emailConfigured} />
        </TabsContent>
        {hasRole(role, "ADMIN") && (
          <TabsContent value="webhooks" className="pt-4">
            <WebhooksSection orgSlug={orgSlug} />
          </TabsContent>
        )}
      </Tabs>
    </div>
  );
}

function AlertsList({ orgSlug, canAct }: { orgSlug: string; canAct: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StatusFilter>("open");
  const [cursors, setCursors] = useState<string[]>([]);
  const input = { orgSlug, ...(status === "all" ? {} : { status }), ...(cursors.length ? { cursor: cursors.at(-1)! } : {}) };
  const alerts = useQuery({ ...trpc.alert.list.queryOptions(input), refetchInterval: 30_000 });
  const ack = useMutation(
    trpc.alert.ack.mutationOptions({
      onSuccess: async (a) => {
        toast.success("Alert acknowledged", { description: a.summary });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.alert.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.alert.openCount.queryKey({ orgSlug }) }),
        ]);
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <section aria-labelledby="alerts-heading" aria-busy={alerts.isFetching || undefined} className="grid gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="alerts-heading" className="text-base font-semibold">
          {status === "open" ? "Open alerts, highest priority first" : "Alerts, newest first"}
        </h2>
        <label className="grid gap-1 text-sm">
          <span className="text-muted-foreground">Show</span>
          <NativeSelect
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as StatusFilter);
              setCursors([]);
            }}
            aria-label="Show alerts"
          >
            <option value="open">Open</option>
            <option value="FIRING">Firing</option>
            <option value="ACKED">Acknowledged</option>
            <option value="RESOLVED">Resolved</option>
            <option value="all">All</option>
          </NativeSelect>
        </label>
      </div>
      {alerts.isPending ? (
        <div role="status" aria-label="Loading alerts" className="grid gap-2">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : alerts.isError ? (
        <Alert variant="destructive">
          <AlertTitle>The alerts could not be loaded</AlertTitle>
          <AlertDescription>
            <p>{alerts.error.message}</p>
            <Button variant="outline" size="sm" onClick={() => void alerts.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      ) : alerts.data.alerts.length === 0 ? (
        <EmptyState
          icon={BellOff}
          titleAs="h3"
          title={status === "open" ? "No open alerts" : "No alerts here"}
          description="Rules are evaluated every minute over the per-minute rollups of the gateway's traffic."
        />
      ) : (
        <>
          <Table>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Status</TableHead>
                <TableHead>Alert</TableHead>
                <TableHead className="hidden md:table-cell">Severity</TableHead>
                <TableHead className="hidden text-right md:table-cell">Priority</TableHead>
                <TableHead className="hidden sm:table-cell">Started</TableHead>
                <TableHead className="w-24">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {alerts.data.alerts.map((a) => (
                <TableRow key={a.id} data-testid={`alert-${a.id}`}>
                  <TableCell className="align-top">
                    <Badge variant={STATUS_VARIANT[a.status]}>{STATUS_LABEL[a.status]}</Badge>
                  </TableCell>
                  <TableCell className="max-w-xl align-top whitespace-normal">
                    <Link href={`/o/${orgSlug}/alerts/${a.id}`} className="font-medium underline-offset-4 hover:underline">
                      {a.ruleName}
                    </Link>
                    <p className="text-xs text-muted-foreground">{a.summary}</p>
                    {a.occurrences > 1 && <p className="text-xs text-muted-foreground">{a.occurrences} anomalous minutes</p>}
                  </TableCell>
                  <TableCell className="hidden align-top md:table-cell">
                    <Badge variant={SEVERITY_VARIANT[a.severity]}>{a.severity.toLowerCase()}</Badge>
                  </TableCell>
                  <TableCell className="hidden text-right align-top tabular-nums md:table-cell">{Math.round(a.priority).toLocaleString("en")}</TableCell>
                  <TableCell className="hidden align-top text-xs sm:table-cell">
                    <RelativeTime date={a.startedAt} />
                  </TableCell>
                  <TableCell className="align-top">
                    {canAct && a.status === "FIRING" && (
                      <Button size="sm" variant="outline" disabled={ack.isPending} onClick={() => ack.mutate({ orgSlug, alertId: a.id })} aria-label={`Acknowledge ${a.ruleName}`}>
                        <Check aria-hidden="true" />
                        Ack
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <div className="flex gap-2">
            {cursors.length > 0 && (
              <Button variant="outline" size="sm" onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous
              </Button>
            )}
            {alerts.data.nextCursor && (
              <Button variant="outline" size="sm" onClick={() => setCursors([...cursors, alerts.data.nextCursor!])}>
                Next
              </Button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

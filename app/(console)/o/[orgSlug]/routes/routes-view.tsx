"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus, Route as RouteIcon } from "lucide-react";
import Link from "next/link";
import { DisabledAction } from "@/components/agents/disabled-action";
import { RelativeTime } from "@/components/agents/relative-time";
import { RouteStateBadge } from "@/components/routes/route-state-badge";
import { StrategyBadge } from "@/components/routes/strategy-badge";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

interface Props {
  orgSlug: string;
  orgName: string;
  role: Role;
}

export function RoutesView({ orgSlug, orgName, role }: Props) {
  const trpc = useTRPC();
  const list = useQuery(trpc.route.list.queryOptions({ orgSlug }));
  const canEdit = hasRole(role, "EDITOR");
  const newHref = `/o/${orgSlug}/routes/new`;

  const newButton = canEdit ? (
    <Button asChild>
      <Link href={newHref}>
        <Plus aria-hidden="true" />
        New route
      </Link>
    </Button>
  ) : (
    <DisabledAction variant="default" reason={`Creating routes needs the Editor role; you are ${roleLabel[role]}.`}>
      <Plus aria-hidden="true" />
      New route
    </DisabledAction>
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Routes"
        description={`How ${orgName}'s gateway serves each alias: which agents answer, chosen how, with which timeouts, retries and circuit breaking.`}
        actions={newButton}
      />
      {!canEdit && (
        <Alert>
          <AlertTitle>Read-only</AlertTitle>
          <AlertDescription>Creating and changing routes needs the Editor role; you are {roleLabel[role]}.</AlertDescription>
        </Alert>
      )}
      <section aria-labelledby="routes-results" aria-busy={list.isFetching || undefined}>
        <h2 id="routes-results" className="sr-only">
          All routes
        </h2>
        {list.isPending ? (
          <RoutesTableSkeleton />
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertTitle>The routes could not be loaded</AlertTitle>
            <AlertDescription>
              <p>{list.error.message}</p>
              <Button variant="outline" size="sm" onClick={() => void list.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        ) : list.data.length === 0 ? (
          <EmptyState
            icon={RouteIcon}
            title="No routes yet"
            description="Clients ask the gateway for an alias, such as support-bot; the route for that alias picks an agent among its targets (by weight, priority, latency or skill) and retries, times out and trips its circuit breaker as you set."
            action={
              canEdit ? (
                <Button asChild>
                  <Link href={newHref}>
                    <Plus aria-hidden="true" />
                    Create a route
                  </Link>
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Ask someone with the Editor role to create one.</p>
              )
            }
          />
        ) : (
          <Card className="py-4">
            <CardContent className="px-4">
              <Table>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Route</TableHead>
                    <TableHead>Strategy</TableHead>
                    <TableHead className="text-right">Targets</TableHead>
                    <TableHead>State</TableHead>
                    <TableHead className="hidden text-right sm:table-cell">Version</TableHead>
                    <TableHead className="hidden md:table-cell">Updated</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.data.map((r) => (
                    <TableRow key={r.id} data-testid={`route-${r.slug}`}>
                      <TableCell className="align-top">
                        <div className="grid max-w-md min-w-48 gap-0.5 whitespace-normal">
                          <Link href={`/o/${orgSlug}/routes/${r.id}`} className="font-medium underline-offset-4 hover:underline">
                            {r.name}
                          </Link>
                          <span className="font-mono text-xs text-muted-foreground">
                            <span className="sr-only">Alias: </span>
                            {r.alias}
                          </span>
                          {r.description && <span className="line-clamp-2 text-xs text-muted-foreground">{r.description}</span>}
                        </div>
                      </TableCell>
                      <TableCell className="align-top">
                        <StrategyBadge strategy={r.strategy} />
                      </TableCell>
                      <TableCell className="text-right align-top tabular-nums">
                        {r.targetCount === 0 && r.strategy === "CAPABILITY" ? <span className="text-xs text-muted-foreground">By skill</span> : r.targetCount}
                      </TableCell>
                      <TableCell className="align-top">
                        <RouteStateBadge enabled={r.enabled} />
                      </TableCell>
                      <TableCell className="hidden text-right align-top tabular-nums sm:table-cell">v{r.version}</TableCell>
                      <TableCell className="hidden align-top text-xs md:table-cell">
                        <RelativeTime date={r.updatedAt} />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
      </section>
    </div>
  );
}

function RoutesTableSkeleton() {
  return (
    <Card className="py-4" role="status" aria-label="Loading routes">
      <CardContent className="grid gap-3 px-4">
        <Skeleton className="h-8 w-full" />
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="flex items-center gap-4">
            <div className="grid flex-1 gap-1.5">
              <Skeleton className="h-4 w-48 max-w-full" />
              <Skeleton className="h-3 w-32 max-w-full" />
            </div>
            <Skeleton className="h-5 w-20" />
            <Skeleton className="h-5 w-16" />
            <Skeleton className="hidden h-4 w-20 sm:block" />
          </div>
        ))}
        <span className="sr-only">Loading routes…</span>
      </CardContent>
    </Card>
  );
}

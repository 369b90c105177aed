"use client";

import { useQuery } from "@tanstack/react-query";
import { BackLink } from "@/components/agents/back-link";
import { RelativeTime } from "@/components/agents/relative-time";
import { Section } from "@/components/agents/section";
import { RouteEditor } from "@/components/routes/route-editor";
import { RouteFacts } from "@/components/routes/route-facts";
import { RouteStateBadge } from "@/components/routes/route-state-badge";
import { StrategyBadge } from "@/components/routes/strategy-badge";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { RouteActions } from "./route-actions";
import { TryItPanel } from "./try-it-panel";
import { VersionHistory } from "./version-history";

interface Props {
  orgSlug: string;
  routeId: string;
  role: Role;
}

export function RouteDetailView({ orgSlug, routeId, role }: Props) {
  const trpc = useTRPC();
  const query = useQuery(trpc.route.get.queryOptions({ orgSlug, routeId }));
  const routesHref = `/o/${orgSlug}/routes`;
  const canEdit = hasRole(role, "EDITOR");

  if (query.isPending) {
    return (
      <div className="grid gap-6" role="status" aria-label="Loading the route">
        <BackLink href={routesHref}>Routes</BackLink>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="grid gap-6">
        <BackLink href={routesHref}>Routes</BackLink>
        <Alert variant="destructive">
          <AlertTitle>This route could not be loaded</AlertTitle>
          <AlertDescription>{query.error.message}</AlertDescription>
        </Alert>
      </div>
    );
  }
  const route = query.data;

  return (
    <div className="grid gap-6">
      <BackLink href={routesHref}>Routes</BackLink>
      <PageHeader title={route.name} description={route.description ?? undefined} actions={<RouteActions orgSlug={orgSlug} route={route} role={role} />}>
        <div className="flex flex-wrap items-center gap-2 pt-1 text-xs text-muted-foreground">
          <RouteStateBadge enabled={route.enabled} />
          <StrategyBadge strategy={route.strategy} />
          <code className="font-mono">
            <span className="sr-only">Alias: </span>
            {route.alias}
          </code>
          <span>
            Version {route.version}, saved <RelativeTime date={route.updatedAt} />
          </span>
        </div>
      </PageHeader>
      {!hasRole(role, "ADMIN") && (
        <p className="-mt-3 text-sm text-muted-foreground">
          {canEdit
            ? `Deleting routes needs the Admin role; you are ${roleLabel[role]}.`
            : `Read-only: changing this route needs the Editor role and deleting it the Admin role; you are ${roleLabel[role]}.`}
        </p>
      )}

      {/* Keyed by id: the editor starts from the route as it was when the page opened. */}
      {canEdit ? <RouteEditor key={route.id} orgSlug={orgSlug} route={route} /> : <RouteFacts orgSlug={orgSlug} route={route} />}

      <TryItPanel orgSlug={orgSlug} route={route} role={role} />

      <Section id="route-versions" title="Version history" description="Every saved configuration of this route, newest first. Compare any of them with the current one.">
        <VersionHistory orgSlug={orgSlug} route={route} />
      </Section>
    </div>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { GitCompare } from "lucide-react";
import { useMemo } from "react";
import { RelativeTime } from "@/components/agents/relative-time";
import { agentPickerInput } from "@/components/routes/agent-picker";
import { ConfigDiff } from "@/components/routes/config-diff";
import { configFromJson, configFromRoute } from "@/components/routes/route-form";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { diffRouteConfigs } from "@/server/routes/diff";
import type { RouteDetail } from "@/server/routes/schema";

export function VersionHistory({ orgSlug, route }: { orgSlug: string; route: RouteDetail }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.route.versions.queryOptions({ orgSlug, routeId: route.id }));
  // Names for agents in old versions; the editor loads the same list, viewers load it on demand.
  const agents = useQuery(trpc.agent.list.queryOptions(agentPickerInput(orgSlug)));
  const current = useMemo(() => configFromRoute(route), [route]);
  const names = useMemo(() => {
    const byId = new Map<string, string>();
    for (const a of agents.data?.agents ?? []) byId.set(a.id, a.name);
    for (const t of route.targets) byId.set(t.agentId, t.agentName);
    return byId;
  }, [agents.data, route.targets]);

  if (versions.isPending) {
    return (
      <div role="status" aria-label="Loading the version history" className="grid gap-2">
        <Skeleton className="h-6 w-full" />
        <Skeleton className="h-6 w-full" />
      </div>
    );
  }
  if (versions.isError) {
    return (
      <p role="alert" className="text-sm text-destructive">
        {versions.error.message}
      </p>
    );
  }
  if (versions.data.length === 0) return <p className="text-sm text-muted-foreground">No versions recorded yet.</p>;

  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Version</TableHead>
          <TableHead>When</TableHead>
          <TableHead className="hidden sm:table-cell">Who</TableHead>
          <TableHead>
            <span className="sr-only">Compare</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {versions.data.map((v) => {
          const isCurrent = v.version === route.version;
          return (
            <TableRow key={v.version}>
              <TableCell className="tabular-nums">
                v{v.version}
                {isCurrent && (
                  <Badge variant="secondary" className="ml-2">
                    current
                  </Badge>
                )}
              </TableCell>
              <TableCell className="text-xs">
                <RelativeTime date={v.createdAt} />
              </TableCell>
              <TableCell className="hidden text-xs sm:table-cell">{v.createdBy ?? <span className="text-muted-foreground">Unknown</span>}</TableCell>
              <TableCell className="text-right">
                {!isCurrent && (
                  <Dialog>
                    <DialogTrigger asChild>
                      <Button variant="outline" size="sm">
                        <GitCompare aria-hidden="true" />
                        Compare with current<span className="sr-only"> (version {v.version})</span>
                      </Button>
                    </DialogTrigger>
                    <DialogContent className="sm:max-w-2xl">
                      <DialogHeader>
                        <DialogTitle>
                          Version {v.version} → current (version {route.version})
                        </DialogTitle>
                        <DialogDescription>What changed since version {v.version} was saved.</DialogDescription>
                      </DialogHeader>
                      <ConfigDiff
                        changes={diffRouteConfigs(configFromJson(v.config), current, (id) => names.get(id) ?? id)}
                        emptyText="The same configuration as the current version."
                      />
                    </DialogContent>
                  </Dialog>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

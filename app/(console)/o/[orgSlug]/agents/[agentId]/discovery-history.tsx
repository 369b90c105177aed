"use client";

import { useQuery } from "@tanstack/react-query";
import { RelativeTime } from "@/components/agents/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** "tool:search_web" → "search_web (tool)". */
function skillRef(id: string) {
  const at = id.indexOf(":");
  return at > 0 ? `${id.slice(at + 1)} (${id.slice(0, at)})` : id;
}

export function DiscoveryHistory({ orgSlug, agentId }: { orgSlug: string; agentId: string }) {
  const trpc = useTRPC();
  const discoveries = useQuery(trpc.agent.discoveries.queryOptions({ orgSlug, agentId }));

  if (discoveries.isPending) {
    return (
      <div role="status" aria-label="Loading the discovery history" className="grid gap-2">
        <Skeleton className="h-6 w-full" />
        <Skeleton className="h-6 w-full" />
      </div>
    );
  }
  if (discoveries.isError) {
    return (
      <p role="alert" className="text-sm text-destructive">
        {discoveries.error.message}
      </p>
    );
  }
  if (discoveries.data.length === 0) return <p className="text-sm text-muted-foreground">No discoveries recorded yet.</p>;

  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>When</TableHead>
          <TableHead>Trigger</TableHead>
          <TableHead>Result</TableHead>
          <TableHead className="hidden sm:table-cell">Version</TableHead>
          <TableHead className="text-right">Found</TableHead>
          <TableHead>Changes</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {discoveries.data.map((d) => (
          <TableRow key={d.id}>
            <TableCell className="align-top text-xs">
              <RelativeTime date={d.at} />
            </TableCell>
            <TableCell className="align-top text-xs">{d.trigger}</TableCell>
            <TableCell className="max-w-sm align-top whitespace-normal">
              {d.ok ? (
                <Badge variant="success">OK</Badge>
              ) : (
                <div className="grid gap-1">
                  <Badge variant="destructive">Failed</Badge>
                  {d.error && <span className="text-xs break-words text-destructive">{d.error}</span>}
                </div>
              )}
            </TableCell>
            <TableCell className="hidden align-top text-xs sm:table-cell">{d.version ?? "—"}</TableCell>
            <TableCell className="text-right align-top text-xs tabular-nums">{d.ok ? d.skillCount : "—"}</TableCell>
            <TableCell className="max-w-md align-top whitespace-normal">
              {d.added.length === 0 && d.removed.length === 0 ? (
                <span className="text-xs text-muted-foreground">{d.ok ? "No changes" : "—"}</span>
              ) : (
                <ul className="flex flex-wrap gap-1" aria-label="Changes">
                  {d.added.map((id) => (
                    <li key={`+${id}`}>
                      <Badge variant="outline" className="border-success/60 font-normal">
                        <span aria-hidden="true" className="font-semibold text-success">
                          +
                        </span>
                        <span className="sr-only">Added </span>
                        {skillRef(id)}
                      </Badge>
                    </li>
                  ))}
                  {d.removed.map((id) => (
                    <li key={`-${id}`}>
                      <Badge variant="outline" className="border-destructive/60 font-normal">
                        <span aria-hidden="true" className="font-semibold text-destructive">
                          −
                        </span>
                        <span className="sr-only">Removed </span>
                        {skillRef(id)}
                      </Badge>
                    </li>
                  ))}
                </ul>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { FileJson } from "lucide-react";
import { JsonBlock } from "@/components/agents/json-block";
import { RelativeTime } from "@/components/agents/relative-time";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { PolicyView } from "@/server/policies/schema";

/** Every saved configuration of a policy, newest first; each can be opened. */
export function PolicyVersionHistory({ orgSlug, policy }: { orgSlug: string; policy: Pick<PolicyView, "id" | "version"> }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.policy.versions.queryOptions({ orgSlug, policyId: policy.id }));

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
    <Table aria-label="Versions" data-testid="policy-versions">
      <TableHeader>
        <TableRow>
          <TableHead>Version</TableHead>
          <TableHead>When</TableHead>
          <TableHead className="hidden sm:table-cell">Who</TableHead>
          <TableHead>
            <span className="sr-only">Configuration</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {versions.data.map((v) => (
          <TableRow key={v.version}>
            <TableCell className="tabular-nums">
              v{v.version}
              {v.version === policy.version && (
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
              <Dialog>
                <DialogTrigger asChild>
                  <Button variant="outline" size="sm">
                    <FileJson aria-hidden="true" />
                    Show configuration<span className="sr-only"> of version {v.version}</span>
                  </Button>
                </DialogTrigger>
                <DialogContent className="sm:max-w-2xl">
                  <DialogHeader>
                    <DialogTitle>Version {v.version}</DialogTitle>
                    <DialogDescription>
                      Saved by {v.createdBy ?? "an unknown user"} on {v.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC.
                    </DialogDescription>
                  </DialogHeader>
                  <JsonBlock value={v.config} />
                </DialogContent>
              </Dialog>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

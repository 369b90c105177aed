"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { DisabledAction } from "@/components/agents/disabled-action";
import { RelativeTime } from "@/components/agents/relative-time";
import { scopeLabel } from "@/components/policies/labels";
import { PiiPatternsCard } from "@/components/policies/pii-patterns-card";
import { PolicyEnabledSwitch } from "@/components/policies/policy-actions";
import { EffectBadge, ModeBadge } from "@/components/policies/policy-badges";
import { effectSummary } from "@/components/policies/policy-form";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

/** What the empty state shows: two policies people commonly start with. */
const EXAMPLES = [
  {
    title: "Mask personal data for PHI traffic",
    effect: "Redact EMAIL, PHONE, SSN in request and answer",
    condition: '"PHI" in request.labels',
  },
  {
    title: "Keep EU data on EU agents",
    effect: "Restrict routing to agents where agent.region.startsWith(\"eu\")",
    condition: '"EU" in request.labels',
  },
];

export function PoliciesView({ orgSlug, orgName, role }: { orgSlug: string; orgName: string; role: Role }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.policy.list.queryOptions({ orgSlug }));
  const canEdit = hasRole(role, "ADMIN");
  const newHref = `/o/${orgSlug}/policies/new`;

  const newButton = canEdit ? (
    <Button asChild>
      <Link href={newHref}>
        <Plus aria-hidden="true" />
        New policy
      </Link>
    </Button>
  ) : (
    <DisabledAction variant="default" reason={`Creating policies needs the Admin role; you are ${roleLabel[role]}.`}>
      <Plus aria-hidden="true" />
      New policy
    </DisabledAction>
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Policies"
        description={`Rules the gateway applies to every request of ${orgName}: deny, mask personal data, keep data on agents in a region, require a data label, cap tokens. Monitor mode records what a policy would do without changing traffic.`}
        actions={newButton}
      />
      <section aria-labelledby="policies-results" aria-busy={list.isFetching || undefined}>
        <h2 id="policies-results" className="sr-only">
          All policies
        </h2>
        {list.isPending ? (
          <Card className="py-4" role="status" aria-label="Loading policies">
            <CardContent className="grid gap-3 px-4">
              {Array.from({ length: 3 }, (_, i) => (
                <Skeleton key={i} className="h-8 w-full" />
              ))}
            </CardContent>
          </Card>
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertTitle>The policies could not be loaded</AlertTitle>
            <AlertDescription>
              <p>{list.error.message}</p>
              <Button variant="outline" size="sm" onClick={() => void list.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        ) : list.data.length === 0 ? (
          <EmptyState
            icon={ShieldCheck}
            title="No policies yet"
            description="A policy is a condition on each request, written in CEL, and what the gateway does when it is true. For example:"
            action={
              canEdit ? (
                <Button asChild>
                  <Link href={newHref}>
                    <Plus aria-hidden="true" />
                    Create a policy
                  </Link>
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Ask an admin to create one.</p>
              )
            }
          >
            <ul className="grid w-full max-w-2xl gap-3 text-left text-sm">
              {EXAMPLES.map((e) => (
                <li key={e.title} className="grid gap-1 rounded-md border bg-card p-3">
                  <span className="font-medium">{e.title}</span>
                  <code className="rounded bg-muted px-2 py-1 font-mono text-xs">when {e.condition}</code>
                  <span className="text-muted-foreground">{e.effect}</span>
                </li>
              ))}
            </ul>
          </EmptyState>
        ) : (
          <Card className="py-4">
            <CardContent className="px-4">
              <Table>
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Policy</TableHead>
                    <TableHead>Effect</TableHead>
                    <TableHead>Mode</TableHead>
                    <TableHead className="hidden md:table-cell">Applies to</TableHead>
                    <TableHead>Enabled</TableHead>
                    <TableHead className="hidden lg:table-cell">Updated</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {list.data.map((p) => (
                    <TableRow key={p.id} data-testid={`policy-${p.name}`} className={p.enabled ? undefined : "text-muted-foreground"}>
                      <TableCell className="align-top">
                        <div className="grid max-w-md min-w-48 gap-0.5 whitespace-normal">
                          <Link href={`/o/${orgSlug}/policies/${p.id}`} className="font-medium text-foreground underline-offset-4 hover:underline">
                            {p.name}
                          </Link>
                          <span className="text-xs text-muted-foreground">{effectSummary(p)}</span>
                          <code className="line-clamp-1 font-mono text-xs text-muted-foreground" title={p.condition}>
                            <span className="sr-only">Condition: </span>
                            when {p.condition}
                          </code>
                        </div>
                      </TableCell>
                      <TableCell className="align-top">
                        <EffectBadge effect={p.effect} />
                      </TableCell>
                      <TableCell className="align-top">
                        <ModeBadge mode={p.mode} />
                      </TableCell>
                      <TableCell className="hidden align-top whitespace-normal md:table-cell">
                        <span className="text-sm">{scopeLabel[p.scope]}</span>
                        {p.scope !== "ORGANIZATION" && <span className="block text-xs text-muted-foreground">{p.scopeName ?? "deleted"}</span>}
                      </TableCell>
                      <TableCell className="align-top">
                        {canEdit ? <PolicyEnabledSwitch orgSlug={orgSlug} policy={p} /> : <Badge variant={p.enabled ? "success" : "outline"}>{p.enabled ? "Enabled" : "Disabled"}</Badge>}
                      </TableCell>
                      <TableCell className="hidden align-top text-xs lg:table-cell">
                        <RelativeTime date={p.updatedAt} />
                        <span className="block tabular-nums text-muted-foreground">v{p.version}</span>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
      </section>
      <PiiPatternsCard orgSlug={orgSlug} canEdit={canEdit} />
    </div>
  );
}

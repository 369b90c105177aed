"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, Download, Loader2, Printer, RefreshCw } from "lucide-react";
import Link from "next/link";
import { Fragment, useState } from "react";
import { toast } from "sonner";
import { RelativeTime } from "@/components/agents/relative-time";
import { EvidenceDetails } from "@/components/compliance/evidence-details";
import { ComplianceStatusBadge } from "@/components/compliance/status-badge";
import { frameworkSummary } from "@/components/compliance/status";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { CheckResultView, ComplianceOverview, FrameworkView } from "@/server/compliance/schema";
import { FrameworkEditor } from "./framework-editor";

export function ComplianceView({ orgSlug, orgName, canAdmin }: { orgSlug: string; orgName: string; canAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.compliance.overview.queryOptions({ orgSlug }));
  const run = useMutation(
    trpc.compliance.runChecks.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Checks ran: ${r.counts.PASS} pass, ${r.counts.FAIL} fail, ${r.counts.NOT_APPLICABLE} not applicable`);
        await queryClient.invalidateQueries({ queryKey: trpc.compliance.overview.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Compliance"
        description={`How ${orgName}'s configuration measures up to GDPR, HIPAA, SOC 2 and your own frameworks. Automated checks run every 15 minutes; each control's status comes from the checks behind it. Evidence for an assessment, not a certification.`}
        actions={
          <>
            {canAdmin && (
              <Button onClick={() => run.mutate({ orgSlug })} disabled={run.isPending}>
                {run.isPending ? <Loader2 aria-hidden="true" className="animate-spin" /> : <RefreshCw aria-hidden="true" />}
                Run checks now
              </Button>
            )}
            <Button variant="outline" asChild>
              <a href={`/api/orgs/${orgSlug}/compliance/export`} download>
                <Download aria-hidden="true" />
                Export CSV
              </a>
            </Button>
            <Button variant="outline" asChild>
              <Link href={`/o/${orgSlug}/compliance/report`}>
                <Printer aria-hidden="true" />
                Printable report
              </Link>
            </Button>
          </>
        }
      >
        {overview.data && (
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {overview.data.lastRunAt ? (
              <>
                Last checked <RelativeTime date={overview.data.lastRunAt} />
              </>
            ) : (
              "The checks have not run for this organization yet."
            )}
          </p>
        )}
      </PageHeader>
      {overview.isPending ? (
        <div role="status" aria-label="Loading compliance" className="grid gap-2">
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : overview.isError ? (
        <Alert variant="destructive">
          <AlertTitle>Compliance could not be loaded</AlertTitle>
          <AlertDescription>
            <p>{overview.error.message}</p>
            <Button variant="outline" size="sm" onClick={() => void overview.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      ) : (
        <Frameworks orgSlug={orgSlug} overview={overview.data} canAdmin={canAdmin} />
      )}
    </div>
  );
}

function Frameworks({ orgSlug, overview, canAdmin }: { orgSlug: string; overview: ComplianceOverview; canAdmin: boolean }) {
  const checks = new Map(overview.checks.map((c) => [c.key, c]));
  const custom = overview.frameworks.filter((f) => !f.builtIn);
  return (
    <Tabs defaultValue={overview.frameworks[0]?.key ?? "checks"}>
      <TabsList className="h-auto flex-wrap">
        {overview.frameworks.map((f) => (
          <TabsTrigger key={f.key} value={f.key}>
            {f.name}
            {f.counts.FAIL > 0 && (
              <span className="rounded bg-destructive px-1 text-[10px] font-semibold text-destructive-foreground" aria-label={`${f.counts.FAIL} failing`}>
                {f.counts.FAIL}
              </span>
            )}
          </TabsTrigger>
        ))}
        <TabsTrigger value="checks">All checks</TabsTrigger>
        {canAdmin && <TabsTrigger value="custom">Custom frameworks</TabsTrigger>}
      </TabsList>
      {overview.frameworks.map((f) => (
        <TabsContent key={f.key} value={f.key} className="pt-4">
          <FrameworkTable framework={f} checks={checks} />
        </TabsContent>
      ))}
      <TabsContent value="checks" className="pt-4">
        <section aria-labelledby="checks-heading" className="grid gap-4">
          <h2 id="checks-heading" className="text-base font-semibold">
            Automated checks
          </h2>
          <div className="grid gap-6 rounded-md border p-4">
            {overview.checks.map((c) => (
              <EvidenceDetails key={c.key} check={c} headingLevel={3} />
            ))}
          </div>
        </section>
      </TabsContent>
      {canAdmin && (
        <TabsContent value="custom" className="pt-4">
          <FrameworkEditor orgSlug={orgSlug} frameworks={custom} checks={overview.checks} />
        </TabsContent>
      )}
    </Tabs>
  );
}

function FrameworkTable({ framework, checks }: { framework: FrameworkView; checks: Map<string, CheckResultView> }) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const headingId = `framework-${framework.key}`;
  return (
    <section aria-labelledby={headingId} className="grid gap-3">
      <div>
        <h2 id={headingId} className="text-base font-semibold">
          {framework.name}
          {!framework.builtIn && <span className="ml-2 text-xs font-normal text-muted-foreground">custom · {framework.key}</span>}
        </h2>
        {framework.description && <p className="max-w-prose text-sm text-muted-foreground">{framework.description}</p>}
        <p className="text-sm">{frameworkSummary(framework.counts)}</p>
      </div>
      {framework.controls.length === 0 ? (
        <p className="text-sm text-muted-foreground">This framework has no controls yet.</p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className="w-10">
                <span className="sr-only">Evidence</span>
              </TableHead>
              <TableHead className="w-40">Control</TableHead>
              <TableHead>Title</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="hidden lg:table-cell">Evidence</TableHead>
              <TableHead className="hidden sm:table-cell">Checked</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {framework.controls.map((c) => {
              const expanded = open.has(c.controlId);
              const detailsId = `evidence-${framework.key}-${c.controlId}`.replace(/[^A-Za-z0-9_-]/g, "_");
              return (
                <Fragment key={c.controlId}>
                  <TableRow data-testid={`control-${c.controlId}`}>
                    <TableCell className="align-top">
                      {c.checks.length > 0 && (
                        <Button
                          variant="ghost"
                          size="icon"
                          aria-expanded={expanded}
                          aria-controls={detailsId}
                          aria-label={`${expanded ? "Hide" : "Show"} evidence for ${c.controlId}`}
                          onClick={() => toggle(c.controlId)}
                        >
                          {expanded ? <ChevronDown /> : <ChevronRight />}
                        </Button>
                      )}
                    </TableCell>
                    <TableCell className="align-top font-mono text-xs whitespace-normal">{c.controlId}</TableCell>
                    <TableCell className="max-w-md align-top whitespace-normal">
                      <span className="font-medium">{c.title}</span>
                      <p className="text-xs text-muted-foreground">{c.description}</p>
                    </TableCell>
                    <TableCell className="align-top">
                      <ComplianceStatusBadge status={c.status} />
                    </TableCell>
                    <TableCell className="hidden max-w-md align-top text-xs whitespace-normal lg:table-cell">
                      {c.checks.length === 0 ? (
                        <span className="text-muted-foreground">No automated check</span>
                      ) : (
                        <ul className="grid gap-1">
                          {c.checks.map((k) => (
                            <li key={k.key}>
                              <span className={k.status === "FAIL" ? "font-medium text-destructive" : undefined}>{k.summary ?? `${k.title}: not run yet`}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                    </TableCell>
                    <TableCell className="hidden align-top text-xs sm:table-cell">{c.checkedAt ? <RelativeTime date={c.checkedAt} /> : "—"}</TableCell>
                  </TableRow>
                  {expanded && (
                    <TableRow id={detailsId} className="bg-muted/30 hover:bg-muted/30">
                      <TableCell />
                      <TableCell colSpan={5} className="whitespace-normal">
                        <div className="grid gap-4 py-2">
                          {c.checks.map((k) => {
                            const result = checks.get(k.key);
                            return result ? <EvidenceDetails key={k.key} check={result} /> : null;
                          })}
                        </div>
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

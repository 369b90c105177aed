"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, Eraser, FileBraces, UserSearch } from "lucide-react";
import { useId, useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { RelativeTime } from "@/components/agents/relative-time";
import { RequestStatusBadge } from "@/components/privacy/status-badge";
import { confirmsSubject, describeResult, exportUrl, kindLabel, pollInterval } from "@/components/privacy/request-model";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { MAX_SUBJECT_LENGTH, type RequestKind } from "@/server/privacy/schema";

interface Props {
  orgSlug: string;
  orgName: string;
  role: Role;
}

export function PrivacyView({ orgSlug, orgName, role }: Props) {
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Data subjects"
        description={`Export or erase what ${orgName} stores about one person: the gateway requests made on their behalf and the feedback given on them, found by the subject identifier applications send (the OpenAI "user" field or the x-helix-subject header).`}
      />
      {hasRole(role, "ADMIN") ? (
        <>
          <NewRequestCard orgSlug={orgSlug} />
          <RequestsTable orgSlug={orgSlug} />
        </>
      ) : (
        <Alert>
          <AlertTitle>Admins only</AlertTitle>
          <AlertDescription>Data-subject requests need the Admin role; you are {roleLabel[role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

function NewRequestCard({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [subject, setSubject] = useState("");
  const [kind, setKind] = useState<RequestKind>("EXPORT");
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const create = useMutation(
    trpc.dataSubject.create.mutationOptions({
      onSuccess: async (made) => {
        toast.success(`${kindLabel[made.kind]} request queued`);
        setSubject("");
        setTyped("");
        setConfirming(false);
        await queryClient.invalidateQueries({ queryKey: trpc.dataSubject.list.queryKey({ orgSlug }) });
      },
      onError: () => setConfirming(false),
    }),
  );
  const errors = placeErrors(create.error, ["subject", "kind"] as const, "form");
  const submit = () => create.mutate({ orgSlug, subject, kind });

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base">New request</h2>
        </CardTitle>
        <CardDescription>
          <strong className="font-medium text-foreground">Export</strong> produces a JSON file of the subject&apos;s gateway requests (time, route, agent,
          status, tokens, cost, trace id, policy decisions), feedback and earlier requests. <strong className="font-medium text-foreground">Erase</strong>{" "}
          removes the subject identifier from those requests and deletes feedback labels; counts, costs and scores stay in analytics without the link to
          the person. Both run in the background and are recorded in the audit log.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (kind === "ERASE") {
              create.reset();
              setTyped("");
              setConfirming(true);
            } else submit();
          }}
        >
          <FormField
            label="Subject identifier"
            required
            error={errors.subject}
            description="Exactly as the application sends it; matched case-sensitively."
          >
            <Input
              name="subject"
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
              maxLength={MAX_SUBJECT_LENGTH}
              placeholder="user-4711 or alice@example.com"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
            />
          </FormField>
          <fieldset className="grid gap-2">
            <legend className="mb-2 text-sm font-medium">Request</legend>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name={`${id}-kind`} value="EXPORT" checked={kind === "EXPORT"} onChange={() => setKind("EXPORT")} className="mt-0.5 size-4 accent-primary" />
              <span>
                <span className="font-medium">Export</span> <span className="text-muted-foreground">— a file of everything stored about the subject</span>
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm">
              <input type="radio" name={`${id}-kind`} value="ERASE" checked={kind === "ERASE"} onChange={() => setKind("ERASE")} className="mt-0.5 size-4 accent-primary" />
              <span>
                <span className="font-medium">Erase</span> <span className="text-muted-foreground">— remove the subject from what is stored; cannot be undone</span>
              </span>
            </label>
          </fieldset>
          <div>
            <Button type="submit" variant={kind === "ERASE" ? "destructive" : "default"} disabled={create.isPending || subject.length === 0}>
              {kind === "ERASE" ? <Eraser aria-hidden="true" /> : <FileBraces aria-hidden="true" />}
              {kind === "ERASE" ? "Erase…" : "Export"}
            </Button>
          </div>
          {(errors.form || errors.kind) && (
            <p role="alert" className="text-sm text-destructive">
              {[errors.form, errors.kind].filter(Boolean).join(" ")}
            </p>
          )}
        </form>
        <AlertDialog open={confirming} onOpenChange={(open) => !create.isPending && setConfirming(open)}>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Erase this subject?</AlertDialogTitle>
              <AlertDialogDescription>
                Every gateway request and feedback of <code className="break-all rounded bg-muted px-1 font-mono text-foreground">{subject}</code> in this
                organization loses its link to the subject, and feedback labels are deleted. This cannot be undone.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <div className="grid gap-2">
              <Label htmlFor={`${id}-confirm`}>Type the subject identifier again to confirm</Label>
              <Input id={`${id}-confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} className="font-mono" />
            </div>
            <AlertDialogFooter>
              <AlertDialogCancel disabled={create.isPending}>Cancel</AlertDialogCancel>
              <AlertDialogAction
                className={buttonVariants({ variant: "destructive" })}
                disabled={!confirmsSubject(subject, typed) || create.isPending}
                onClick={(e) => {
                  // Keep the dialog open until the server answers; it closes on success or error.
                  e.preventDefault();
                  submit();
                }}
              >
                Erase subject
              </AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </CardContent>
    </Card>
  );
}

function RequestsTable({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const requests = useQuery({
    ...trpc.dataSubject.list.queryOptions({ orgSlug }),
    refetchInterval: (query) => pollInterval(query.state.data),
  });

  if (requests.isPending) return <Skeleton className="h-32 w-full" />;
  if (requests.isError) {
    return (
      <Alert variant="destructive">
        <AlertTitle>Could not load the requests</AlertTitle>
        <AlertDescription>{requests.error.message}</AlertDescription>
      </Alert>
    );
  }
  if (requests.data.length === 0) {
    return <EmptyState icon={UserSearch} titleAs="h2" title="No data-subject requests yet" description="Requests you create above are listed here with their progress." />;
  }
  return (
    <section aria-labelledby="requests-heading" className="grid gap-2">
      <h2 id="requests-heading" className="text-base font-semibold">
        Requests <span className="text-sm font-normal text-muted-foreground">(the latest 100)</span>
      </h2>
      <Table>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Subject</TableHead>
            <TableHead>Request</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Result</TableHead>
            <TableHead>Requested</TableHead>
            <TableHead>
              <span className="sr-only">Download</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {requests.data.map((r) => (
            <TableRow key={r.id} data-request-id={r.id}>
              <TableCell className="max-w-64 align-top">
                <span className="break-all font-mono text-xs">{r.subject}</span>
              </TableCell>
              <TableCell className="align-top">{kindLabel[r.kind]}</TableCell>
              <TableCell className="align-top">
                <RequestStatusBadge status={r.status} />
              </TableCell>
              <TableCell className="align-top text-sm">
                {r.status === "COMPLETED" && describeResult(r.kind, r.result)}
                {r.status === "RUNNING" && r.kind === "ERASE" && r.result && <span className="text-muted-foreground">{describeResult("ERASE", r.result)} so far</span>}
                {r.error && <p className={r.status === "FAILED" ? "text-destructive" : "text-muted-foreground"}>{r.error}</p>}
              </TableCell>
              <TableCell className="align-top text-xs">
                <RelativeTime date={r.createdAt} />
                {r.requestedByEmail && <p className="text-muted-foreground">by {r.requestedByEmail}</p>}
                {r.completedAt && (
                  <p className="text-muted-foreground">
                    finished <RelativeTime date={r.completedAt} />
                  </p>
                )}
              </TableCell>
              <TableCell className="align-top">
                {r.kind === "EXPORT" && r.status === "COMPLETED" && (
                  <a href={exportUrl(orgSlug, r.id)} download className={buttonVariants({ variant: "outline", size: "sm" })}>
                    <Download aria-hidden="true" />
                    Download
                  </a>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}

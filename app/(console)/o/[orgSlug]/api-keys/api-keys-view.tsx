"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Loader2, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useId, useState } from "react";
import { toast } from "sonner";
import { ApiKeyStatusBadge } from "@/components/api-keys/api-key-status-badge";
import { emptyApiKeyDraft, keyPrefixLabel, readApiKeyDraft, routeScopeLabel, todayInputValue, toggleRoute, type ApiKeyDraft } from "@/components/api-keys/api-key-form";
import { SecretOnce } from "@/components/api-keys/secret-once";
import { placeErrors } from "@/components/agents/form-errors";
import { RelativeTime, useNow } from "@/components/agents/relative-time";
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
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

const count = new Intl.NumberFormat("en");

interface Props {
  orgSlug: string;
  orgName: string;
  role: Role;
}

export function ApiKeysView({ orgSlug, orgName, role }: Props) {
  const isAdmin = hasRole(role, "ADMIN");
  return (
    <div className="grid gap-6">
      <PageHeader
        title="API keys"
        description={`Keys that applications use to call ${orgName}'s gateway, with the client they already have (OpenAI SDK, A2A or MCP client). Each key can be limited to some routes, expire and be rate-limited.`}
      />
      {isAdmin ? (
        <>
          <CreateKeyCard orgSlug={orgSlug} />
          <KeysTable orgSlug={orgSlug} />
        </>
      ) : (
        <Alert>
          <AlertTitle>Admins only</AlertTitle>
          <AlertDescription>Seeing, creating and revoking API keys needs the Admin role; you are {roleLabel[role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

const FIELDS = ["name", "routeIds", "expiresAt", "rateLimitPerMinute"] as const;

function CreateKeyCard({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const now = useNow();
  const routes = useQuery(trpc.route.list.queryOptions({ orgSlug }));
  const [draft, setDraft] = useState<ApiKeyDraft>(emptyApiKeyDraft);
  const [problems, setProblems] = useState<Partial<Record<keyof ApiKeyDraft, string>>>({});
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async ({ key, secret }) => {
        setCreated({ name: key.name, secret });
        setDraft(emptyApiKeyDraft);
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey({ orgSlug }) });
      },
    }),
  );
  const serverErrors = placeErrors(create.error, FIELDS, "form");
  const errorAt = (field: keyof ApiKeyDraft) => problems[field] ?? serverErrors[field];

  const set = (field: "name" | "expiresAt" | "rateLimitPerMinute") => (e: React.ChangeEvent<HTMLInputElement>) => {
    setDraft({ ...draft, [field]: e.target.value });
    if (problems[field]) setProblems({ ...problems, [field]: undefined });
  };

  function submit() {
    const read = readApiKeyDraft(draft, Date.now());
    setProblems(read.errors ?? {});
    if (!read.input) return;
    setCreated(null);
    create.mutate({ orgSlug, ...read.input });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="text-base">Create API key</h2>
        </CardTitle>
        <CardDescription>The key is shown once, right after it is created. HelixAgent stores only a hash of it.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        {created && <SecretOnce name={created.name} secret={created.secret} onDone={() => setCreated(null)} />}
        <form
          noValidate
          aria-busy={create.isPending || undefined}
          className="grid gap-5"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {serverErrors.form && (
            <Alert variant="destructive">
              <AlertTitle>The key was not created</AlertTitle>
              <AlertDescription>{serverErrors.form}</AlertDescription>
            </Alert>
          )}
          <FormField label="Name" required error={errorAt("name")} description="Who or what uses the key, e.g. support-web production." className="max-w-xl">
            <Input name="name" value={draft.name} onChange={set("name")} maxLength={80} autoComplete="off" disabled={create.isPending} />
          </FormField>

          <fieldset className="grid gap-3 rounded-lg border p-4" aria-describedby={`${id}-routes-help`}>
            <legend className="px-1 text-sm font-medium">Routes</legend>
            <p id={`${id}-routes-help`} className="text-sm text-muted-foreground">
              The routes this key may call. None checked: every route, including routes created later.
            </p>
            {routes.isPending ? (
              <p className="text-sm text-muted-foreground">Loading routes…</p>
            ) : routes.isError ? (
              <p role="alert" className="text-sm text-destructive">
                The routes could not be loaded: {routes.error.message}
              </p>
            ) : routes.data.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                No routes yet; the key will work for every route.{" "}
                <Link href={`/o/${orgSlug}/routes`} className="underline underline-offset-4">
                  Routes
                </Link>
              </p>
            ) : (
              <ul className="grid gap-2 sm:grid-cols-2">
                {routes.data.map((r) => (
                  <li key={r.id}>
                    <label className="flex cursor-pointer items-start gap-2 text-sm">
                      <input
                        type="checkbox"
                        checked={draft.routeIds.includes(r.id)}
                        onChange={(e) => setDraft({ ...draft, routeIds: toggleRoute(draft.routeIds, r.id, e.target.checked) })}
                        disabled={create.isPending}
                        className="mt-0.5 size-4 accent-primary"
                      />
                      <span className="grid">
                        <span className="font-medium">{r.name}</span>
                        <span className="font-mono text-xs text-muted-foreground">{r.alias}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
            <p className="text-sm" aria-live="polite">
              {draft.routeIds.length === 0 ? "All routes" : `${draft.routeIds.length} ${draft.routeIds.length === 1 ? "route" : "routes"} selected`}
            </p>
            {errorAt("routeIds") && (
              <p role="alert" className="text-sm font-medium text-destructive">
                {errorAt("routeIds")}
              </p>
            )}
          </fieldset>

          <div className="grid gap-5 sm:grid-cols-2 sm:items-start">
            <FormField label="Expires" error={errorAt("expiresAt")} description="Optional. The key works through the end of that day (UTC); empty: it never expires.">
              <Input name="expiresAt" type="date" value={draft.expiresAt} onChange={set("expiresAt")} min={now === null ? undefined : todayInputValue(now)} disabled={create.isPending} />
            </FormField>
            <FormField label="Rate limit (requests per minute)" error={errorAt("rateLimitPerMinute")} description="Optional. Empty: no limit for this key.">
              <Input name="rateLimitPerMinute" value={draft.rateLimitPerMinute} onChange={set("rateLimitPerMinute")} inputMode="numeric" autoComplete="off" className="tabular-nums" disabled={create.isPending} />
            </FormField>
          </div>

          <Button type="submit" className="w-fit" disabled={create.isPending}>
            {create.isPending ? <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" /> : <Plus aria-hidden="true" />}
            {create.isPending ? "Creating…" : "Create API key"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function KeysTable({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKey.list.queryOptions({ orgSlug }));
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async (key) => {
        toast.success(`${key.name} revoked`, { description: "The gateway refuses it from now on." });
        await queryClient.invalidateQueries({ queryKey: trpc.apiKey.list.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );

  return (
    <section aria-labelledby="api-keys-list" aria-busy={keys.isFetching || undefined}>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 id="api-keys-list" className="text-base">
              Keys
            </h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {keys.isPending ? (
            <div role="status" aria-label="Loading API keys" className="grid gap-2">
              <Skeleton className="h-6 w-full" />
              <Skeleton className="h-6 w-full" />
            </div>
          ) : keys.isError ? (
            <Alert variant="destructive">
              <AlertTitle>The API keys could not be loaded</AlertTitle>
              <AlertDescription>
                <p>{keys.error.message}</p>
                <Button variant="outline" size="sm" onClick={() => void keys.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          ) : keys.data.length === 0 ? (
            <EmptyState
              icon={KeyRound}
              titleAs="h3"
              title="No API keys yet"
              description="Create one above and give it to the application that calls the gateway."
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Key</TableHead>
                  <TableHead>Routes</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="hidden md:table-cell">Expires</TableHead>
                  <TableHead className="hidden text-right md:table-cell">Rate limit</TableHead>
                  <TableHead className="hidden lg:table-cell">Last used</TableHead>
                  <TableHead className="hidden sm:table-cell">Created</TableHead>
                  <TableHead className="w-12">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.data.map((k) => (
                  <TableRow key={k.id} data-testid={`api-key-${k.prefix}`}>
                    <TableCell className="align-top">
                      <div className="grid gap-0.5">
                        <span className="font-medium">{k.name}</span>
                        <code className="font-mono text-xs text-muted-foreground">{keyPrefixLabel(k.prefix)}</code>
                      </div>
                    </TableCell>
                    <TableCell className="max-w-64 align-top text-xs whitespace-normal">
                      {k.routeIds.length === 0 ? <span className="text-muted-foreground">All routes</span> : routeScopeLabel(k)}
                    </TableCell>
                    <TableCell className="align-top">
                      <ApiKeyStatusBadge status={k.status} />
                    </TableCell>
                    <TableCell className="hidden align-top text-xs md:table-cell">{k.expiresAt ? <RelativeTime date={k.expiresAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>
                    <TableCell className="hidden text-right align-top text-xs tabular-nums md:table-cell">
                      {k.rateLimitPerMinute === null ? <span className="text-muted-foreground">None</span> : `${count.format(k.rateLimitPerMinute)}/min`}
                    </TableCell>
                    <TableCell className="hidden align-top text-xs lg:table-cell">{k.lastUsedAt ? <RelativeTime date={k.lastUsedAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>
                    <TableCell className="hidden align-top text-xs sm:table-cell">
                      <RelativeTime date={k.createdAt} />
                    </TableCell>
                    <TableCell className="align-top">
                      {k.status !== "revoked" && (
                        <AlertDialog>
                          <AlertDialogTrigger asChild>
                            <Button variant="ghost" size="icon" aria-label={`Revoke ${k.name}`} disabled={revoke.isPending}>
                              <Trash2 />
                            </Button>
                          </AlertDialogTrigger>
                          <AlertDialogContent>
                            <AlertDialogHeader>
                              <AlertDialogTitle>Revoke {k.name}?</AlertDialogTitle>
                              <AlertDialogDescription>
                                The gateway refuses <code className="font-mono">{keyPrefixLabel(k.prefix)}</code> at once; applications using it stop working until
                                they get a new key. This cannot be undone.
                              </AlertDialogDescription>
                            </AlertDialogHeader>
                            <AlertDialogFooter>
                              <AlertDialogCancel>Cancel</AlertDialogCancel>
                              <AlertDialogAction className={buttonVariants({ variant: "destructive" })} onClick={() => revoke.mutate({ orgSlug, apiKeyId: k.id })}>
                                Revoke key
                              </AlertDialogAction>
                            </AlertDialogFooter>
                          </AlertDialogContent>
                        </AlertDialog>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </section>
  );
}

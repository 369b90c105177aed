"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BadgeCheck, ExternalLink, Search, Store } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatDay } from "../format";
import { Pagination } from "../pagination";
import { pageCountOf, parsePublisherParams, PUBLISHERS_PATH, publishersHref, toPublishersInput, type PublisherParams } from "./params";

type Publisher = inferRouterOutputs<AppRouter>["marketplace"]["admin"]["publishers"]["items"][number];

/** Every publisher, newest first, searchable, each with its verified state and the switch for it. */
export function PublishersView({ state }: { state: PublisherParams }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [navigating, startTransition] = useTransition();
  const publishers = useQuery(trpc.marketplace.admin.publishers.queryOptions(toPublishersInput(state)));
  const data = publishers.data;
  const first = data ? (data.page - 1) * data.pageSize + 1 : 0;

  return (
    <section aria-labelledby="publishers-heading" aria-busy={publishers.isFetching || navigating || undefined} className="grid gap-4">
      <div className="grid gap-0.5">
        <h2 id="publishers-heading" className="text-base font-semibold">
          Publishers
        </h2>
        <p className="text-sm text-muted-foreground">Verify a publisher once you know who is behind it: its listings then carry the verified mark and show under “Verified publishers only”.</p>
      </div>

      {/* A plain GET form, so it works before JavaScript loads; with it, navigates without a reload. Keyed by the URL so Back shows what the URL says. */}
      <form
        key={state.q}
        action={PUBLISHERS_PATH}
        method="get"
        role="search"
        aria-label="Search publishers"
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const next = parsePublisherParams(new URLSearchParams([...new FormData(e.currentTarget).entries()].map(([k, v]) => [k, String(v)])));
          startTransition(() => router.push(publishersHref({ ...next, page: 1 })));
        }}
      >
        <div className="grid flex-1 gap-2">
          <Label htmlFor="publisher-q">Name or slug</Label>
          <div className="relative">
            <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
            <Input id="publisher-q" name="q" type="search" className="pl-9" defaultValue={state.q} maxLength={200} placeholder="helix-labs, Acme…" />
          </div>
        </div>
        <Button type="submit">Search</Button>
      </form>

      <p className="text-sm text-muted-foreground tabular-nums" role="status">
        {data ? (data.total === 0 ? "No publishers" : data.total <= data.pageSize ? `${data.total} ${data.total === 1 ? "publisher" : "publishers"}` : `${first}–${first + data.items.length - 1} of ${data.total}`) : ""}
      </p>

      {publishers.isPending ? (
        <Card className="py-4" role="status" aria-label="Loading publishers">
          <CardContent className="grid gap-3 px-4">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </CardContent>
        </Card>
      ) : publishers.isError ? (
        <Alert variant="destructive">
          <AlertTitle>The publishers could not be loaded</AlertTitle>
          <AlertDescription>
            <p>{publishers.error.message}</p>
            <Button variant="outline" size="sm" onClick={() => void publishers.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      ) : publishers.data.items.length === 0 ? (
        <EmptyState
          icon={Store}
          title={publishers.data.total > 0 ? "No publishers on this page" : state.q ? "No publisher matches" : "No publishers yet"}
          description={
            publishers.data.total > 0
              ? `There are ${publishers.data.total} publishers, on ${pageCountOf(publishers.data.total, publishers.data.pageSize)} pages.`
              : state.q
                ? `Nothing has “${state.q}” in its name or slug.`
                : "Organizations become publishers from their console."
          }
          action={
            publishers.data.total > 0 || state.q ? (
              <Button asChild variant="outline">
                <Link href={publishersHref({ q: publishers.data.total > 0 ? state.q : "", page: 1 })}>{publishers.data.total > 0 ? "Go to the first page" : "Show every publisher"}</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Card className="py-4">
          <CardContent className="px-4">
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Publisher</TableHead>
                  <TableHead className="hidden sm:table-cell">Published listings</TableHead>
                  <TableHead className="hidden md:table-cell">Joined</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Action</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {publishers.data.items.map((p) => (
                  <PublisherRow key={p.id} publisher={p} />
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}

      {data && <Pagination page={state.page} pageCount={pageCountOf(data.total, data.pageSize)} href={(page) => publishersHref({ ...state, page })} label="Publisher pages" />}
    </section>
  );
}

function PublisherRow({ publisher: p }: { publisher: Publisher }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setVerified = useMutation(
    trpc.marketplace.admin.setVerified.mutationOptions({
      onSuccess: async (updated) => {
        toast.success(updated.verified ? `${updated.displayName} verified` : `${updated.displayName} no longer verified`, {
          description: updated.verified ? "Its listings carry the verified mark." : "Its listings no longer carry the verified mark.",
        });
        await queryClient.invalidateQueries({ queryKey: trpc.marketplace.admin.publishers.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <TableRow data-testid={`publisher-${p.slug}`}>
      <TableCell className="align-top whitespace-normal">
        <div className="grid min-w-40 gap-0.5">
          <span className="font-medium">{p.displayName}</span>
          <span className="font-mono text-xs text-muted-foreground">{p.slug}</span>
          {p.website && (
            <a href={p.website} target="_blank" rel="noopener noreferrer nofollow" className="inline-flex w-fit items-center gap-1 text-xs text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
              {p.website.replace(/^https?:\/\//, "")}
              <ExternalLink aria-hidden="true" className="size-3" />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
          )}
        </div>
      </TableCell>
      <TableCell className="hidden align-top tabular-nums sm:table-cell">{p.publishedListings}</TableCell>
      <TableCell className="hidden align-top text-xs whitespace-nowrap md:table-cell">
        <time dateTime={p.createdAt.toISOString()}>{formatDay(p.createdAt)}</time>
      </TableCell>
      <TableCell className="align-top">
        {p.verified ? (
          <Badge variant="success" data-testid="verified-state">
            <BadgeCheck aria-hidden="true" />
            Verified{p.verifiedAt && <span className="font-normal"> {formatDay(p.verifiedAt)}</span>}
          </Badge>
        ) : (
          <Badge variant="outline" data-testid="verified-state">
            Not verified
          </Badge>
        )}
      </TableCell>
      <TableCell className="text-right align-top">
        <Button
          size="sm"
          variant={p.verified ? "outline" : "default"}
          disabled={setVerified.isPending}
          onClick={() => setVerified.mutate({ publisherId: p.id, verified: !p.verified })}
        >
          {p.verified ? "Unverify" : "Verify"}
          <span className="sr-only"> {p.displayName}</span>
        </Button>
      </TableCell>
    </TableRow>
  );
}

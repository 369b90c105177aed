"use client";

import { useQuery } from "@tanstack/react-query";
import { ExternalLink, PackageOpen, Plus } from "lucide-react";
import Link from "next/link";
import { DisabledAction } from "@/components/agents/disabled-action";
import { formatDay } from "@/components/marketplace/format";
import { KindBadge } from "@/components/marketplace/kind-badge";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listingState, listingStateLabel, type ListingState } from "./publisher-model";

const stateVariant: Record<ListingState, "secondary" | "success" | "warning"> = { draft: "secondary", published: "success", yanked: "warning" };

/** The organization's own listings, drafts included, each linking to its console page. */
export function OwnListingsCard({ orgSlug, canEdit, readOnlyReason }: { orgSlug: string; canEdit: boolean; readOnlyReason: string }) {
  const trpc = useTRPC();
  const listings = useQuery(trpc.marketplace.listing.mine.queryOptions({ orgSlug }));
  const base = `/o/${orgSlug}/publisher/listings`;
  const newListing = canEdit ? (
    <Button asChild variant={listings.data?.length === 0 ? "default" : "outline"}>
      <Link href={`${base}/new`}>
        <Plus aria-hidden="true" />
        New listing
      </Link>
    </Button>
  ) : (
    <DisabledAction reason={readOnlyReason}>
      <Plus aria-hidden="true" />
      New listing
    </DisabledAction>
  );

  return (
    <section aria-labelledby="own-listings-heading" aria-busy={listings.isFetching || undefined}>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2 id="own-listings-heading" className="text-base">
              Listings
            </h2>
          </CardTitle>
          <CardDescription>A listing is public once its first version is published; until then it is a draft only your organization sees.</CardDescription>
          {listings.data && listings.data.length > 0 && <CardAction>{newListing}</CardAction>}
        </CardHeader>
        <CardContent>
          {listings.isPending ? (
            <div role="status" aria-label="Loading listings" className="grid gap-2">
              <Skeleton className="h-6 w-full" />
              <Skeleton className="h-6 w-full" />
            </div>
          ) : listings.isError ? (
            <Alert variant="destructive">
              <AlertTitle>The listings could not be loaded</AlertTitle>
              <AlertDescription>
                <p>{listings.error.message}</p>
                <Button variant="outline" size="sm" onClick={() => void listings.refetch()}>
                  Try again
                </Button>
              </AlertDescription>
            </Alert>
          ) : listings.data.length === 0 ? (
            <EmptyState
              icon={PackageOpen}
              titleAs="h3"
              title="No listings yet"
              description="Create a listing for a gateway plugin, a policy pack, or a route or agent template, then publish signed versions of it."
              action={newListing}
            />
          ) : (
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Listing</TableHead>
                  <TableHead className="hidden md:table-cell">Kind</TableHead>
                  <TableHead>Latest version</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="hidden sm:table-cell">Updated</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {listings.data.map((l) => {
                  const state = listingState(l);
                  return (
                    <TableRow key={l.id}>
                      <TableCell className="align-top whitespace-normal">
                        <div className="grid gap-0.5">
                          <Link href={`${base}/${l.slug}`} className="font-medium underline-offset-4 hover:underline">
                            {l.name}
                          </Link>
                          <span className="flex items-center gap-2 font-mono text-xs text-muted-foreground">
                            {l.slug}
                            {state !== "draft" && (
                              <Link href={`/marketplace/${l.slug}`} className="inline-flex items-center gap-1 font-sans hover:text-foreground" aria-label={`${l.name} in the marketplace`}>
                                <ExternalLink aria-hidden="true" className="size-3" />
                              </Link>
                            )}
                          </span>
                        </div>
                      </TableCell>
                      <TableCell className="hidden align-top md:table-cell">
                        <KindBadge kind={l.kind} />
                      </TableCell>
                      <TableCell className="align-top font-mono text-xs">{l.latestVersion ?? <span className="font-sans text-muted-foreground">None</span>}</TableCell>
                      <TableCell className="align-top">
                        <Badge variant={stateVariant[state]}>{listingStateLabel[state]}</Badge>
                      </TableCell>
                      <TableCell className="hidden align-top text-xs sm:table-cell">{formatDay(l.updatedAt)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </section>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { BackLink } from "@/components/agents/back-link";
import { Fact, Missing } from "@/components/agents/facts";
import { Section } from "@/components/agents/section";
import { KindBadge } from "@/components/marketplace/kind-badge";
import { ListingIcon } from "@/components/marketplace/listing-icon";
import { formatDay } from "@/components/marketplace/format";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { EditListingForm } from "./edit-listing-form";
import type { CategoryOption, ContentLimits } from "./listing-form-model";
import { PublishVersionForm } from "./publish-version-form";
import { VersionTable } from "./version-table";

/** A publisher's console page for one listing: its versions, publishing and yanking, and its page's fields. */
export function ListingAdminView({
  orgSlug,
  listingSlug,
  role,
  canEdit,
  categories,
  limits,
}: {
  orgSlug: string;
  listingSlug: string;
  role: Role;
  canEdit: boolean;
  categories: CategoryOption[];
  limits: ContentLimits;
}) {
  const trpc = useTRPC();
  const listingQuery = useQuery(trpc.marketplace.listing.own.queryOptions({ orgSlug, listingSlug }));
  const publisherQuery = useQuery(trpc.marketplace.publisher.get.queryOptions({ orgSlug }));
  const back = <BackLink href={`/o/${orgSlug}/publisher`}>Publisher</BackLink>;

  if (listingQuery.isPending || publisherQuery.isPending) {
    return (
      <div className="grid gap-6" role="status" aria-label="Loading the listing">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (listingQuery.isError || publisherQuery.isError || !publisherQuery.data) {
    return (
      <div className="grid gap-6">
        {back}
        <Alert variant="destructive">
          <AlertTitle>This listing could not be loaded</AlertTitle>
          <AlertDescription>{listingQuery.error?.message ?? publisherQuery.error?.message ?? "This organization is not a publisher."}</AlertDescription>
        </Alert>
      </div>
    );
  }
  const listing = listingQuery.data;
  const publisher = publisherQuery.data;
  const published = listing.publishedAt !== null;
  const categoryLabel = (slug: string) => categories.find((c) => c.slug === slug)?.label ?? slug;

  return (
    <div className="grid gap-6">
      {back}
      <PageHeader
        title={listing.name}
        description={listing.summary}
        actions={
          published && (
            <Button asChild variant="outline">
              <Link href={`/marketplace/${listing.slug}`}>
                View in the marketplace
                <ExternalLink aria-hidden="true" />
              </Link>
            </Button>
          )
        }
      >
        <div className="flex flex-wrap items-center gap-2 pt-1 text-sm text-muted-foreground">
          <ListingIcon icon={listing.icon} name={listing.name} className="size-8 rounded-md text-sm" />
          <KindBadge kind={listing.kind} />
          <span className="font-mono text-xs">/marketplace/{listing.slug}</span>
          {!published ? (
            <Badge variant="outline">Draft: not public</Badge>
          ) : listing.latestVersion ? (
            <span>
              Latest <span className="font-mono">{listing.latestVersion}</span>
            </span>
          ) : (
            <Badge variant="destructive">Every version yanked</Badge>
          )}
          {published && <span>{listing.installCount === 1 ? "1 install" : `${listing.installCount} installs`}</span>}
        </div>
      </PageHeader>
      {!canEdit && <p className="-mt-3 text-sm text-muted-foreground">Read-only: publishing, yanking and editing need the Admin role; you are {roleLabel[role]}.</p>}

      <Section id="listing-versions" title="Versions" description="Newest first. A yanked version stays listed but cannot be installed; its number is never reused.">
        <VersionTable orgSlug={orgSlug} listing={listing} keys={publisher.keys} canYank={canEdit} />
      </Section>

      {canEdit && (
        <Section
          id="publish-version"
          title="Publish a version"
          description={`Each version carries a manifest signed with one of ${publisher.displayName}'s keys; organizations check the signature before they install.`}
        >
          {publisher.keys.some((k) => !k.revokedAt) ? (
            // Keyed by the newest version: after publishing, the form starts again from it.
            <PublishVersionForm key={listing.versions[0]?.id ?? "first"} orgSlug={orgSlug} listing={listing} publisher={publisher} />
          ) : (
            <Alert>
              <AlertTitle>No signing key yet</AlertTitle>
              <AlertDescription>
                <p>Register an ed25519 public key for {publisher.displayName} first; versions are signed with its private key.</p>
                <Button asChild variant="outline" size="sm">
                  <Link href={`/o/${orgSlug}/publisher`}>Go to the publisher page</Link>
                </Button>
              </AlertDescription>
            </Alert>
          )}
        </Section>
      )}

      <Section id="listing-details" title="Listing page" description="What the marketplace shows. The slug and kind stay as created.">
        {canEdit ? (
          <EditListingForm orgSlug={orgSlug} listing={listing} categories={categories} limits={limits} />
        ) : (
          <dl className="grid gap-4 text-sm sm:grid-cols-2">
            <Fact term="Categories">{listing.categories.map(categoryLabel).join(", ")}</Fact>
            <Fact term="Tags">{listing.tags.length ? listing.tags.join(", ") : <Missing>None</Missing>}</Fact>
            <Fact term="Licence">{listing.license ?? <Missing />}</Fact>
            <Fact term="Source">{listing.sourceUrl ?? <Missing />}</Fact>
            <Fact term="Updated">{formatDay(listing.updatedAt)}</Fact>
          </dl>
        )}
      </Section>
    </div>
  );
}

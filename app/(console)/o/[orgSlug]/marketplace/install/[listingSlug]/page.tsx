import { ArrowLeft, ShieldAlert } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { InstallForm } from "@/components/marketplace/install-form";
import { installActionLabel, isTemplate } from "@/components/marketplace/install-model";
import { KindBadge } from "@/components/marketplace/kind-badge";
import { ListingIcon } from "@/components/marketplace/listing-icon";
import { loadListing } from "@/components/marketplace/load-listing";
import { PublisherName } from "@/components/marketplace/verified-badge";
import { loadOrgPage } from "@/components/trpc/org-page";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";

type Params = Promise<{ orgSlug: string; listingSlug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { listingSlug } = await params;
  const listing = await loadListing(listingSlug);
  return { title: isTemplate(listing.kind) ? `${installActionLabel(listing.kind)} from ${listing.name}` : `Install ${listing.name}`, robots: { index: false } };
}

export default async function InstallListingPage({ params }: { params: Params }) {
  const { orgSlug, listingSlug } = await params;
  const { org, caller } = await loadOrgPage(orgSlug, `/marketplace/install/${listingSlug}`);
  const listing = await loadListing(listingSlug);
  const installedHref = `/o/${orgSlug}/marketplace`;
  const template = isTemplate(listing.kind);
  const action = installActionLabel(listing.kind);

  const header = (
    <>
      <Link href={`/marketplace/${listing.slug}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden="true" className="size-4" />
        {listing.name} in the marketplace
      </Link>
      <PageHeader
        title={template ? `${action} from ${listing.name}` : `Install ${listing.name}`}
        description={`${template ? "In" : "Into"} ${org.name}. ${listing.summary}`}
        actions={<ListingIcon icon={listing.icon} name={listing.name} />}
      >
        <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <KindBadge kind={listing.kind} />
          by <PublisherName name={listing.publisher.displayName} verified={listing.publisher.verified} />
        </p>
      </PageHeader>
    </>
  );

  const stop = (title: string, message: string, action?: { href: string; label: string }) => (
    <div className="grid gap-6">
      {header}
      <Alert>
        <ShieldAlert aria-hidden="true" />
        <AlertTitle>{title}</AlertTitle>
        <AlertDescription>
          <p>{message}</p>
          {action && (
            <Button asChild variant="outline" size="sm">
              <Link href={action.href}>{action.label}</Link>
            </Button>
          )}
        </AlertDescription>
      </Alert>
    </div>
  );

  if (!hasRole(org.role, "ADMIN")) {
    return stop(`${template ? action : "Installing"} needs the Admin role`, `You are ${roleLabel[org.role]} in ${org.name}; ask an admin or owner to ${template ? `${action.toLowerCase()} from` : "install"} ${listing.name}.`, {
      href: `/marketplace/${listing.slug}`,
      label: "Back to the listing",
    });
  }
  if (!listing.latest) return stop("Nothing to install", "Every version of this listing has been withdrawn (yanked) by its publisher.");

  // A template can be used any number of times; a plugin or pack is installed once.
  const existing = template ? undefined : (await caller.marketplace.install.list({ orgSlug })).find((i) => i.listing.slug === listing.slug);
  if (existing) {
    return stop(`${listing.name} is already installed`, `Version ${existing.version} is installed in ${org.name}. Configure or upgrade it from the installed listings.`, {
      href: installedHref,
      label: "Go to installed listings",
    });
  }

  const defaultVersion = listing.latest.version;
  // Awaited, not streamed: a pending prefetch can make the server render and hydration differ.
  await Promise.all([
    prefetch(trpc.marketplace.version.get.queryOptions({ listingSlug: listing.slug, version: defaultVersion })),
    listing.kind === "GATEWAY_PLUGIN" ? prefetch(trpc.route.list.queryOptions({ orgSlug })) : null,
  ]);

  return (
    <div className="grid gap-6">
      {header}
      <HydrateClient>
        <InstallForm
          orgSlug={orgSlug}
          orgName={org.name}
          listing={{ slug: listing.slug, name: listing.name, kind: listing.kind }}
          versions={listing.versions.map((v) => ({ version: v.version, changelog: v.changelog, yanked: v.yanked }))}
          defaultVersion={defaultVersion}
        />
      </HydrateClient>
    </div>
  );
}

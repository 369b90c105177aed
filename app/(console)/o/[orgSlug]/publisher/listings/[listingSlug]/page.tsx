import type { Metadata } from "next";
import { BackLink } from "@/components/agents/back-link";
import { ListingAdminView } from "@/components/marketplace/listings-admin/listing-admin-view";
import { listingFormOptions, loadOwnListing, loadPublisher } from "@/components/marketplace/listings-admin/load-listing-admin";
import { NotPublisher } from "@/components/marketplace/listings-admin/not-publisher";
import { loadOrgPage } from "@/components/trpc/org-page";
import { HydrateClient } from "@/components/trpc/server";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/server/auth/roles";

type Params = Promise<{ orgSlug: string; listingSlug: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, listingSlug } = await params;
  try {
    return { title: (await loadOwnListing(orgSlug, listingSlug)).name };
  } catch {
    return { title: "Listing" };
  }
}

export default async function PublisherListingPage({ params }: { params: Params }) {
  const { orgSlug, listingSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, `/publisher/listings/${listingSlug}`);
  const publisher = await loadPublisher(orgSlug);
  if (!publisher) {
    return (
      <div className="grid gap-6">
        <BackLink href={`/o/${orgSlug}/publisher`}>Publisher</BackLink>
        <PageHeader title="Listing" />
        <NotPublisher orgSlug={orgSlug} orgName={org.name} />
      </div>
    );
  }
  // Read before rendering (404 for another organization's or an unknown listing) and handed to the browser.
  await loadOwnListing(orgSlug, listingSlug);
  const { categories, limits } = listingFormOptions();
  return (
    <HydrateClient>
      <ListingAdminView orgSlug={orgSlug} listingSlug={listingSlug} role={org.role} canEdit={hasRole(org.role, "ADMIN")} categories={categories} limits={limits} />
    </HydrateClient>
  );
}

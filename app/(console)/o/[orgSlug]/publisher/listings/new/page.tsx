import type { Metadata } from "next";
import { BackLink } from "@/components/agents/back-link";
import { listingFormOptions, loadPublisher } from "@/components/marketplace/listings-admin/load-listing-admin";
import { NewListingForm } from "@/components/marketplace/listings-admin/new-listing-form";
import { NotPublisher } from "@/components/marketplace/listings-admin/not-publisher";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";

export const metadata: Metadata = { title: "New listing" };

export default async function NewListingPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/publisher/listings/new");
  const publisher = await loadPublisher(orgSlug);
  const { categories, limits } = listingFormOptions();
  return (
    <div className="grid gap-6">
      <BackLink href={`/o/${orgSlug}/publisher`}>Publisher</BackLink>
      <PageHeader
        title="New listing"
        description="A plugin, policy pack or template in the marketplace. It starts as a draft that only your organization sees; publishing a signed version makes it public."
      />
      {!publisher ? (
        <NotPublisher orgSlug={orgSlug} orgName={org.name} />
      ) : !hasRole(org.role, "ADMIN") ? (
        <Alert>
          <AlertTitle>Admins only</AlertTitle>
          <AlertDescription>Creating listings needs the Admin role; you are {roleLabel[org.role]} in {org.name}.</AlertDescription>
        </Alert>
      ) : (
        <NewListingForm orgSlug={orgSlug} publisherName={publisher.displayName} categories={categories} limits={limits} />
      )}
    </div>
  );
}

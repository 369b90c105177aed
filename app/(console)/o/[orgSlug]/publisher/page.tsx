import type { Metadata } from "next";
import { PublisherView } from "@/components/marketplace/publisher/publisher-view";
import { loadOrgPage } from "@/components/trpc/org-page";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";

export const metadata: Metadata = { title: "Publisher" };

export default async function PublisherPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/publisher");
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await Promise.all([prefetch(trpc.marketplace.publisher.get.queryOptions({ orgSlug })), prefetch(trpc.marketplace.listing.mine.queryOptions({ orgSlug }))]);
  return (
    <HydrateClient>
      <PublisherView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

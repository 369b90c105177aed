import type { Metadata } from "next";
import { loadOrgPage } from "@/components/trpc/org-page";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { InstalledView } from "./installed-view";

export const metadata: Metadata = { title: "Marketplace" };

export default async function InstalledListingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/marketplace");
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await Promise.all([prefetch(trpc.marketplace.install.list.queryOptions({ orgSlug })), prefetch(trpc.route.list.queryOptions({ orgSlug }))]);
  return (
    <HydrateClient>
      <InstalledView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

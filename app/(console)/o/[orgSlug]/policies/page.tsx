import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { PoliciesView } from "./policies-view";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/policies");
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await Promise.all([prefetch(trpc.policy.list.queryOptions({ orgSlug })), prefetch(trpc.piiPattern.list.queryOptions({ orgSlug }))]);
  return (
    <HydrateClient>
      <PoliciesView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

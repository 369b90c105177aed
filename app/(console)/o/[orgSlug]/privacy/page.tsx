import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { hasRole } from "@/server/auth/roles";
import { PrivacyView } from "./privacy-view";

export const metadata: Metadata = { title: "Data subjects" };

export default async function PrivacyPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/privacy");
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  if (hasRole(org.role, "ADMIN")) await prefetch(trpc.dataSubject.list.queryOptions({ orgSlug }));
  return (
    <HydrateClient>
      <PrivacyView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { hasRole } from "@/server/auth/roles";
import { ApiKeysView } from "./api-keys-view";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/api-keys");
  if (hasRole(org.role, "ADMIN")) {
    // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
    await Promise.all([prefetch(trpc.apiKey.list.queryOptions({ orgSlug })), prefetch(trpc.route.list.queryOptions({ orgSlug }))]);
  }
  return (
    <HydrateClient>
      <ApiKeysView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { RoutesView } from "./routes-view";

export const metadata: Metadata = { title: "Routes" };

export default async function RoutesPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/routes");
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await prefetch(trpc.route.list.queryOptions({ orgSlug }));
  return (
    <HydrateClient>
      <RoutesView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { agentPickerInput } from "@/components/routes/agent-picker";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { loadRoute, routeTitle } from "./load-route";
import { RouteDetailView } from "./route-detail-view";

type Params = Promise<{ orgSlug: string; routeId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, routeId } = await params;
  return { title: await routeTitle(orgSlug, routeId) };
}

export default async function RoutePage({ params }: { params: Params }) {
  const { orgSlug, routeId } = await params;
  const { org } = await loadOrgPage(orgSlug, `/routes/${routeId}`);
  await loadRoute(orgSlug, routeId);
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await Promise.all([
    prefetch(trpc.route.versions.queryOptions({ orgSlug, routeId })),
    // Agent names for the target picker and the version history.
    prefetch(trpc.agent.list.queryOptions(agentPickerInput(orgSlug))),
  ]);
  return (
    <HydrateClient>
      <RouteDetailView orgSlug={orgSlug} routeId={routeId} role={org.role} />
    </HydrateClient>
  );
}

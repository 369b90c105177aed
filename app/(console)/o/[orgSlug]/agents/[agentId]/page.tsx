import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { AgentDetailView } from "./agent-detail-view";
import { agentTitle, loadAgent } from "./load-agent";

type Params = Promise<{ orgSlug: string; agentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, agentId } = await params;
  return { title: await agentTitle(orgSlug, agentId) };
}

export default async function AgentPage({ params }: { params: Params }) {
  const { orgSlug, agentId } = await params;
  const { org } = await loadOrgPage(orgSlug, `/agents/${agentId}`);
  await loadAgent(orgSlug, agentId);
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await Promise.all([
    prefetch(trpc.agent.health.queryOptions({ orgSlug, agentId })),
    prefetch(trpc.agent.discoveries.queryOptions({ orgSlug, agentId })),
  ]);
  return (
    <HydrateClient>
      <AgentDetailView orgSlug={orgSlug} agentId={agentId} role={org.role} />
    </HydrateClient>
  );
}

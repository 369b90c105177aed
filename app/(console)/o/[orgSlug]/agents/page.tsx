import type { Metadata } from "next";
import { agentListSearch, parseAgentListParams, toListInput } from "@/components/agents/list-params";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { AgentsView } from "./agents-view";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const state = parseAgentListParams(await searchParams);
  const { org } = await loadOrgPage(orgSlug, `/agents${agentListSearch(state)}`);
  // The same inputs the view derives from the URL, so the browser reuses these instead of asking
  // again. Awaited rather than streamed: the view uses useQuery, and a query still pending during
  // server rendering but resolved by hydration renders differently on each side (React error 418).
  await prefetch(trpc.agent.list.queryOptions(toListInput(orgSlug, state)));
  return (
    <HydrateClient>
      <AgentsView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

import { Bot } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { BackLink } from "@/components/agents/back-link";
import { analyticsSearch, nextAnalyticsParams, parseAnalyticsParams } from "@/components/analytics/range";
import { HydrateClient } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Button } from "@/components/ui/button";
import { agentTitle, loadAgent } from "../../../agents/[agentId]/load-agent";
import { AnalyticsDashboard } from "../../analytics-dashboard";
import { prefetchDashboard } from "../../prefetch-dashboard";

type Params = Promise<{ orgSlug: string; agentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, agentId } = await params;
  return { title: await agentTitle(orgSlug, agentId, " · Analytics") };
}

export default async function AgentAnalyticsPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { orgSlug, agentId } = await params;
  const search = await searchParams;
  const state = parseAnalyticsParams(search);
  await loadOrgPage(orgSlug, `/analytics/agents/${agentId}${analyticsSearch(state)}`);
  const agent = await loadAgent(orgSlug, agentId);
  const scope = { kind: "agent", agentId } as const;
  const { range } = await prefetchDashboard(orgSlug, search, scope);
  return (
    <HydrateClient>
      <AnalyticsDashboard
        orgSlug={orgSlug}
        scope={scope}
        range={range}
        title={agent.name}
        description="This agent's traffic through the gateway, on every route that sends it requests."
        before={<BackLink href={`/o/${orgSlug}/analytics${analyticsSearch(nextAnalyticsParams(state, { agentId: null }))}`}>Analytics</BackLink>}
        actions={
          <Button asChild variant="outline">
            <Link href={`/o/${orgSlug}/agents/${agentId}`}>
              <Bot aria-hidden="true" />
              Open in the registry
            </Link>
          </Button>
        }
      />
    </HydrateClient>
  );
}

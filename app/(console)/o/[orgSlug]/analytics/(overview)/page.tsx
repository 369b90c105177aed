import type { Metadata } from "next";
import { analyticsSearch, parseAnalyticsParams } from "@/components/analytics/range";
import { HydrateClient } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { AnalyticsDashboard } from "../analytics-dashboard";
import { prefetchDashboard } from "../prefetch-dashboard";

export const metadata: Metadata = { title: "Analytics" };

const SCOPE = { kind: "org" } as const;

export default async function AnalyticsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgSlug } = await params;
  const search = await searchParams;
  const { org } = await loadOrgPage(orgSlug, `/analytics${analyticsSearch(parseAnalyticsParams(search))}`);
  const { range } = await prefetchDashboard(orgSlug, search, SCOPE);
  return (
    <HydrateClient>
      <AnalyticsDashboard
        orgSlug={orgSlug}
        scope={SCOPE}
        range={range}
        title="Analytics"
        description={`Traffic through ${org.name}'s gateway: volume, errors, latency, time to first token, cost and quality, from per-minute and per-hour rollups.`}
      />
    </HydrateClient>
  );
}

import { Route as RouteIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { BackLink } from "@/components/agents/back-link";
import { analyticsSearch, nextAnalyticsParams, parseAnalyticsParams } from "@/components/analytics/range";
import { HydrateClient } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Button } from "@/components/ui/button";
import { loadRoute, routeTitle } from "../../../routes/[routeId]/load-route";
import { AnalyticsDashboard } from "../../analytics-dashboard";
import { prefetchDashboard } from "../../prefetch-dashboard";

type Params = Promise<{ orgSlug: string; routeId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, routeId } = await params;
  return { title: `${await routeTitle(orgSlug, routeId)} · Analytics` };
}

export default async function RouteAnalyticsPage({ params, searchParams }: { params: Params; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { orgSlug, routeId } = await params;
  const search = await searchParams;
  const state = parseAnalyticsParams(search);
  await loadOrgPage(orgSlug, `/analytics/routes/${routeId}${analyticsSearch(state)}`);
  const route = await loadRoute(orgSlug, routeId);
  const scope = { kind: "route", routeId } as const;
  const { range } = await prefetchDashboard(orgSlug, search, scope);
  return (
    <HydrateClient>
      <AnalyticsDashboard
        orgSlug={orgSlug}
        scope={scope}
        range={range}
        title={route.name}
        description={`Traffic for the alias ${route.alias}: how the gateway served it and which agents answered.`}
        before={<BackLink href={`/o/${orgSlug}/analytics${analyticsSearch(nextAnalyticsParams(state, { routeId: null }))}`}>Analytics</BackLink>}
        actions={
          <Button asChild variant="outline">
            <Link href={`/o/${orgSlug}/routes/${routeId}`}>
              <RouteIcon aria-hidden="true" />
              Open the route
            </Link>
          </Button>
        }
      />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { requirePlatformAdmin } from "@/components/marketplace/moderation/load";
import { ModerationHeader } from "@/components/marketplace/moderation/moderation-header";
import { MODERATION_PATH, parseReportParams, toReportsInput } from "@/components/marketplace/moderation/params";
import { ReportsView } from "@/components/marketplace/moderation/reports-view";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";

export const metadata: Metadata = { title: "Reported reviews · Moderation", robots: { index: false, follow: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Marketplace moderation lives under /marketplace, not the console: it belongs to no organization
 * (the console's pages are all /o/[orgSlug]/…), and the marketplace header is where a platform
 * administrator finds it. "admin" is a reserved listing slug, so no listing hides behind it.
 */
export default async function ReportsQueuePage({ searchParams }: { searchParams: SearchParams }) {
  await requirePlatformAdmin(MODERATION_PATH);
  const state = parseReportParams(await searchParams);
  // Awaited, not streamed: a prefetch still pending at render can make server and client HTML differ.
  await prefetch(trpc.marketplace.admin.reports.queryOptions(toReportsInput(state)));
  return (
    <div className="grid gap-6">
      <ModerationHeader current="reports" />
      <HydrateClient>
        <ReportsView state={state} />
      </HydrateClient>
    </div>
  );
}

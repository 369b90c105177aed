import type { Metadata } from "next";
import { requirePlatformAdmin } from "@/components/marketplace/moderation/load";
import { ModerationHeader } from "@/components/marketplace/moderation/moderation-header";
import { parsePublisherParams, PUBLISHERS_PATH, toPublishersInput } from "@/components/marketplace/moderation/params";
import { PublishersView } from "@/components/marketplace/moderation/publishers-view";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";

export const metadata: Metadata = { title: "Publishers · Moderation", robots: { index: false, follow: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Platform administrators verify publishers here (see ../page.tsx for why this is under /marketplace). */
export default async function PublishersModerationPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePlatformAdmin(PUBLISHERS_PATH);
  const state = parsePublisherParams(await searchParams);
  await prefetch(trpc.marketplace.admin.publishers.queryOptions(toPublishersInput(state)));
  return (
    <div className="grid gap-6">
      <ModerationHeader current="publishers" />
      <HydrateClient>
        <PublishersView state={state} />
      </HydrateClient>
    </div>
  );
}

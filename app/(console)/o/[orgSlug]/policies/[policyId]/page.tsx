import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { loadPolicy, policyTitle } from "./load-policy";
import { PolicyDetailView } from "./policy-detail-view";

type Params = Promise<{ orgSlug: string; policyId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, policyId } = await params;
  return { title: await policyTitle(orgSlug, policyId) };
}

export default async function PolicyPage({ params }: { params: Params }) {
  const { orgSlug, policyId } = await params;
  const { org } = await loadOrgPage(orgSlug, `/policies/${policyId}`);
  await loadPolicy(orgSlug, policyId);
  // Awaited, not streamed: see the agents list page (a pending prefetch can break hydration).
  await Promise.all([prefetch(trpc.policy.versions.queryOptions({ orgSlug, policyId })), prefetch(trpc.route.list.queryOptions({ orgSlug }))]);
  return (
    <HydrateClient>
      <PolicyDetailView orgSlug={orgSlug} policyId={policyId} role={org.role} />
    </HydrateClient>
  );
}

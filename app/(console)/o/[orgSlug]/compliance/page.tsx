import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { hasRole } from "@/server/auth/roles";
import { ComplianceView } from "./compliance-view";

export const metadata: Metadata = { title: "Compliance" };

export default async function CompliancePage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/compliance");
  await prefetch(trpc.compliance.overview.queryOptions({ orgSlug }));
  return (
    <HydrateClient>
      <ComplianceView orgSlug={orgSlug} orgName={org.name} canAdmin={hasRole(org.role, "ADMIN")} />
    </HydrateClient>
  );
}

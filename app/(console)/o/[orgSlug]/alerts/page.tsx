import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { emailConfigured } from "@/server/alerts/email";
import { AlertsView } from "./alerts-view";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/alerts");
  await Promise.all([prefetch(trpc.alert.list.queryOptions({ orgSlug, status: "open" })), prefetch(trpc.alert.rule.list.queryOptions({ orgSlug }))]);
  return (
    <HydrateClient>
      <AlertsView orgSlug={orgSlug} orgName={org.name} role={org.role} emailConfigured={emailConfigured()} />
    </HydrateClient>
  );
}

import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { loadOrgPage } from "@/components/trpc/org-page";
import { SettingsView } from "./settings-view";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/settings");
  return (
    <div className="grid gap-6">
      <PageHeader title="Settings" description="The organization's name, agent network access, telemetry retention, and leaving it." />
      <SettingsView org={org} />
    </div>
  );
}

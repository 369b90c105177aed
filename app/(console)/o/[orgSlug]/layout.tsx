import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { loadOrgPage } from "@/components/trpc/org-page";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children, params }: { children: ReactNode; params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org, me, caller } = await loadOrgPage(orgSlug);
  const orgs = await caller.org.list();
  return (
    <AppShell org={org} orgs={orgs} user={me}>
      {children}
    </AppShell>
  );
}

import type { Metadata } from "next";
import { AuditIntegrity } from "@/components/audit/audit-integrity";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { loadOrgPage } from "@/components/trpc/org-page";
import { hasRole, roleLabel } from "@/server/auth/roles";
import { AuditLogView } from "./audit-log-view";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/audit");
  return (
    <div className="grid gap-6">
      <PageHeader title="Audit log" description="Every change made in this organization: who, what, when, before and after — hash-chained, so a changed or removed event shows." />
      {hasRole(org.role, "ADMIN") ? (
        <>
          <AuditIntegrity orgSlug={orgSlug} />
          <AuditLogView orgSlug={orgSlug} />
        </>
      ) : (
        <Alert>
          <AlertTitle>Admins only</AlertTitle>
          <AlertDescription>The audit log needs the Admin role; you are {roleLabel[org.role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

import type { Metadata } from "next";
import { BackLink } from "@/components/agents/back-link";
import { PolicyEditor } from "@/components/policies/policy-editor";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";

export const metadata: Metadata = { title: "New policy" };

export default async function NewPolicyPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/policies/new");
  const canEdit = hasRole(org.role, "ADMIN");
  // The test panel's route picker, awaited for the same reason as on the agents list page.
  if (canEdit) await prefetch(trpc.route.list.queryOptions({ orgSlug }));
  return (
    <div className="grid gap-6">
      <BackLink href={`/o/${orgSlug}/policies`}>Policies</BackLink>
      <PageHeader
        title="New policy"
        description="A condition on each request (CEL) and what the gateway does when it is true: deny, mask personal data, keep traffic on certain agents, require a data label or cap tokens."
      />
      {canEdit ? (
        <HydrateClient>
          <PolicyEditor orgSlug={orgSlug} canListKeys />
        </HydrateClient>
      ) : (
        <Alert>
          <AlertTitle>Admins only</AlertTitle>
          <AlertDescription>Creating policies needs the Admin role; you are {roleLabel[org.role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

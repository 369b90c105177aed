import type { Metadata } from "next";
import { BackLink } from "@/components/agents/back-link";
import { agentPickerInput } from "@/components/routes/agent-picker";
import { RouteEditor } from "@/components/routes/route-editor";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";

export const metadata: Metadata = { title: "New route" };

export default async function NewRoutePage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/routes/new");
  const canEdit = hasRole(org.role, "EDITOR");
  // The target picker's agents, awaited for the same reason as on the agents list page.
  if (canEdit) await prefetch(trpc.agent.list.queryOptions(agentPickerInput(orgSlug)));
  return (
    <div className="grid gap-6">
      <BackLink href={`/o/${orgSlug}/routes`}>Routes</BackLink>
      <PageHeader
        title="New route"
        description="Clients ask the gateway for the route's alias; the route picks one of its target agents and applies its timeouts, retries and circuit breaker."
      />
      {canEdit ? (
        <HydrateClient>
          <RouteEditor orgSlug={orgSlug} />
        </HydrateClient>
      ) : (
        <Alert>
          <AlertTitle>Editors only</AlertTitle>
          <AlertDescription>Creating routes needs the Editor role; you are {roleLabel[org.role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

import type { Metadata } from "next";
import { BackLink } from "@/components/agents/back-link";
import { HydrateClient } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";
import { agentTitle, loadAgent } from "../load-agent";
import { EditAgentForm } from "./edit-agent-form";

type Params = Promise<{ orgSlug: string; agentId: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { orgSlug, agentId } = await params;
  return { title: await agentTitle(orgSlug, agentId, " · Edit") };
}

export default async function EditAgentPage({ params }: { params: Params }) {
  const { orgSlug, agentId } = await params;
  const { org } = await loadOrgPage(orgSlug, `/agents/${agentId}/edit`);
  const agent = await loadAgent(orgSlug, agentId);
  const detailHref = `/o/${orgSlug}/agents/${agentId}`;
  return (
    <div className="grid gap-6">
      <BackLink href={detailHref}>{agent.name}</BackLink>
      <PageHeader title={`Edit ${agent.name}`} description="What HelixAgent discovered (endpoint, skills, version) comes from the agent itself; re-discover to refresh it." />
      {hasRole(org.role, "EDITOR") ? (
        <HydrateClient>
          <EditAgentForm orgSlug={orgSlug} agentId={agentId} />
        </HydrateClient>
      ) : (
        <Alert>
          <AlertTitle>Editors only</AlertTitle>
          <AlertDescription>Changing agents needs the Editor role; you are {roleLabel[org.role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

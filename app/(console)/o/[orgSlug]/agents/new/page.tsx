import type { Metadata } from "next";
import { BackLink } from "@/components/agents/back-link";
import { loadOrgPage } from "@/components/trpc/org-page";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";
import { RegisterWizard } from "./register-wizard";

export const metadata: Metadata = { title: "Register an agent" };

export default async function NewAgentPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/agents/new");
  return (
    <div className="grid gap-6">
      <BackLink href={`/o/${orgSlug}/agents`}>Agents</BackLink>
      <PageHeader
        title="Register an agent"
        description="Paste the URL of an A2A agent card, an MCP server or an OpenAI-compatible API. HelixAgent reads what the agent can do and shows it to you; nothing is saved until you register."
      />
      {hasRole(org.role, "EDITOR") ? (
        <RegisterWizard orgSlug={orgSlug} />
      ) : (
        <Alert>
          <AlertTitle>Editors only</AlertTitle>
          <AlertDescription>Registering agents needs the Editor role; you are {roleLabel[org.role]}.</AlertDescription>
        </Alert>
      )}
    </div>
  );
}

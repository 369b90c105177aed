"use client";

import { useQuery } from "@tanstack/react-query";
import { BackLink } from "@/components/agents/back-link";
import { describeCredential } from "@/components/agents/credential";
import { Fact, Missing } from "@/components/agents/facts";
import { JsonBlock } from "@/components/agents/json-block";
import { capabilityTitle } from "@/components/agents/labels";
import { describePrices } from "@/components/agents/price";
import { ProtocolBadge } from "@/components/agents/protocol-badge";
import { RelativeTime } from "@/components/agents/relative-time";
import { Section } from "@/components/agents/section";
import { SkillList } from "@/components/agents/skill-list";
import { AgentStatusBadge } from "@/components/agents/status-badge";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import type { AgentDetail } from "@/server/agents/schema";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { AgentActions } from "./agent-actions";
import { DiscoveryHistory } from "./discovery-history";
import { HealthSection } from "./health-section";

interface Props {
  orgSlug: string;
  agentId: string;
  role: Role;
}

export function AgentDetailView({ orgSlug, agentId, role }: Props) {
  const trpc = useTRPC();
  // Status changes with health checks; refresh now and then while the page is open.
  const query = useQuery(trpc.agent.get.queryOptions({ orgSlug, agentId }, { refetchInterval: 30_000 }));
  const agentsHref = `/o/${orgSlug}/agents`;

  if (query.isPending) {
    return (
      <div className="grid gap-6" role="status" aria-label="Loading the agent">
        <BackLink href={agentsHref}>Agents</BackLink>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="grid gap-6">
        <BackLink href={agentsHref}>Agents</BackLink>
        <Alert variant="destructive">
          <AlertTitle>This agent could not be loaded</AlertTitle>
          <AlertDescription>{query.error.message}</AlertDescription>
        </Alert>
      </div>
    );
  }
  const agent = query.data;

  return (
    <div className="grid gap-6">
      <BackLink href={agentsHref}>Agents</BackLink>
      <PageHeader title={agent.name} description={agent.description ?? undefined} actions={<AgentActions orgSlug={orgSlug} agent={agent} role={role} />}>
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <AgentStatusBadge status={agent.status} />
          <ProtocolBadge protocol={agent.protocol} />
          <code className="font-mono text-xs text-muted-foreground">{agent.slug}</code>
        </div>
      </PageHeader>
      {!hasRole(role, "ADMIN") && (
        <p className="-mt-3 text-sm text-muted-foreground">
          {hasRole(role, "EDITOR")
            ? `Deleting agents needs the Admin role; you are ${roleLabel[role]}.`
            : `Read-only: changing this agent needs the Editor role and deleting it the Admin role; you are ${roleLabel[role]}.`}
        </p>
      )}

      {agent.discoveryError && (
        <Alert variant="destructive">
          <AlertTitle>The last discovery failed</AlertTitle>
          <AlertDescription>
            <p className="break-words">{agent.discoveryError}</p>
            <p>The skills below are from the last discovery that worked.</p>
          </AlertDescription>
        </Alert>
      )}

      <Overview agent={agent} />

      <Section id="agent-skills" title={`${capabilityTitle(agent.skills.map((s) => s.kind))} (${agent.skills.length})`}>
        <SkillList skills={agent.skills} />
      </Section>

      <HealthSection orgSlug={orgSlug} agent={agent} />

      <Section id="agent-discoveries" title="Discovery history" description="Each time HelixAgent asked the agent what it can do, and what changed.">
        <DiscoveryHistory orgSlug={orgSlug} agentId={agent.id} />
      </Section>

      <Section id="agent-document" title="Discovered document" description="The agent card, tool list or model list exactly as the agent sent it at the last discovery.">
        {agent.document === null ? (
          <p className="text-sm text-muted-foreground">Nothing stored yet.</p>
        ) : (
          <details className="text-sm">
            <summary className="cursor-pointer font-medium">Show the raw document</summary>
            <JsonBlock value={agent.document} className="mt-3" />
          </details>
        )}
      </Section>
    </div>
  );
}

/** Top-level capabilities that are on: `{ streaming: true, tools: {…} }` → ["streaming", "tools"]. */
function enabledCapabilities(capabilities: AgentDetail["capabilities"]): string[] {
  if (!capabilities || typeof capabilities !== "object" || Array.isArray(capabilities)) return [];
  return Object.entries(capabilities)
    .filter(([, v]) => v === true || (v !== null && typeof v === "object"))
    .map(([k]) => k);
}

function Overview({ agent }: { agent: AgentDetail }) {
  const capabilities = enabledCapabilities(agent.capabilities);
  return (
    <Section id="agent-overview" title="Overview">
      <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <Fact term="Endpoint" className="sm:col-span-2 lg:col-span-3">
          <span className="font-mono text-xs break-all">{agent.endpointUrl}</span>
        </Fact>
        {agent.sourceUrl !== agent.endpointUrl && (
          <Fact term="Discovered from" className="sm:col-span-2 lg:col-span-3">
            <span className="font-mono text-xs break-all">{agent.sourceUrl}</span>
          </Fact>
        )}
        <Fact term="Version">{agent.version ?? <Missing />}</Fact>
        <Fact term="Protocol version">{agent.protocolVersion ?? <Missing />}</Fact>
        <Fact term="Credential">{describeCredential(agent.credential)}</Fact>
        <Fact term="Region">{agent.region ?? <Missing>None</Missing>}</Fact>
        <Fact term="Provider">{agent.provider ?? <Missing />}</Fact>
        <Fact term="Price">
          {agent.inputPricePerMTok === null && agent.outputPricePerMTok === null ? <Missing>{describePrices(agent)}</Missing> : describePrices(agent)}
        </Fact>
        <Fact term="Tags">
          {agent.tags.length ? (
            <span className="flex flex-wrap gap-1">
              {agent.tags.map((t) => (
                <Badge key={t} variant="outline" className="font-normal">
                  {t}
                </Badge>
              ))}
            </span>
          ) : (
            <Missing>None</Missing>
          )}
        </Fact>
        <Fact term="Capabilities">
          {capabilities.length ? (
            <span className="flex flex-wrap gap-1">
              {capabilities.map((c) => (
                <Badge key={c} variant="secondary" className="font-normal">
                  {c}
                </Badge>
              ))}
            </span>
          ) : (
            <Missing>None stated</Missing>
          )}
        </Fact>
        <Fact term="Last discovered">{agent.discoveredAt ? <RelativeTime date={agent.discoveredAt} /> : <Missing>Never</Missing>}</Fact>
        <Fact term="Registered">
          <RelativeTime date={agent.createdAt} />
        </Fact>
      </dl>
    </Section>
  );
}

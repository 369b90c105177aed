"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Bot, Plus, SearchX } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { DisabledAction } from "@/components/agents/disabled-action";
import {
  agentListSearch,
  hasFilters,
  nextListParams,
  parseAgentListParams,
  toListInput,
  type AgentListParams,
} from "@/components/agents/list-params";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";
import { AgentsFilters } from "./agents-filters";
import { AgentsTable, AgentsTableSkeleton } from "./agents-table";

interface Props {
  orgSlug: string;
  orgName: string;
  role: Role;
}

export function AgentsView({ orgSlug, orgName, role }: Props) {
  const trpc = useTRPC();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const state = useMemo(() => parseAgentListParams(searchParams), [searchParams]);
  const canEdit = hasRole(role, "EDITOR");
  const newHref = `/o/${orgSlug}/agents/new`;

  // The URL holds the list's state. Updating it in place (no server round trip) is enough:
  // useSearchParams follows, and the queries below fetch for the new state.
  const navigate = useCallback(
    (changes: Partial<AgentListParams>) => {
      window.history.replaceState(null, "", `${pathname}${agentListSearch(nextListParams(state, changes))}`);
    },
    [pathname, state],
  );

  const list = useQuery(trpc.agent.list.queryOptions(toListInput(orgSlug, state), { placeholderData: keepPreviousData }));

  const registerButton = canEdit ? (
    <Button asChild>
      <Link href={newHref}>
        <Plus aria-hidden="true" />
        Register agent
      </Link>
    </Button>
  ) : (
    <DisabledAction variant="default" reason={`Registering agents needs the Editor role; you are ${roleLabel[role]}.`}>
      <Plus aria-hidden="true" />
      Register agent
    </DisabledAction>
  );

  const filtered = hasFilters(state);
  const data = list.data;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Agents"
        description={`The agents ${orgName} has registered. Search them by what they can do: skills, tools, models, tags or names.`}
        actions={registerButton}
      />
      {!canEdit && (
        <Alert>
          <AlertTitle>Read-only</AlertTitle>
          <AlertDescription>Registering and changing agents needs the Editor role; you are {roleLabel[role]}.</AlertDescription>
        </Alert>
      )}
      <AgentsFilters state={state} navigate={navigate} />
      <section aria-labelledby="agents-results" aria-busy={list.isFetching || undefined}>
        <h2 id="agents-results" className="sr-only">
          {state.q ? `Agents matching “${state.q}”` : "All agents"}
        </h2>
        {list.isPending ? (
          <AgentsTableSkeleton rows={Math.min(state.pageSize, 8)} />
        ) : list.isError ? (
          <Alert variant="destructive">
            <AlertTitle>The agents could not be loaded</AlertTitle>
            <AlertDescription>
              <p>{list.error.message}</p>
              <Button variant="outline" size="sm" onClick={() => void list.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        ) : data && data.total === 0 && !filtered ? (
          <EmptyState
            icon={Bot}
            title="No agents yet"
            description="Register an agent by pasting the URL of an A2A agent card, an MCP server or an OpenAI-compatible API. HelixAgent discovers what it can do and starts checking its health."
            action={
              canEdit ? (
                <Button asChild>
                  <Link href={newHref}>
                    <Plus aria-hidden="true" />
                    Register an agent
                  </Link>
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Ask someone with the Editor role to register one.</p>
              )
            }
          />
        ) : data && data.total === 0 ? (
          <EmptyState
            icon={SearchX}
            title="No matches"
            description={
              state.q
                ? `No agent matches “${state.q}”${state.protocol || state.status || state.region || state.tag ? " with these filters" : ""}. Try other words, a skill's name or a tag.`
                : "No agent matches these filters."
            }
            action={
              <Button variant="outline" onClick={() => navigate({ q: "", protocol: null, status: null, region: "", tag: "" })}>
                Clear search and filters
              </Button>
            }
          />
        ) : data ? (
          <Card className="py-4">
            <CardContent className="px-4">
              <AgentsTable
                orgSlug={orgSlug}
                state={state}
                navigate={navigate}
                agents={data.agents}
                total={data.total}
                stale={list.isPlaceholderData}
              />
            </CardContent>
          </Card>
        ) : null}
      </section>
    </div>
  );
}

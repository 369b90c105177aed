"use client";

import { useQuery } from "@tanstack/react-query";
import { BackLink } from "@/components/agents/back-link";
import { RelativeTime } from "@/components/agents/relative-time";
import { Section } from "@/components/agents/section";
import { scopeLabel } from "@/components/policies/labels";
import { DeletePolicyButton, PolicyEnabledSwitch } from "@/components/policies/policy-actions";
import { EffectBadge, ModeBadge } from "@/components/policies/policy-badges";
import { PolicyEditor } from "@/components/policies/policy-editor";
import { PolicyFacts } from "@/components/policies/policy-facts";
import { PolicyTestPanel } from "@/components/policies/policy-test-panel";
import { PolicyVersionHistory } from "@/components/policies/policy-version-history";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { hasRole, roleLabel } from "@/server/auth/roles";
import type { Role } from "@/server/generated/prisma/enums";

export function PolicyDetailView({ orgSlug, policyId, role }: { orgSlug: string; policyId: string; role: Role }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.policy.get.queryOptions({ orgSlug, policyId }));
  const listHref = `/o/${orgSlug}/policies`;
  const canEdit = hasRole(role, "ADMIN");

  if (query.isPending) {
    return (
      <div className="grid gap-6" role="status" aria-label="Loading the policy">
        <BackLink href={listHref}>Policies</BackLink>
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="grid gap-6">
        <BackLink href={listHref}>Policies</BackLink>
        <Alert variant="destructive">
          <AlertTitle>This policy could not be loaded</AlertTitle>
          <AlertDescription>{query.error.message}</AlertDescription>
        </Alert>
      </div>
    );
  }
  const policy = query.data;

  return (
    <div className="grid gap-6">
      <BackLink href={listHref}>Policies</BackLink>
      <PageHeader
        title={policy.name}
        description={policy.description ?? undefined}
        actions={
          canEdit && (
            <>
              <label className="flex items-center gap-2 text-sm">
                <PolicyEnabledSwitch orgSlug={orgSlug} policy={policy} />
                {policy.enabled ? "Enabled" : "Disabled"}
              </label>
              <DeletePolicyButton orgSlug={orgSlug} policy={policy} />
            </>
          )
        }
      >
        <div className="flex flex-wrap items-center gap-2 pt-1 text-xs text-muted-foreground">
          {!canEdit && <Badge variant={policy.enabled ? "success" : "outline"}>{policy.enabled ? "Enabled" : "Disabled"}</Badge>}
          <EffectBadge effect={policy.effect} />
          <ModeBadge mode={policy.mode} />
          <span>
            {scopeLabel[policy.scope]}
            {policy.scopeName && `: ${policy.scopeName}`}
          </span>
          <span>
            Version {policy.version}, saved <RelativeTime date={policy.updatedAt} />
          </span>
        </div>
      </PageHeader>
      {!canEdit && <p className="-mt-3 text-sm text-muted-foreground">Read-only: changing policies needs the Admin role; you are {roleLabel[role]}.</p>}

      {/* Keyed by id: the editor starts from the policy as it was when the page opened. */}
      {canEdit ? (
        <PolicyEditor key={policy.id} orgSlug={orgSlug} policy={policy} canListKeys />
      ) : (
        <>
          <PolicyFacts policy={policy} />
          <PolicyTestPanel orgSlug={orgSlug} canListKeys={false} />
        </>
      )}

      <Section id="policy-versions" title="Version history" description="Every saved configuration of this policy, newest first.">
        <PolicyVersionHistory orgSlug={orgSlug} policy={policy} />
      </Section>
    </div>
  );
}

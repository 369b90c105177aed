import type { Metadata } from "next";
import Link from "next/link";
import { Bot, Route, ScrollText, UserPlus, Users } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { loadOrgPage } from "@/components/trpc/org-page";
import { roleLabel, hasRole } from "@/server/auth/roles";
import { AUDIT_ACTIONS, type AuditAction } from "@/server/audit/actions";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org, caller } = await loadOrgPage(orgSlug);
  const isAdmin = hasRole(org.role, "ADMIN");
  const [members, invitations, audit, agents, unhealthy, routes] = await Promise.all([
    caller.member.list({ orgSlug }),
    isAdmin ? caller.invitation.list({ orgSlug }) : Promise.resolve(null),
    isAdmin ? caller.audit.list({ orgSlug, limit: 5 }) : Promise.resolve(null),
    caller.agent.list({ orgSlug, pageSize: 1 }),
    caller.agent.list({ orgSlug, pageSize: 1, status: "UNHEALTHY" }),
    caller.route.list({ orgSlug }),
  ]);
  const pending = invitations?.filter((i) => i.status === "pending").length ?? null;

  return (
    <div className="grid gap-6">
      <PageHeader title={org.name} description={`Overview · you are ${roleLabel[org.role]}`} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <Users aria-hidden="true" className="size-4" /> Members
            </CardDescription>
            <CardTitle className="text-3xl tabular-nums">{members.length}</CardTitle>
          </CardHeader>
          <CardContent>
            <Link className="text-sm underline underline-offset-4" href={`/o/${orgSlug}/members`}>
              Manage members
            </Link>
          </CardContent>
        </Card>
        {pending !== null && (
          <Card>
            <CardHeader>
              <CardDescription className="flex items-center gap-2">
                <UserPlus aria-hidden="true" className="size-4" /> Pending invitations
              </CardDescription>
              <CardTitle className="text-3xl tabular-nums">{pending}</CardTitle>
            </CardHeader>
            <CardContent>
              <Link className="text-sm underline underline-offset-4" href={`/o/${orgSlug}/members`}>
                Invite someone
              </Link>
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <Bot aria-hidden="true" className="size-4" /> Agents
            </CardDescription>
            <CardTitle className="text-3xl tabular-nums">{agents.total}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            <span className={unhealthy.total ? "text-destructive" : "text-muted-foreground"}>
              {unhealthy.total ? `${unhealthy.total} unhealthy` : "All healthy"}
            </span>
            <Link className="underline underline-offset-4" href={`/o/${orgSlug}/agents`}>
              Find agents by skill
            </Link>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <Route aria-hidden="true" className="size-4" /> Routes
            </CardDescription>
            <CardTitle className="text-3xl tabular-nums">{routes.length}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            <span className="text-muted-foreground">{routes.filter((r) => r.enabled).length} enabled</span>
            <Link className="underline underline-offset-4" href={`/o/${orgSlug}/routes`}>
              Manage routes
            </Link>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Coming to this console</CardDescription>
            <CardTitle className="text-base">Gateway traffic · Policies · Analytics · Alerts · Marketplace</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            Serve routes through the gateway, enforce policies on that traffic and watch how agents perform.
          </CardContent>
        </Card>
      </div>
      {audit && (
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2 text-base">
              <ScrollText aria-hidden="true" className="size-4" /> Recent activity
            </CardTitle>
          </CardHeader>
          <CardContent>
            {audit.events.length === 0 ? (
              <p className="text-sm text-muted-foreground">Nothing has happened yet.</p>
            ) : (
              <ul className="grid gap-2 text-sm">
                {audit.events.map((e) => (
                  <li key={e.id} className="flex flex-wrap items-center gap-2">
                    <Badge variant="secondary">{AUDIT_ACTIONS[e.action as AuditAction] ?? e.action}</Badge>
                    <span className="text-muted-foreground">{e.actorEmail ?? "system"}</span>
                    <time className="ml-auto text-xs text-muted-foreground" dateTime={e.at.toISOString()}>
                      {e.at.toISOString().slice(0, 16).replace("T", " ")} UTC
                    </time>
                  </li>
                ))}
              </ul>
            )}
            <Link className="mt-4 inline-block text-sm underline underline-offset-4" href={`/o/${orgSlug}/audit`}>
              Open the audit log
            </Link>
          </CardContent>
        </Card>
      )}
    </div>
  );
}

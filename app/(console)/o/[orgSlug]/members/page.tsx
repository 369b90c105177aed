import type { Metadata } from "next";
import { HydrateClient, prefetch, trpc } from "@/components/trpc/server";
import { loadOrgPage } from "@/components/trpc/org-page";
import { hasRole } from "@/server/auth/roles";
import { MembersView } from "./members-view";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const { org } = await loadOrgPage(orgSlug, "/members");
  await Promise.all([
    prefetch(trpc.member.list.queryOptions({ orgSlug })),
    hasRole(org.role, "ADMIN") ? prefetch(trpc.invitation.list.queryOptions({ orgSlug })) : null,
  ]);
  return (
    <HydrateClient>
      <MembersView orgSlug={orgSlug} orgName={org.name} role={org.role} />
    </HydrateClient>
  );
}

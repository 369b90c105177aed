import {
  auditEventsOf,
  callerFor,
  createMember,
  createOrg,
  createUser,
  rand,
  uniqueSlug,
  type TestMembership,
  type TestOrg,
  type TestUser,
} from "./fixtures";

/** One organization with something of every kind in it: the unit of the cross-tenant suite. */
export interface Tenant {
  org: TestOrg;
  owner: TestUser;
  /** A non-owner member (EDITOR). */
  member: { user: TestUser; membership: TestMembership };
  /** A pending invitation; `token` is the secret from its link. */
  invitation: { id: string; token: string; email: string };
  auditEventIds: string[];
}

/** Builds a tenant through the real API as its owner: org, member, a rename, a pending invitation. */
export async function buildTenant(label: string): Promise<Tenant> {
  const owner = await createUser();
  const org = await createOrg({ owner, slug: uniqueSlug(label) });
  const member = await createMember(org, "EDITOR");
  const caller = callerFor(owner);
  await caller.org.update({ orgSlug: org.slug, name: `${label} ${rand(3)}` });
  const created = await caller.invitation.create({ orgSlug: org.slug, email: `inv-${rand()}@test.helix`, role: "VIEWER" });
  const token = created.url.split("/invite/")[1]!;
  const auditEventIds = (await auditEventsOf(org.id)).map((e) => e.id);
  return {
    org: { ...org, name: (await caller.org.get({ orgSlug: org.slug })).name },
    owner,
    member,
    invitation: { id: created.invitation.id, token, email: created.invitation.email },
    auditEventIds,
  };
}

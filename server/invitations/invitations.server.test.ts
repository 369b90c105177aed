import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Role } from "@/server/generated/prisma/enums";
import type { OrgContext } from "@/server/trpc/init";
import { createInvitation } from "@/server/invitations/service";
import {
  auditEventsOf,
  callerFor,
  createMember,
  createOrg,
  createUser,
  expectOrgUnchanged,
  expectTRPCError,
  rand,
  type TestOrg,
  type TestUser,
} from "@/server/test/fixtures";

const TOKEN_URL = /\/invite\/([A-Za-z0-9_-]{43})$/;

async function orgWithOwner() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  return { owner, org };
}

/** Invites `email` (a fresh address by default) as `by`; returns the link's token with the result. */
async function invite(org: TestOrg, by: TestUser, opts: { email?: string; role?: Role } = {}) {
  const email = opts.email ?? `invitee-${rand()}@test.helix`;
  const created = await callerFor(by).invitation.create({ orgSlug: org.slug, email, role: opts.role ?? "EDITOR" });
  const token = TOKEN_URL.exec(created.url)?.[1];
  if (!token) throw new Error(`unexpected invitation url ${created.url}`);
  return { ...created, token, email };
}

describe("invitation.create", () => {
  it("returns a one-time link and stores only the sha-256 of its token", async () => {
    const { owner, org } = await orgWithOwner();

    const created = await invite(org, owner, { email: `Mixed.Case-${rand()}@Test.Helix`, role: "ADMIN" });

    expect(created.url).toMatch(TOKEN_URL);
    expect(created.invitation).toMatchObject({ email: created.email.toLowerCase(), role: "ADMIN", status: "pending", invitedBy: owner.name });
    expect(created.emailed).toBe(false); // no SMTP in tests: the link is only shown to the inviter
    const row = await db().invitation.findUniqueOrThrow({ where: { id: created.invitation.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const events = await auditEventsOf(org.id, { action: "invitation.created" });
    expect(events).toMatchObject([{ actorId: owner.id, targetId: row.id, after: { email: row.email, role: "ADMIN", replacedPending: 0 } }]);
    expect(JSON.stringify(events)).not.toContain(created.token);
  });

  it("revokes the pending invitation for the same address, so only the newest link works", async () => {
    const { owner, org } = await orgWithOwner();
    const first = await invite(org, owner);
    const second = await invite(org, owner, { email: first.email, role: "VIEWER" });

    expect((await db().invitation.findUniqueOrThrow({ where: { id: first.invitation.id } })).revokedAt).not.toBeNull();
    expect((await callerFor(owner).invitation.list({ orgSlug: org.slug })).map((i) => i.id)).toEqual([second.invitation.id]);
    expect((await callerFor(null).invitation.preview({ token: first.token })).status).toBe("revoked");
    expect((await auditEventsOf(org.id, { action: "invitation.created" })).at(-1)?.after).toMatchObject({ replacedPending: 1 });
  });

  it("leaves one pending link when two invitations for the same address are sent at once (double submit)", async () => {
    const { owner, org } = await orgWithOwner();
    const email = `twice-${rand()}@test.helix`;
    const send = () => callerFor(owner).invitation.create({ orgSlug: org.slug, email, role: "VIEWER" });

    const results = await Promise.allSettled([send(), send()]);

    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    expect(await db().invitation.count({ where: { orgId: org.id, email, acceptedAt: null, revokedAt: null } })).toBe(1);
  });

  it("refuses inviting an existing member with CONFLICT naming the address, and changes nothing", async () => {
    const { owner, org } = await orgWithOwner();
    const member = await createMember(org, "VIEWER");
    const { shape } = await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(owner).invitation.create({ orgSlug: org.slug, email: member.user.email.toUpperCase(), role: "EDITOR" }),
        "CONFLICT",
        `${member.user.email} is already a member`,
      ),
    );
    expect(shape.data.fieldErrors).toEqual({ email: [expect.stringContaining(member.user.email)] });
  });

  it("refuses an ADMIN inviting an OWNER with FORBIDDEN, and changes nothing", async () => {
    const { org } = await orgWithOwner();
    const admin = await createMember(org, "ADMIN");
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(admin.user).invitation.create({ orgSlug: org.slug, email: `boss-${rand()}@test.helix`, role: "OWNER" }),
        "FORBIDDEN",
        "Only an owner can invite another owner",
      ),
    );
  });

  it("refuses an EDITOR inviting anyone with FORBIDDEN", async () => {
    const { org } = await orgWithOwner();
    const editor = await createMember(org, "EDITOR");
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(editor.user).invitation.create({ orgSlug: org.slug, email: `x-${rand()}@test.helix`, role: "VIEWER" }),
        "FORBIDDEN",
        /needs the Admin role/,
      ),
    );
  });

  it("refuses a malformed address with BAD_REQUEST and a field error, and changes nothing", async () => {
    const { owner, org } = await orgWithOwner();
    const { shape } = await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(owner).invitation.create({ orgSlug: org.slug, email: "not-an-address", role: "EDITOR" }),
        "BAD_REQUEST",
        "email: That is not a valid email address",
      ),
    );
    expect(shape.data.fieldErrors).toEqual({ email: ["That is not a valid email address"] });
  });
});

describe("invitation.revoke", () => {
  it("lets an ADMIN revoke a pending invitation and records it", async () => {
    const { owner, org } = await orgWithOwner();
    const admin = await createMember(org, "ADMIN");
    const created = await invite(org, owner);

    const revoked = await callerFor(admin.user).invitation.revoke({ orgSlug: org.slug, invitationId: created.invitation.id });

    expect(revoked).toMatchObject({ id: created.invitation.id, status: "revoked" });
    expect(await callerFor(owner).invitation.list({ orgSlug: org.slug })).toEqual([]);
    expect(await auditEventsOf(org.id, { action: "invitation.revoked" })).toMatchObject([
      { actorId: admin.user.id, targetId: created.invitation.id, before: { email: created.email, role: "EDITOR" } },
    ]);
  });

  it("refuses a malformed invitationId with BAD_REQUEST", async () => {
    const { owner, org } = await orgWithOwner();
    await expectTRPCError(callerFor(owner).invitation.revoke({ orgSlug: org.slug, invitationId: "42" }), "BAD_REQUEST", "invitationId: That id is malformed");
  });
});

describe("invitation.preview", () => {
  it("shows a signed-out visitor what the link offers", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner, { role: "VIEWER" });

    expect(await callerFor(null).invitation.preview({ token: created.token })).toEqual({
      orgName: org.name,
      email: created.email,
      role: "VIEWER",
      invitedBy: owner.name,
      status: "pending",
      expiresAt: created.invitation.expiresAt,
    });
  });

  it("refuses a malformed token with BAD_REQUEST and an unknown one with NOT_FOUND", async () => {
    await expectTRPCError(callerFor(null).invitation.preview({ token: "short" }), "BAD_REQUEST", "This invitation link is not valid");
    await expectTRPCError(callerFor(null).invitation.preview({ token: "A".repeat(43) }), "NOT_FOUND", "Invitation not found");
  });
});

describe("invitation.accept", () => {
  it("makes the invited user a member with the invited role and records member.joined", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner, { role: "ADMIN" });
    const invitee = await createUser({ email: created.email });

    expect(await callerFor(invitee).invitation.accept({ token: created.token })).toEqual({ orgSlug: org.slug, orgName: org.name });

    const membership = await db().membership.findUniqueOrThrow({ where: { orgId_userId: { orgId: org.id, userId: invitee.id } } });
    expect(membership.role).toBe("ADMIN");
    expect((await db().invitation.findUniqueOrThrow({ where: { id: created.invitation.id } })).acceptedAt).not.toBeNull();
    expect(await auditEventsOf(org.id, { action: "member.joined" })).toMatchObject([
      { actorId: invitee.id, targetId: membership.id, after: { email: invitee.email, role: "ADMIN", invitationId: created.invitation.id } },
    ]);
  });

  it("refuses a user with another address with FORBIDDEN naming both, and changes nothing", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner);
    const stranger = await createUser();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(stranger).invitation.accept({ token: created.token }),
        "FORBIDDEN",
        `This invitation is for ${created.email}, but you are signed in as ${stranger.email}`,
      ),
    );
  });

  it("refuses an expired invitation with BAD_REQUEST mentioning the expiry, and changes nothing", async () => {
    const { owner, org } = await orgWithOwner();
    const ctx: OrgContext = {
      db: db(),
      user: owner,
      org: { id: org.id, name: org.name, slug: org.slug },
      role: "OWNER",
      membershipId: org.ownerMembershipId,
    };
    const email = `late-${rand()}@test.helix`;
    const created = await createInvitation({ ctx, email, role: "EDITOR", now: new Date(Date.now() - 365 * 24 * 3_600_000) });
    const token = TOKEN_URL.exec(created.url)![1]!;
    const invitee = await createUser({ email });

    expect((await callerFor(null).invitation.preview({ token })).status).toBe("expired");
    await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(invitee).invitation.accept({ token }), "BAD_REQUEST", /This invitation expired on .* UTC; ask for a new one/),
    );
  });

  it("refuses a revoked invitation with BAD_REQUEST, and changes nothing", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner);
    await callerFor(owner).invitation.revoke({ orgSlug: org.slug, invitationId: created.invitation.id });
    const invitee = await createUser({ email: created.email });
    await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(invitee).invitation.accept({ token: created.token }), "BAD_REQUEST", "This invitation was withdrawn"),
    );
  });

  it("refuses a used invitation with BAD_REQUEST, and changes nothing", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner);
    const invitee = await createUser({ email: created.email });
    await callerFor(invitee).invitation.accept({ token: created.token });
    await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(invitee).invitation.accept({ token: created.token }), "BAD_REQUEST", "already been used"),
    );
  });

  it("creates one membership when the same link is accepted twice at once", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner);
    const invitee = await createUser({ email: created.email });

    const results = await Promise.allSettled([
      callerFor(invitee).invitation.accept({ token: created.token }),
      callerFor(invitee).invitation.accept({ token: created.token }),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().membership.count({ where: { orgId: org.id, userId: invitee.id } })).toBe(1);
    expect(await auditEventsOf(org.id, { action: "member.joined" })).toHaveLength(1);
  });

  it("refuses a malformed token with BAD_REQUEST and an unknown well-formed one with NOT_FOUND", async () => {
    const user = await createUser();
    const { shape } = await expectTRPCError(callerFor(user).invitation.accept({ token: "../../etc/passwd" }), "BAD_REQUEST", "token: This invitation link is not valid");
    expect(shape.data.fieldErrors).toEqual({ token: ["This invitation link is not valid; ask for a new one"] });
    await expectTRPCError(callerFor(user).invitation.accept({ token: "b".repeat(43) }), "NOT_FOUND", "Invitation not found");
    expect(await db().membership.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a signed-out caller with UNAUTHORIZED", async () => {
    const { owner, org } = await orgWithOwner();
    const created = await invite(org, owner);
    await expectOrgUnchanged(org, () => expectTRPCError(callerFor(null).invitation.accept({ token: created.token }), "UNAUTHORIZED"));
  });
});

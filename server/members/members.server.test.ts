import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import {
  auditEventsOf,
  callerFor,
  createMember,
  createOrg,
  createUser,
  expectOrgUnchanged,
  expectTRPCError,
} from "@/server/test/fixtures";

/** A fresh organization with its owner and a few members. */
async function orgWithTeam() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const admin = await createMember(org, "ADMIN");
  const editor = await createMember(org, "EDITOR");
  const viewer = await createMember(org, "VIEWER");
  return { org, owner, admin, editor, viewer };
}

const roleOf = async (membershipId: string) => (await db().membership.findUnique({ where: { id: membershipId } }))?.role ?? null;
const ownerCount = (orgId: string) => db().membership.count({ where: { orgId, role: "OWNER" } });
/** Audit events after the organization was set up (which wrote organization.created). */
const changesOf = async (orgId: string) => (await auditEventsOf(orgId)).filter((e) => e.action !== "organization.created");

describe("member.list", () => {
  it("lists every member, oldest first, marking the caller; a VIEWER may read it", async () => {
    const { org, owner, admin, editor, viewer } = await orgWithTeam();

    const members = await callerFor(viewer.user).member.list({ orgSlug: org.slug });

    expect(members.map((m) => [m.user.email, m.role, m.isYou])).toEqual([
      [owner.email, "OWNER", false],
      [admin.user.email, "ADMIN", false],
      [editor.user.email, "EDITOR", false],
      [viewer.user.email, "VIEWER", true],
    ]);
    expect(members[3]).toEqual({
      id: viewer.membership.id,
      role: "VIEWER",
      joinedAt: expect.any(Date),
      user: { id: viewer.user.id, name: viewer.user.name, email: viewer.user.email },
      isYou: true,
    });
  });
});

describe("member.changeRole", () => {
  it("lets an ADMIN change an EDITOR to VIEWER and records exactly one event with before and after", async () => {
    const { org, admin, editor } = await orgWithTeam();

    const result = await callerFor(admin.user).member.changeRole({ orgSlug: org.slug, memberId: editor.membership.id, role: "VIEWER" });

    expect(result).toEqual({ id: editor.membership.id, role: "VIEWER" });
    expect(await roleOf(editor.membership.id)).toBe("VIEWER");
    expect(await changesOf(org.id)).toMatchObject([
      {
        action: "member.role_changed",
        actorId: admin.user.id,
        targetType: "member",
        targetId: editor.membership.id,
        before: { email: editor.user.email, role: "EDITOR" },
        after: { email: editor.user.email, role: "VIEWER" },
      },
    ]);
  });

  it("lets an OWNER make another member an OWNER", async () => {
    const { org, owner, admin } = await orgWithTeam();
    await callerFor(owner).member.changeRole({ orgSlug: org.slug, memberId: admin.membership.id, role: "OWNER" });
    expect(await ownerCount(org.id)).toBe(2);
  });

  it("refuses an ADMIN granting OWNER with FORBIDDEN, and changes nothing", async () => {
    const { org, admin, editor } = await orgWithTeam();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(admin.user).member.changeRole({ orgSlug: org.slug, memberId: editor.membership.id, role: "OWNER" }),
        "FORBIDDEN",
        "Only an owner can grant, change or remove the Owner role",
      ),
    );
  });

  it("refuses an ADMIN changing or removing an OWNER with FORBIDDEN, and changes nothing", async () => {
    const { org, admin } = await orgWithTeam();
    const owner = await db().membership.findFirstOrThrow({ where: { orgId: org.id, role: "OWNER" } });
    const asAdmin = callerFor(admin.user);
    await expectOrgUnchanged(org, async () => {
      await expectTRPCError(asAdmin.member.changeRole({ orgSlug: org.slug, memberId: owner.id, role: "VIEWER" }), "FORBIDDEN", "Owner role");
      await expectTRPCError(asAdmin.member.remove({ orgSlug: org.slug, memberId: owner.id }), "FORBIDDEN", "Owner role");
    });
  });

  it.each(["VIEWER", "EDITOR"] as const)("refuses a %s calling a member mutation with FORBIDDEN, and changes nothing", async (role) => {
    const team = await orgWithTeam();
    const { org } = team;
    const caller = callerFor((role === "VIEWER" ? team.viewer : team.editor).user);
    const target = role === "VIEWER" ? team.editor : team.viewer;
    await expectOrgUnchanged(org, async () => {
      await expectTRPCError(
        caller.member.changeRole({ orgSlug: org.slug, memberId: target.membership.id, role: "ADMIN" }),
        "FORBIDDEN",
        /needs the Admin role or higher/,
      );
      await expectTRPCError(caller.member.remove({ orgSlug: org.slug, memberId: target.membership.id }), "FORBIDDEN", /needs the Admin role/);
    });
  });

  it("refuses demoting the last OWNER with BAD_REQUEST, and changes nothing", async () => {
    const { org, owner } = await orgWithTeam();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(owner).member.changeRole({ orgSlug: org.slug, memberId: org.ownerMembershipId, role: "ADMIN" }),
        "BAD_REQUEST",
        "always keeps at least one owner",
      ),
    );
  });

  it("never leaves zero owners when two owners demote each other at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const owner1 = await createUser();
      const org = await createOrg({ owner: owner1 });
      const owner2 = await createMember(org, "OWNER");

      const results = await Promise.allSettled([
        callerFor(owner1).member.changeRole({ orgSlug: org.slug, memberId: owner2.membership.id, role: "ADMIN" }),
        callerFor(owner2.user).member.changeRole({ orgSlug: org.slug, memberId: org.ownerMembershipId, role: "ADMIN" }),
      ]);

      expect(await ownerCount(org.id)).toBe(1);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("at least one owner") });
      expect(await changesOf(org.id)).toHaveLength(1);
    }
  });

  it("refuses a malformed memberId with BAD_REQUEST and a field error, and changes nothing", async () => {
    const { org, owner } = await orgWithTeam();
    const { shape } = await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(owner).member.changeRole({ orgSlug: org.slug, memberId: "'; drop table users --", role: "VIEWER" }),
        "BAD_REQUEST",
        "memberId: That id is malformed",
      ),
    );
    expect(shape.data.fieldErrors).toEqual({ memberId: ["That id is malformed"] });
  });

  it("refuses an unknown role with BAD_REQUEST listing the roles", async () => {
    const { org, owner, editor } = await orgWithTeam();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(owner).member.changeRole({ orgSlug: org.slug, memberId: editor.membership.id, role: "GOD" as "ADMIN" }),
        "BAD_REQUEST",
        "role: Role must be one of OWNER, ADMIN, EDITOR, VIEWER",
      ),
    );
  });

  it("answers NOT_FOUND for a well-formed id that is no member", async () => {
    const { org, owner } = await orgWithTeam();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(owner).member.changeRole({ orgSlug: org.slug, memberId: "cnotamemberatall00000000", role: "VIEWER" }),
        "NOT_FOUND",
        "Member not found",
      ),
    );
  });
});

describe("member.remove", () => {
  it("lets an ADMIN remove an EDITOR and records exactly one event with before", async () => {
    const { org, admin, editor } = await orgWithTeam();

    expect(await callerFor(admin.user).member.remove({ orgSlug: org.slug, memberId: editor.membership.id })).toEqual({ id: editor.membership.id });

    expect(await roleOf(editor.membership.id)).toBeNull();
    expect(await changesOf(org.id)).toMatchObject([
      {
        action: "member.removed",
        actorId: admin.user.id,
        targetId: editor.membership.id,
        before: { email: editor.user.email, role: "EDITOR" },
        after: null,
      },
    ]);
    // The removed member is now an outsider.
    await expectTRPCError(callerFor(editor.user).org.get({ orgSlug: org.slug }), "NOT_FOUND");
  });

  it("refuses the last OWNER removing themselves with BAD_REQUEST, and changes nothing", async () => {
    const { org, owner } = await orgWithTeam();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(owner).member.remove({ orgSlug: org.slug, memberId: org.ownerMembershipId }), "BAD_REQUEST", "leave the organization instead"),
    );
  });

  it("lets an OWNER remove another OWNER while one remains", async () => {
    const { org, owner } = await orgWithTeam();
    const second = await createMember(org, "OWNER");
    await callerFor(owner).member.remove({ orgSlug: org.slug, memberId: second.membership.id });
    expect(await ownerCount(org.id)).toBe(1);
  });
});

describe("org.leave", () => {
  it("lets a member leave and records exactly one event with before", async () => {
    const { org, editor } = await orgWithTeam();

    expect(await callerFor(editor.user).org.leave({ orgSlug: org.slug })).toEqual({ id: editor.membership.id });

    expect(await roleOf(editor.membership.id)).toBeNull();
    expect(await callerFor(editor.user).org.list()).toEqual([]);
    expect(await changesOf(org.id)).toMatchObject([
      { action: "member.left", actorId: editor.user.id, targetId: editor.membership.id, before: { email: editor.user.email, role: "EDITOR" } },
    ]);
  });

  it("refuses the only OWNER leaving with BAD_REQUEST that says what to do, and changes nothing", async () => {
    const { org, owner } = await orgWithTeam();
    await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(owner).org.leave({ orgSlug: org.slug }), "BAD_REQUEST", "make another member an owner before you leave"),
    );
  });

  it("lets an OWNER leave when another OWNER remains", async () => {
    const { org, owner } = await orgWithTeam();
    const second = await createMember(org, "OWNER");
    await callerFor(owner).org.leave({ orgSlug: org.slug });
    expect(await ownerCount(org.id)).toBe(1);
    expect((await callerFor(second.user).org.get({ orgSlug: org.slug })).role).toBe("OWNER");
  });
});

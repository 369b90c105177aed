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
  rand,
  uniqueSlug,
} from "@/server/test/fixtures";

describe("org.create", () => {
  it("makes the creator the OWNER and records organization.created", async () => {
    const user = await createUser();
    const slug = uniqueSlug("acme");

    const org = await callerFor(user).org.create({ name: "  Acme Labs  ", slug });

    expect(org).toEqual({ id: expect.any(String), name: "Acme Labs", slug, role: "OWNER" });
    const memberships = await db().membership.findMany({ where: { orgId: org.id } });
    expect(memberships).toMatchObject([{ userId: user.id, role: "OWNER" }]);
    const events = await auditEventsOf(org.id);
    expect(events).toMatchObject([
      {
        action: "organization.created",
        actorId: user.id,
        actorEmail: user.email,
        targetType: "organization",
        targetId: org.id,
        before: null,
        after: { name: "Acme Labs", slug },
      },
    ]);
  });

  it("writes the organization, its owner and its audit event in one transaction", async () => {
    // A trigger makes the audit insert fail for this one slug; the organization must not survive it.
    const user = await createUser();
    const slug = uniqueSlug("atomic");
    const fn = `helix_test_fail_audit_${rand()}`;
    await db().$executeRawUnsafe(
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW."after"->>'slug' = '${slug}' THEN RAISE EXCEPTION 'audit write refused by test'; END IF;
         RETURN NEW;
       END $$`,
    );
    await db().$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      const { error, shape } = await expectTRPCError(callerFor(user).org.create({ name: "Atomic", slug }), "INTERNAL_SERVER_ERROR");
      expect(error.message).toContain("audit write refused by test"); // it failed where we meant it to
      expect(shape.message).toMatch(/Something went wrong on our side/);
      expect(shape.message).not.toContain("audit write refused");
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER ${fn} ON "AuditEvent"`);
      await db().$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
    expect(await db().organization.findUnique({ where: { slug } })).toBeNull();
    expect(await db().membership.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a slug that is taken with CONFLICT naming the slug, and changes nothing", async () => {
    const owner = await createUser();
    const other = await createUser();
    const org = await createOrg({ owner });

    const { shape } = await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(other).org.create({ name: "Copycat", slug: org.slug }), "CONFLICT", `"${org.slug}" is taken`),
    );
    expect(shape.data.fieldErrors).toEqual({ slug: [expect.stringContaining(org.slug)] });
    expect(await db().membership.count({ where: { userId: other.id } })).toBe(0);
  });

  it("gives CONFLICT, not a 500, when two people claim the same slug at once", async () => {
    const slug = uniqueSlug("race");
    const [first, second] = [await createUser(), await createUser()];

    const results = await Promise.allSettled([
      callerFor(first).org.create({ name: "First", slug }),
      callerFor(second).org.create({ name: "Second", slug }),
    ]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "CONFLICT" });
    expect(await db().organization.count({ where: { slug } })).toBe(1);
  });

  it.each([
    ["a malformed slug", { name: "Good Name", slug: "Not A Slug!" }, "slug", "slug: A slug uses lowercase letters, digits and single dashes"],
    ["a one-letter slug", { name: "Good Name", slug: "a" }, "slug", "slug: A slug has at least 2 characters"],
    ["an oversized name", { name: "x".repeat(81) }, "name", "name: A name has at most 80 characters"],
    ["a blank name", { name: "   " }, "name", "name: A name has at least 2 characters"],
  ])("refuses %s with BAD_REQUEST and a readable message", async (_label, input, field, message) => {
    const user = await createUser();

    const { shape } = await expectTRPCError(
      callerFor(user).org.create({ slug: uniqueSlug("valid"), ...input }),
      "BAD_REQUEST",
      message,
    );

    expect(shape.message).not.toMatch(/^[[{]/); // a sentence, not a JSON dump of zod issues
    expect(shape.data.fieldErrors?.[field]).toEqual([expect.any(String)]);
    expect(await db().membership.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a signed-out caller with UNAUTHORIZED and creates nothing", async () => {
    const slug = uniqueSlug("anon");
    await expectTRPCError(callerFor(null).org.create({ name: "Anonymous", slug }), "UNAUTHORIZED", "Sign in to continue");
    expect(await db().organization.findUnique({ where: { slug } })).toBeNull();
  });

  it("refuses a session whose user was deleted with UNAUTHORIZED", async () => {
    const user = await createUser();
    const caller = callerFor(user);
    await db().user.delete({ where: { id: user.id } });

    await expectTRPCError(caller.org.list(), "UNAUTHORIZED", "Your session has ended; sign in again");
    const slug = uniqueSlug("ghost");
    await expectTRPCError(caller.org.create({ name: "Ghost Org", slug }), "UNAUTHORIZED");
    expect(await db().organization.findUnique({ where: { slug } })).toBeNull();
  });
});

describe("org.list", () => {
  it("lists only the caller's organizations, with the caller's role in each", async () => {
    const me = await createUser();
    const someoneElse = await createUser();
    const mine = await createOrg({ owner: me, name: `A mine ${rand()}` });
    const joined = await createOrg({ owner: someoneElse, name: `B joined ${rand()}` });
    await db().membership.create({ data: { orgId: joined.id, userId: me.id, role: "VIEWER" } });
    const notMine = await createOrg({ owner: someoneElse });

    const orgs = await callerFor(me).org.list();

    expect(orgs).toEqual([
      { id: mine.id, name: mine.name, slug: mine.slug, role: "OWNER" },
      { id: joined.id, name: joined.name, slug: joined.slug, role: "VIEWER" },
    ]);
    expect(orgs.map((o) => o.id)).not.toContain(notMine.id);
  });

  it("refuses a signed-out caller with UNAUTHORIZED", async () => {
    await expectTRPCError(callerFor(null).org.list(), "UNAUTHORIZED", "Sign in to continue");
  });
});

describe("org.get", () => {
  it("shows a member the organization with their role", async () => {
    const owner = await createUser();
    const org = await createOrg({ owner });
    const viewer = await createMember(org, "VIEWER");

    expect(await callerFor(viewer.user).org.get({ orgSlug: org.slug })).toEqual({ id: org.id, name: org.name, slug: org.slug, role: "VIEWER", allowPrivateNetworks: true });
  });

  it("answers NOT_FOUND to a non-member, exactly as for a slug that does not exist", async () => {
    const org = await createOrg({ owner: await createUser() });
    const outsider = await createUser();

    await expectTRPCError(callerFor(outsider).org.get({ orgSlug: org.slug }), "NOT_FOUND", "Organization not found");
    await expectTRPCError(callerFor(outsider).org.get({ orgSlug: uniqueSlug("nowhere") }), "NOT_FOUND", "Organization not found");
  });
});

describe("org.update", () => {
  it("lets an ADMIN rename the organization and records before and after", async () => {
    const org = await createOrg({ owner: await createUser(), name: "Old Name" });
    const admin = await createMember(org, "ADMIN");

    const updated = await callerFor(admin.user).org.update({ orgSlug: org.slug, name: "New Name" });

    expect(updated).toEqual({ id: org.id, name: "New Name", slug: org.slug, role: "ADMIN", allowPrivateNetworks: true });
    expect((await db().organization.findUniqueOrThrow({ where: { id: org.id } })).name).toBe("New Name");
    expect(await auditEventsOf(org.id, { action: "organization.updated" })).toMatchObject([
      { actorId: admin.user.id, targetId: org.id, before: { name: "Old Name" }, after: { name: "New Name" } },
    ]);
  });

  it("refuses an EDITOR with FORBIDDEN naming the role needed, and changes nothing", async () => {
    const org = await createOrg({ owner: await createUser() });
    const editor = await createMember(org, "EDITOR");

    await expectOrgUnchanged(org, () =>
      expectTRPCError(
        callerFor(editor.user).org.update({ orgSlug: org.slug, name: "Hijacked" }),
        "FORBIDDEN",
        /needs the Admin role or higher; you are Editor/,
      ),
    );
  });

  it("refuses an oversized name with BAD_REQUEST and changes nothing", async () => {
    const owner = await createUser();
    const org = await createOrg({ owner });

    const { shape } = await expectOrgUnchanged(org, () =>
      expectTRPCError(callerFor(owner).org.update({ orgSlug: org.slug, name: "n".repeat(200) }), "BAD_REQUEST", "name: A name has at most 80 characters"),
    );
    expect(shape.data.fieldErrors).toEqual({ name: ["A name has at most 80 characters"] });
  });
});

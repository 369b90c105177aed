import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { callerFor, createMember, createOrg, createUser, expectTRPCError, rand } from "@/server/test/fixtures";

// A whole minute a month ago: older than anything the tests write through the API.
const BASE = new Date(Math.floor((Date.now() - 30 * 24 * 3_600_000) / 60_000) * 60_000);
const minutes = (n: number) => new Date(BASE.getTime() + n * 60_000);

/** An organization whose log holds `count` extra events, one per minute after BASE (or in ties of `tie`). */
async function orgWithLog(count: number, opts: { tie?: number } = {}) {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const tie = opts.tie ?? 1;
  const alice = `alice-${rand()}@Example.test`;
  await db().auditEvent.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      orgId: org.id,
      actorEmail: i % 2 === 0 ? alice : owner.email,
      action: i % 3 === 0 ? "member.removed" : "organization.updated",
      targetType: i % 3 === 0 ? "member" : "organization",
      at: minutes(Math.floor(i / tie)),
    })),
  });
  return { owner, org, alice, list: callerFor(owner).audit.list };
}

describe("audit.list", () => {
  it("lists the organization's events newest first", async () => {
    const { org, list } = await orgWithLog(5);
    const { events, nextCursor } = await list({ orgSlug: org.slug });

    // organization.created happened just now, after every backdated event.
    expect(events.map((e) => e.action)[0]).toBe("organization.created");
    expect(events.slice(1).map((e) => e.at)).toEqual([4, 3, 2, 1, 0].map(minutes));
    expect(nextCursor).toBeNull();
    expect(events[1]).toEqual({
      id: expect.any(String),
      action: "organization.updated",
      actorEmail: expect.stringContaining("alice-"),
      targetType: "organization",
      targetId: null,
      before: null,
      after: null,
      at: minutes(4),
    });
  });

  it("filters by action, by a case-insensitive piece of the actor's email, and by an inclusive date range", async () => {
    const { org, alice, list } = await orgWithLog(12);

    const removed = await list({ orgSlug: org.slug, action: "member.removed" });
    expect(removed.events.map((e) => e.at)).toEqual([9, 6, 3, 0].map(minutes));

    const byAlice = await list({ orgSlug: org.slug, actor: alice.slice(0, 12).toUpperCase() });
    expect(byAlice.events.map((e) => e.at)).toEqual([10, 8, 6, 4, 2, 0].map(minutes));

    const window = await list({ orgSlug: org.slug, from: minutes(3), to: minutes(5) });
    expect(window.events.map((e) => e.at)).toEqual([5, 4, 3].map(minutes));

    const both = await list({ orgSlug: org.slug, action: "member.removed", from: minutes(3), to: minutes(5), targetType: "member" });
    expect(both.events.map((e) => e.at)).toEqual([minutes(3)]);
  });

  it("matches % and _ in the actor filter literally, not as SQL wildcards", async () => {
    const { org, list } = await orgWithLog(0);
    await db().auditEvent.createMany({
      data: ["a_b@test.helix", "axb@test.helix", "100%@test.helix"].map((actorEmail) => ({
        orgId: org.id,
        actorEmail,
        action: "organization.updated",
        targetType: "organization",
      })),
    });

    expect((await list({ orgSlug: org.slug, actor: "a_b" })).events.map((e) => e.actorEmail)).toEqual(["a_b@test.helix"]);
    expect((await list({ orgSlug: org.slug, actor: "%" })).events.map((e) => e.actorEmail)).toEqual(["100%@test.helix"]);
  });

  it("pages through more events than one page holds with no duplicates and no gaps, ties included", async () => {
    const { org, list } = await orgWithLog(23, { tie: 3 });
    const all = (await list({ orgSlug: org.slug, limit: 100 })).events;
    expect(all).toHaveLength(24); // with organization.created

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({ orgSlug: org.slug, limit: 5, cursor });
      expect(page.events.length).toBeLessThanOrEqual(5);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);

    expect(pages).toBe(5);
    expect(seen).toEqual(all.map((e) => e.id));
    expect(new Set(seen).size).toBe(24);
  });

  it("refuses a start date after the end date with BAD_REQUEST on the start field", async () => {
    const { org, list } = await orgWithLog(1);
    const { shape } = await expectTRPCError(
      list({ orgSlug: org.slug, from: minutes(10), to: minutes(1) }),
      "BAD_REQUEST",
      "from: The start date must be before the end date",
    );
    expect(shape.data.fieldErrors).toEqual({ from: ["The start date must be before the end date"] });
  });

  it.each([
    ["an unknown action", { action: "org.nuked" }, "action: Unknown action"],
    ["an invalid date", { from: "yesterday-ish" }, "from: Give a valid start date"],
    ["a page size over 100", { limit: 1000 }, "limit:"],
    ["a malformed cursor", { cursor: "1 OR 1=1" }, "cursor: That id is malformed"],
  ])("refuses %s with BAD_REQUEST", async (_label, filter, message) => {
    const { org, list } = await orgWithLog(1);
    await expectTRPCError(list({ orgSlug: org.slug, ...(filter as object) }), "BAD_REQUEST", message);
  });

  it("answers NOT_FOUND for a cursor that is no event of this organization, instead of starting over at page one", async () => {
    const { org, list } = await orgWithLog(3);
    const other = await orgWithLog(1);
    const foreignCursor = (await other.list({ orgSlug: other.org.slug })).events[0]!.id;

    await expectTRPCError(list({ orgSlug: org.slug, cursor: foreignCursor }), "NOT_FOUND");
    await expectTRPCError(list({ orgSlug: org.slug, cursor: "cnosucheventanywhere0000" }), "NOT_FOUND");
  });

  it.each(["VIEWER", "EDITOR"] as const)("refuses a %s with FORBIDDEN", async (role) => {
    const { org } = await orgWithLog(1);
    const member = await createMember(org, role);
    await expectTRPCError(callerFor(member.user).audit.list({ orgSlug: org.slug }), "FORBIDDEN", /needs the Admin role or higher/);
  });

  it("lets an ADMIN read the log", async () => {
    const { org } = await orgWithLog(2);
    const admin = await createMember(org, "ADMIN");
    expect((await callerFor(admin.user).audit.list({ orgSlug: org.slug })).events).toHaveLength(3);
  });
});

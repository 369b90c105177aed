import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { hashApiKey } from "@/server/api-keys/secret";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectOrgUnchanged, expectTRPCError, rand } from "@/server/test/fixtures";

async function world() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const agent = async (name: string) =>
    db().agent.create({
      data: { orgId: org.id, name, slug: `${name.toLowerCase()}-${rand(3)}`, protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1" },
      select: { id: true, name: true },
    });
  return { owner, org, caller: callerFor(owner), a: await agent("Alpha"), b: await agent("Beta") };
}

const baseConfig = (agentIds: string[]) => ({
  name: "Support bot",
  slug: `support-${rand(3)}`,
  alias: `support-${rand(3)}`,
  targets: agentIds.map((agentId, i) => ({ agentId, weight: 100 - i * 50 })),
});

describe("routes", () => {
  it("are created and saved as numbered versions, each audited with before and after", async () => {
    const { org, caller, a, b } = await world();
    const created = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    expect(created).toMatchObject({ version: 1, strategy: "WEIGHTED", targetCount: 1, timeoutMs: 30000, deadlineMs: 60000 });
    expect(created.targets[0]).toMatchObject({ agentId: a.id, agentName: "Alpha", weight: 100, priority: 0 });

    const config = { ...baseConfig([a.id, b.id]), slug: created.slug, alias: created.alias, strategy: "LATENCY" as const };
    const updated = await caller.route.update({ orgSlug: org.slug, routeId: created.id, expectedVersion: 1, config });
    expect(updated).toMatchObject({ version: 2, strategy: "LATENCY", targetCount: 2 });

    const versions = await caller.route.versions({ orgSlug: org.slug, routeId: created.id });
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]!.config.strategy).toBe("LATENCY");
    const audit = await auditEventsOf(org.id, { action: "route.updated" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.before).toMatchObject({ strategy: "WEIGHTED" });
    expect(audit[0]!.after).toMatchObject({ strategy: "LATENCY" });
  });

  it("refuses a save based on an old version instead of overwriting someone else's change", async () => {
    const { org, caller, a } = await world();
    const route = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    const config = { ...baseConfig([a.id]), slug: route.slug, alias: route.alias };
    await caller.route.update({ orgSlug: org.slug, routeId: route.id, expectedVersion: 1, config: { ...config, name: "First save" } });
    await expectOrgUnchanged(org, () =>
      expectTRPCError(caller.route.update({ orgSlug: org.slug, routeId: route.id, expectedVersion: 1, config: { ...config, name: "Stale save" } }), "CONFLICT", "reload"),
    );
  });

  it("explain invalid configurations and taken aliases, and change nothing", async () => {
    const { org, caller, a } = await world();
    const first = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    await expectOrgUnchanged(org, async () => {
      const { shape } = await expectTRPCError(
        caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]), timeoutMs: 9000, deadlineMs: 1000 }),
        "BAD_REQUEST",
        "deadline must be at least",
      );
      expect(shape.data.fieldErrors).toHaveProperty("deadlineMs");
      await expectTRPCError(caller.route.create({ orgSlug: org.slug, ...baseConfig([]) }), "BAD_REQUEST", "at least one agent");
      await expectTRPCError(caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]), alias: first.alias }), "CONFLICT", first.alias);
      await expectTRPCError(caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]), alias: "has spaces" }), "BAD_REQUEST", "alias");
    });
  });

  it("cannot target another organization's agent", async () => {
    const { org, caller } = await world();
    const other = await world();
    await expectOrgUnchanged(org, () => expectTRPCError(caller.route.create({ orgSlug: org.slug, ...baseConfig([other.a.id]) }), "NOT_FOUND"));
  });

  it("an agent a route uses cannot be deleted until it is removed from the route", async () => {
    const { org, caller, a, b } = await world();
    const route = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id, b.id]) });
    await expectTRPCError(caller.agent.delete({ orgSlug: org.slug, agentId: a.id }), "BAD_REQUEST", `"Support bot"`);
    await caller.route.update({ orgSlug: org.slug, routeId: route.id, expectedVersion: 1, config: { ...baseConfig([b.id]), slug: route.slug, alias: route.alias } });
    await caller.agent.delete({ orgSlug: org.slug, agentId: a.id });
  });

  it("a viewer reads routes but cannot change them; an editor cannot delete them", async () => {
    const { org, caller, a } = await world();
    const route = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    const { user: viewer } = await createMember(org, "VIEWER");
    const { user: editor } = await createMember(org, "EDITOR");
    expect((await callerFor(viewer).route.list({ orgSlug: org.slug })).map((r) => r.id)).toEqual([route.id]);
    await expectOrgUnchanged(org, async () => {
      await expectTRPCError(callerFor(viewer).route.setEnabled({ orgSlug: org.slug, routeId: route.id, enabled: false }), "FORBIDDEN");
      await expectTRPCError(callerFor(editor).route.delete({ orgSlug: org.slug, routeId: route.id }), "FORBIDDEN");
    });
  });
});

describe("API keys", () => {
  it("show the secret once, store only its hash, and list the prefix and scopes", async () => {
    const { org, caller, a } = await world();
    const route = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    const { key, secret } = await caller.apiKey.create({ orgSlug: org.slug, name: "CI pipeline", routeIds: [route.id], rateLimitPerMinute: 600 });
    expect(secret.startsWith(`${key.prefix}_`)).toBe(true);
    expect(key).toMatchObject({ name: "CI pipeline", status: "active", routes: [{ id: route.id, name: "Support bot" }], rateLimitPerMinute: 600 });

    const [row] = await db().$queryRaw<{ hash: string }[]>`SELECT hash FROM "ApiKey" WHERE id = ${key.id}`;
    expect(row!.hash).toBe(hashApiKey(secret));
    const everything = JSON.stringify([await caller.apiKey.list({ orgSlug: org.slug }), await auditEventsOf(org.id)]);
    expect(everything).not.toContain(secret);
    expect(everything).toContain(key.prefix);
  });

  it("are revoked, and a deleted route's keys are narrowed, or revoked when nothing is left", async () => {
    const { org, caller, a } = await world();
    const r1 = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    const r2 = await caller.route.create({ orgSlug: org.slug, ...baseConfig([a.id]) });
    const both = (await caller.apiKey.create({ orgSlug: org.slug, name: "Both", routeIds: [r1.id, r2.id] })).key;
    const onlyR1 = (await caller.apiKey.create({ orgSlug: org.slug, name: "Only one", routeIds: [r1.id] })).key;
    await caller.route.delete({ orgSlug: org.slug, routeId: r1.id });
    const keys = new Map((await caller.apiKey.list({ orgSlug: org.slug })).map((k) => [k.id, k]));
    expect(keys.get(both.id)).toMatchObject({ routeIds: [r2.id], status: "active" });
    expect(keys.get(onlyR1.id)).toMatchObject({ routeIds: [], status: "revoked" });

    const revoked = await caller.apiKey.revoke({ orgSlug: org.slug, apiKeyId: both.id });
    expect(revoked.status).toBe("revoked");
    expect(await auditEventsOf(org.id, { action: "api_key.revoked" })).toHaveLength(1);
  });

  it("refuse a past expiry, another organization's route, and anyone below Admin", async () => {
    const { org, caller } = await world();
    const other = await world();
    const foreign = await other.caller.route.create({ orgSlug: other.org.slug, ...baseConfig([other.a.id]) });
    const { user: editor } = await createMember(org, "EDITOR");
    await expectOrgUnchanged(org, async () => {
      await expectTRPCError(caller.apiKey.create({ orgSlug: org.slug, name: "Old", expiresAt: new Date(Date.now() - 60_000) }), "BAD_REQUEST", "future");
      await expectTRPCError(caller.apiKey.create({ orgSlug: org.slug, name: "Foreign", routeIds: [foreign.id] }), "NOT_FOUND");
      await expectTRPCError(callerFor(editor).apiKey.create({ orgSlug: org.slug, name: "Mine" }), "FORBIDDEN");
      await expectTRPCError(callerFor(editor).apiKey.list({ orgSlug: org.slug }), "FORBIDDEN");
    });
  });
});

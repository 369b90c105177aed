import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectOrgUnchanged, expectTRPCError, rand } from "@/server/test/fixtures";

async function world() {
  const owner = await createUser();
  const org = await createOrg({ owner });
  const caller = callerFor(owner);
  const agent = (region: string) =>
    db().agent.create({
      data: { orgId: org.id, name: `Atlas ${region}`, slug: `atlas-${region}-${rand(3)}`, protocol: "OPENAI", sourceUrl: "http://127.0.0.1:9/v1", endpointUrl: "http://127.0.0.1:9/v1", region },
      select: { id: true, name: true },
    });
  const eu = await agent("eu-west-1");
  const us = await agent("us-east-1");
  const route = await caller.route.create({
    orgSlug: org.slug,
    name: "Chat",
    slug: `chat-${rand(3)}`,
    alias: `chat-${rand(3)}`,
    labels: ["phi"],
    targets: [{ agentId: eu.id }, { agentId: us.id }],
  });
  return { owner, org, caller, eu, us, route };
}

describe("policy editing", () => {
  it("creates, versions, updates with compare-and-set, disables and deletes, each audited", async () => {
    const { org, caller, route } = await world();
    expect(route.labels).toEqual(["PHI"]);
    const created = await caller.policy.create({
      orgSlug: org.slug,
      name: "Mask PHI",
      scope: "ROUTE",
      scopeId: route.id,
      effect: "REDACT",
      condition: `"PHI" in request.labels`,
      params: { kinds: ["email", "SSN"], direction: "REQUEST" },
    });
    expect(created).toMatchObject({ version: 1, scopeName: "Chat", params: { kinds: ["EMAIL", "SSN"], direction: "REQUEST" }, mode: "ENFORCE", enabled: true });

    const updated = await caller.policy.update({
      orgSlug: org.slug,
      policyId: created.id,
      expectedVersion: 1,
      config: { name: "Mask PHI", scope: "ROUTE", scopeId: route.id, effect: "REDACT", mode: "MONITOR", condition: "true", params: { kinds: ["ALL"], direction: "BOTH" } },
    });
    expect(updated).toMatchObject({ version: 2, mode: "MONITOR" });
    // A second editor saving from version 1 is refused, not silently overwriting.
    await expectTRPCError(
      caller.policy.update({ orgSlug: org.slug, policyId: created.id, expectedVersion: 1, config: { name: "Mask PHI", effect: "DENY", condition: "false" } }),
      "CONFLICT",
      /changed by someone else/,
    );
    const versions = await caller.policy.versions({ orgSlug: org.slug, policyId: created.id });
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[1]!.config).toMatchObject({ mode: "ENFORCE", condition: `"PHI" in request.labels` });

    await caller.policy.setEnabled({ orgSlug: org.slug, policyId: created.id, enabled: false });
    await caller.policy.delete({ orgSlug: org.slug, policyId: created.id });
    const actions = (await auditEventsOf(org.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["policy.created", "policy.updated", "policy.disabled", "policy.deleted"]));
    expect(await db().policy.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("refuses conditions that do not parse or type-check, pointing at the spot", async () => {
    const { org, caller } = await world();
    const base = { orgSlug: org.slug, name: "Bad", effect: "DENY" as const };
    await expectTRPCError(caller.policy.create({ ...base, condition: `"EU" in request.labels &&` }), "BAD_REQUEST", /Condition: .*line 1, column 26/);
    await expectTRPCError(caller.policy.create({ ...base, condition: "request.region == \"eu\"" }), "BAD_REQUEST", /No such key: region.*column 9/);
    await expectTRPCError(caller.policy.create({ ...base, condition: 'request.hour == "9"' }), "BAD_REQUEST", /no such overload/);
    await expectTRPCError(caller.policy.create({ ...base, condition: "request.routeAlias" }), "BAD_REQUEST", /must be true or false/);
    await expectTRPCError(caller.policy.create({ ...base, condition: `agent.region == "eu"` }), "BAD_REQUEST", /only available in the agent condition/);
    await expectTRPCError(caller.policy.create({ ...base, condition: "x".repeat(4001) }), "BAD_REQUEST", /at most 4000 characters/);
    await expectTRPCError(caller.policy.create({ ...base, condition: Array.from({ length: 600 }, (_, i) => `request.hour == ${i}`).join(" || ") }), "BAD_REQUEST");
    await expectTRPCError(
      caller.policy.create({ ...base, effect: "RESTRICT_ROUTING", condition: "true", params: { agentCondition: "agent.zone == 1" } }),
      "BAD_REQUEST",
      /Agent condition: No such key: zone/,
    );
    await expectTRPCError(caller.policy.create({ ...base, effect: "REDACT", condition: "true", params: { kinds: ["PASSPORT"] } }), "BAD_REQUEST", /Unknown PII kind PASSPORT/);
    await expectTRPCError(caller.policy.create({ ...base, effect: "REDACT", condition: "true" }), "BAD_REQUEST", /Choose the PII kinds/);
    await expectTRPCError(caller.policy.create({ ...base, scope: "AGENT", condition: "true" }), "BAD_REQUEST", /Choose the agent/);
    expect(await db().policy.count({ where: { orgId: org.id } })).toBe(0);
    // The editor's live check says the same.
    const check = await caller.policy.validateCondition({ orgSlug: org.slug, condition: `"EU" in request.labelz` });
    expect(check.ok).toBe(false);
    expect(check.error).toMatchObject({ start: 16, end: 22 });
  });

  it("asks to confirm a policy that would deny everything or leave no agent", async () => {
    const { org, caller } = await world();
    await expectTRPCError(caller.policy.create({ orgSlug: org.slug, name: "Deny all", effect: "DENY", condition: "true" }), "BAD_REQUEST", /would deny every request/);
    await expectTRPCError(
      caller.policy.create({ orgSlug: org.slug, name: "Deny all", effect: "DENY", condition: `request.hour >= 0 || "EU" in request.labels` }),
      "BAD_REQUEST",
      /would deny every request/,
    );
    await expectTRPCError(
      caller.policy.create({ orgSlug: org.slug, name: "Mars only", effect: "RESTRICT_ROUTING", condition: "true", params: { agentCondition: `agent.region == "mars"` } }),
      "BAD_REQUEST",
      /No agent of this organization satisfies/,
    );
    expect(await db().policy.count({ where: { orgId: org.id } })).toBe(0);
    const saved = await caller.policy.create({ orgSlug: org.slug, name: "Deny all", effect: "DENY", condition: "true", confirm: true });
    expect(saved.enabled).toBe(true);
    // Narrow conditions and monitor mode need no confirmation.
    await caller.policy.create({ orgSlug: org.slug, name: "Deny secrets", effect: "DENY", condition: `"SECRET" in request.labels` });
    await caller.policy.create({ orgSlug: org.slug, name: "Watch all", effect: "DENY", mode: "MONITOR", condition: "true" });
  });

  it("is organization-scoped and role-checked", async () => {
    const a = await world();
    const b = await world();
    const policy = await a.caller.policy.create({ orgSlug: a.org.slug, name: "Mask", effect: "REDACT", condition: "true", params: { kinds: ["EMAIL"] } });
    await expectOrgUnchanged(a.org, async () => {
      await expectTRPCError(b.caller.policy.get({ orgSlug: b.org.slug, policyId: policy.id }), "NOT_FOUND");
      await expectTRPCError(b.caller.policy.delete({ orgSlug: b.org.slug, policyId: policy.id }), "NOT_FOUND");
      // Scope objects of another organization are not found either.
      await expectTRPCError(b.caller.policy.create({ orgSlug: b.org.slug, name: "Steal", scope: "ROUTE", scopeId: a.route.id, effect: "DENY", condition: "false" }), "NOT_FOUND");
      await expectTRPCError(b.caller.policy.test({ orgSlug: b.org.slug, sample: { routeId: a.route.id } }), "NOT_FOUND");
    });
    const { user: editor } = await createMember(a.org, "EDITOR");
    await expectTRPCError(callerFor(editor).policy.create({ orgSlug: a.org.slug, name: "Nope", effect: "DENY", condition: "false" }), "FORBIDDEN");
    expect((await callerFor(editor).policy.list({ orgSlug: a.org.slug })).map((p) => p.name)).toEqual(["Mask"]);
  });
});

describe("testing policies against a sample request", () => {
  it("shows the decision the gateway would take: deny wins, redaction, residency, monitor", async () => {
    const { org, caller, route, eu, us } = await world();
    await caller.policy.create({ orgSlug: org.slug, name: "Mask PHI", effect: "REDACT", condition: `"PHI" in request.labels`, params: { kinds: ["EMAIL", "CARD"], direction: "BOTH" } });
    await caller.policy.create({ orgSlug: org.slug, name: "EU stays in EU", effect: "RESTRICT_ROUTING", condition: `"EU" in request.labels`, params: { agentCondition: `agent.region.startsWith("eu")` } });
    await caller.policy.create({ orgSlug: org.slug, name: "Watch cards", mode: "MONITOR", effect: "DENY", condition: `"CARD" in request.pii` });

    const sample = { routeId: route.id, text: "card 4111-1111-1111-1111, mail ana@example.com", labels: ["eu"] };
    const result = await caller.policy.test({ orgSlug: org.slug, sample });
    expect(result.outcome).toBe("ALLOW");
    expect(result.requestText).toBe("card [CARD], mail [EMAIL]");
    expect(result.piiFound.sort()).toEqual(["CARD", "EMAIL"]);
    expect(result.agents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: eu.id, allowed: true }),
        expect.objectContaining({ id: us.id, allowed: false, blockedBy: "EU stays in EU" }),
      ]),
    );
    expect(result.decisions.map((d) => [d.name, d.applied])).toEqual(
      expect.arrayContaining([
        ["Mask PHI", true],
        ["EU stays in EU", true],
        ["Watch cards", false],
      ]),
    );

    // A draft deny on top: deny wins and says which policy matched.
    const denied = await caller.policy.test({
      orgSlug: org.slug,
      sample,
      draft: { name: "No cards at all", effect: "DENY", condition: `"CARD" in request.pii`, params: { message: "Cards are not allowed" } },
    });
    expect(denied).toMatchObject({ outcome: "DENY", message: "Cards are not allowed" });
    expect(denied.decisions.find((d) => d.name === "Mask PHI")?.applied).toBe(false);
    // The draft was not saved.
    expect(await db().policy.count({ where: { orgId: org.id, name: "No cards at all" } })).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, startFleet, type Fleet } from "@/fleet";
import { db } from "@/server/db";
import type { Prisma } from "@/server/generated/prisma/client";
import { addFleetAgent } from "@/server/gateway/testing";
import { generateSigningKeyPair, signVersion } from "@/server/marketplace/signing";
import { auditEventsOf, callerFor, createMember, createOrg, createUser, expectTRPCError, rand, type TestOrg, type TestUser } from "@/server/test/fixtures";

// Applying route and agent templates from the marketplace, against Postgres and the live demo fleet.

const signer = generateSigningKeyPair();
const SECRET = `sk-test-${rand(12)}`;
let fleet: Fleet;
let publisherId: string;
let owner: TestUser;
let org: TestOrg;
let agents: { slug: string; id: string }[];

const routeTemplate = {
  kind: "ROUTE_TEMPLATE",
  configSchema: {
    type: "object",
    properties: {
      name: { type: "string", title: "Route name", default: "Fast chat" },
      alias: { type: "string", title: "Model alias" },
      primaryAgent: { type: "string", title: "First agent", "x-helix-ref": "agent" },
      secondaryAgent: { type: "string", title: "Second agent", "x-helix-ref": "agent" },
    },
    required: ["alias", "primaryAgent", "secondaryAgent"],
  },
  route: {
    name: "{{name}}",
    slug: "{{alias}}",
    alias: "{{alias}}",
    strategy: "LATENCY",
    timeoutMs: 10_000,
    deadlineMs: 30_000,
    maxRetries: 1,
    targets: [{ agent: "{{primaryAgent}}" }, { agent: "{{secondaryAgent}}", priority: 1 }],
  },
};

const agentTemplate = {
  kind: "AGENT_TEMPLATE",
  configSchema: {
    type: "object",
    properties: {
      baseUrl: { type: "string", title: "Base URL" },
      name: { type: "string", title: "Name", default: "Hosted models" },
      apiKey: { type: "string", title: "API key", secret: true },
    },
    required: ["baseUrl", "apiKey"],
  },
  agent: { protocol: "OPENAI", url: "{{baseUrl}}", name: "{{name}}", provider: "acme", tags: ["hosted"], credential: { kind: "BEARER", secretField: "apiKey" } },
};

/** A published listing with one signed version. */
async function publish(kind: string, manifest: Record<string, unknown>, opts: { tamper?: (m: Record<string, unknown>) => Record<string, unknown> } = {}) {
  const slug = `tpl-${rand(6)}`;
  const signature = signVersion({ privateKey: signer.privateKey, listing: slug, version: "1.0.0", manifest });
  await db().listing.create({
    data: {
      publisherId,
      kind: kind as "ROUTE_TEMPLATE",
      slug,
      name: `Template ${slug}`,
      summary: "A template under test",
      latestVersion: "1.0.0",
      publishedAt: new Date(),
      versions: {
        create: { version: "1.0.0", major: 1, minor: 0, patch: 0, changelog: "", manifest: (opts.tamper ? opts.tamper(manifest) : manifest) as Prisma.InputJsonValue, signature, keyId: signer.keyId },
      },
    },
  });
  return slug;
}

const installCount = async (slug: string) => (await db().listing.findUniqueOrThrow({ where: { slug }, select: { installCount: true } })).installCount;

beforeAll(async () => {
  const atlas = DEFAULT_FLEET.find((a) => a.id === "atlas-chat")!;
  fleet = await startFleet({ basePort: 0, agents: [atlas, { ...atlas, id: "keyed-chat", name: "Keyed Chat", apiKey: SECRET }] });
  owner = await createUser();
  org = await createOrg({ owner });
  agents = [await addFleetAgent(org, fleet, "atlas-chat", { slug: "first" }), await addFleetAgent(org, fleet, "atlas-chat", { slug: "second" })];
  const publisherOrg = await createOrg({ owner: await createUser() });
  publisherId = (await db().publisher.create({ data: { orgId: publisherOrg.id, slug: `pub-${rand(6)}`, displayName: "Template Publisher", keys: { create: { keyId: signer.keyId, publicKey: signer.publicKey } } } })).id;
});
afterAll(async () => {
  await fleet?.stop();
});

describe("applying a route template", () => {
  it("creates the route the form describes, counts the use and audits both", async () => {
    const slug = await publish("ROUTE_TEMPLATE", routeTemplate);
    const applied = await callerFor(owner).marketplace.template.create({ orgSlug: org.slug, listingSlug: slug, config: { alias: "Fast-Chat", primaryAgent: "first", secondaryAgent: "second" } });
    expect(applied).toMatchObject({ type: "route", name: "Fast chat", slug: "fast-chat" });

    const route = await callerFor(owner).route.get({ orgSlug: org.slug, routeId: applied.id });
    expect(route).toMatchObject({ alias: "Fast-Chat", strategy: "LATENCY", timeoutMs: 10_000, deadlineMs: 30_000, maxRetries: 1 });
    expect(route.targets.map((t) => [t.agentId, t.priority])).toEqual([
      [agents[0]!.id, 0],
      [agents[1]!.id, 1],
    ]);
    expect(await installCount(slug)).toBe(1);
    const events = await auditEventsOf(org.id);
    expect(events.find((e) => e.action === "route.created" && e.targetId === applied.id)).toBeTruthy();
    const use = events.find((e) => e.action === "marketplace.template_applied" && e.targetId === applied.id);
    expect(use?.after).toMatchObject({ listing: slug, version: "1.0.0", route: "fast-chat" });
  });

  it("puts problems next to the form field behind them and creates nothing", async () => {
    const slug = await publish("ROUTE_TEMPLATE", routeTemplate);
    const caller = callerFor(owner);
    const apply = (config: Record<string, string>) => caller.marketplace.template.create({ orgSlug: org.slug, listingSlug: slug, config });
    const routesBefore = await db().route.count({ where: { orgId: org.id } });

    let { shape } = await expectTRPCError(apply({ primaryAgent: "first", secondaryAgent: "second" }), "BAD_REQUEST", "Fill in Model alias");
    expect(shape.data.fieldErrors).toHaveProperty(["config.alias"]);
    ({ shape } = await expectTRPCError(apply({ alias: "x1", primaryAgent: "first", secondaryAgent: "nobody" }), "BAD_REQUEST", 'There is no agent "nobody"'));
    expect(shape.data.fieldErrors).toHaveProperty(["config.secondaryAgent"]);
    ({ shape } = await expectTRPCError(apply({ alias: "x1", primaryAgent: "first", secondaryAgent: "first" }), "BAD_REQUEST", "already a target"));
    expect(shape.data.fieldErrors).toHaveProperty(["config.secondaryAgent"]);
    ({ shape } = await expectTRPCError(apply({ alias: "has space", primaryAgent: "first", secondaryAgent: "second" }), "BAD_REQUEST", "alias"));
    expect(shape.data.fieldErrors).toHaveProperty(["config.alias"]);
    await expectTRPCError(apply({ alias: "x1", primaryAgent: "first", secondaryAgent: "second", extra: "1" }), "BAD_REQUEST", "Unknown configuration field extra");

    // The alias of a route that exists already: a conflict, against the alias field.
    await apply({ alias: "taken-alias", primaryAgent: "first", secondaryAgent: "second" });
    ({ shape } = await expectTRPCError(apply({ alias: "taken-alias", primaryAgent: "second", secondaryAgent: "first" }), "CONFLICT"));
    expect(Object.keys(shape.data.fieldErrors ?? {})).toEqual([expect.stringMatching(/^config\.(alias|name)$/)]);

    expect(await db().route.count({ where: { orgId: org.id } })).toBe(routesBefore + 1);
    expect(await installCount(slug)).toBe(1);
  });

  it("needs the Admin role, a good signature and a template", async () => {
    const slug = await publish("ROUTE_TEMPLATE", routeTemplate);
    const config = { alias: `a-${rand(3)}`, primaryAgent: "first", secondaryAgent: "second" };
    const { user: editor } = await createMember(org, "EDITOR");
    await expectTRPCError(callerFor(editor).marketplace.template.create({ orgSlug: org.slug, listingSlug: slug, config }), "FORBIDDEN");

    // The stored manifest differs from what was signed: refused before anything is created.
    const tampered = await publish("ROUTE_TEMPLATE", routeTemplate, { tamper: (m) => ({ ...m, route: { ...(m.route as object), maxRetries: 10 } }) });
    await expectTRPCError(callerFor(owner).marketplace.template.create({ orgSlug: org.slug, listingSlug: tampered, config }), "BAD_REQUEST", "does not verify");

    const plugin = await publish("GATEWAY_PLUGIN", { kind: "GATEWAY_PLUGIN", serviceUrl: "https://plugins.example.com/hook", hooks: ["before_request"] });
    await expectTRPCError(callerFor(owner).marketplace.template.create({ orgSlug: org.slug, listingSlug: plugin, config: {} }), "BAD_REQUEST", "install it instead");
    await expectTRPCError(callerFor(owner).marketplace.template.create({ orgSlug: org.slug, listingSlug: "no-such-template", config: {} }), "NOT_FOUND");
    expect(await db().route.count({ where: { orgId: org.id, alias: config.alias } })).toBe(0);
  });
});

describe("applying an agent template", () => {
  it("registers the agent at the URL given, with its key as the credential, and discovers its models", async () => {
    const slug = await publish("AGENT_TEMPLATE", agentTemplate);
    const applied = await callerFor(owner).marketplace.template.create({ orgSlug: org.slug, listingSlug: slug, config: { baseUrl: fleet.get("keyed-chat").url, apiKey: SECRET } });
    expect(applied).toMatchObject({ type: "agent", name: "Hosted models", slug: "hosted-models" });

    const agent = await callerFor(owner).agent.get({ orgSlug: org.slug, agentId: applied.id });
    expect(agent).toMatchObject({ protocol: "OPENAI", provider: "acme", tags: ["hosted"], credential: { kind: "BEARER" } });
    expect(agent.skills.filter((s) => s.kind === "MODEL").length).toBeGreaterThan(0);
    expect(await installCount(slug)).toBe(1);
    const use = (await auditEventsOf(org.id, { action: "marketplace.template_applied" })).find((e) => e.targetId === applied.id);
    expect(use?.after).toMatchObject({ listing: slug, agent: "hosted-models" });
    // The key is stored sealed, never in the audit record.
    expect(JSON.stringify(await auditEventsOf(org.id))).not.toContain(SECRET);
  });

  it("refuses a wrong key or an unreachable URL with the agent's answer, and registers nothing", async () => {
    const slug = await publish("AGENT_TEMPLATE", agentTemplate);
    const agentsBefore = await db().agent.count({ where: { orgId: org.id } });
    const apply = (config: Record<string, string>) => callerFor(owner).marketplace.template.create({ orgSlug: org.slug, listingSlug: slug, config });

    let { shape } = await expectTRPCError(apply({ baseUrl: fleet.get("keyed-chat").url, apiKey: "sk-wrong" }), "BAD_REQUEST");
    expect(shape.data.fieldErrors).toHaveProperty(["config.apiKey"]);
    ({ shape } = await expectTRPCError(apply({ baseUrl: "not a url", apiKey: SECRET }), "BAD_REQUEST"));
    expect(shape.data.fieldErrors).toHaveProperty(["config.baseUrl"]);
    // Nothing listens there: the agent's URL is what to fix.
    ({ shape } = await expectTRPCError(apply({ baseUrl: "http://127.0.0.1:9/v1", apiKey: SECRET }), "BAD_REQUEST"));
    expect(shape.data.fieldErrors).toHaveProperty(["config.baseUrl"]);
    await expectTRPCError(apply({ baseUrl: fleet.get("keyed-chat").url }), "BAD_REQUEST", "Fill in API key");

    expect(await db().agent.count({ where: { orgId: org.id } })).toBe(agentsBefore);
    expect(await installCount(slug)).toBe(0);
  });
});

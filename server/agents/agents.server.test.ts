import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, startFleet, type Fleet } from "@/fleet";
import { db } from "@/server/db";
import { unsafeRunHealthRound } from "./health";
import { PRICE_MESSAGE } from "./schema";
import { unsafeRediscoverAgent } from "./service";
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

// The registry against the real demo fleet: every agent is a live HTTP server on loopback.
let fleet: Fleet;
const SECRET = `sk-test-${rand(12)}`;
let owner: TestUser;
let org: TestOrg;

beforeAll(async () => {
  const atlas = DEFAULT_FLEET.find((a) => a.id === "atlas-chat")!;
  // One more agent that wants an API key, for the credential tests.
  fleet = await startFleet({ basePort: 0, agents: [...DEFAULT_FLEET, { ...atlas, id: "secure-chat", name: "Secure Chat", apiKey: SECRET }] });
  owner = await createUser();
  org = await createOrg({ owner });
});
afterAll(async () => {
  await fleet?.stop();
});

const caller = () => callerFor(owner);
const urlOf = (id: string) => fleet.get(id).url;

describe("registering the demo fleet by URL", () => {
  it("discovers every agent's skills, tools or models, whatever its protocol", async () => {
    for (const agent of fleet.agents) {
      if (agent.id === "secure-chat") continue; // needs a credential: see below
      const registered = await caller().agent.register({ orgSlug: org.slug, url: agent.url, slug: agent.id, tags: ["fleet"] });
      expect(registered.protocol, agent.id).toBe(agent.protocol);
      expect(registered.skills.length, `${agent.id} skills`).toBeGreaterThan(0);
      const kinds = new Set(registered.skills.map((s) => s.kind));
      expect([...kinds]).toEqual([{ A2A: "SKILL", MCP: "TOOL", OPENAI: "MODEL" }[agent.protocol]]);
      const discoveries = await caller().agent.discoveries({ orgSlug: org.slug, agentId: registered.id });
      expect(discoveries).toHaveLength(1);
      expect(discoveries[0]).toMatchObject({ trigger: "registration", ok: true });
    }
    const events = await auditEventsOf(org.id, { action: "agent.registered" });
    expect(events.length).toBeGreaterThanOrEqual(fleet.agents.length - 1);
  });

  it("previews without saving anything", async () => {
    const preview = await expectOrgUnchanged(org, () => caller().agent.preview({ orgSlug: org.slug, url: urlOf("travel-planner") }));
    expect(preview.protocol).toBe("A2A");
    expect(preview.skills.map((s) => s.key)).toEqual(expect.arrayContaining(["flight-search", "hotel-booking"]));
    expect(preview.suggestedSlug).toMatch(/^travel-planner-\d+$/); // the first registration took "travel-planner"
  });

  it("refuses a taken slug with CONFLICT and saves nothing", async () => {
    await expectOrgUnchanged(org, () =>
      expectTRPCError(caller().agent.register({ orgSlug: org.slug, url: urlOf("calc-tools"), slug: "calc-tools", tags: [] }), "CONFLICT", '"calc-tools"'),
    );
  });
});

describe("bad agent URLs get a clear 400 and leave nothing behind", () => {
  it.each([
    ["a closed port", "http://127.0.0.1:9/v1", /Could not reach|refused/i],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data", /169\.254\.169\.254|link-local|metadata/i],
    ["not a URL", "agents.example.com", /not a URL/],
    ["a non-http scheme", "ftp://example.com/agent", /Only http/],
    ["credentials in the URL", "http://user:pass@127.0.0.1:9/", /credential/],
  ])("%s", async (_label, url, message) => {
    await expectOrgUnchanged(org, () => expectTRPCError(caller().agent.register({ orgSlug: org.slug, url, tags: [] }), "BAD_REQUEST", message));
  });

  it("private addresses are refused when the organization turns them off", async () => {
    const strictOwner = await createUser();
    const strict = await createOrg({ owner: strictOwner });
    await db().organization.update({ where: { id: strict.id }, data: { allowPrivateNetworks: false } });
    await expectTRPCError(
      callerFor(strictOwner).agent.preview({ orgSlug: strict.slug, url: urlOf("atlas-chat") }),
      "BAD_REQUEST",
      /private/i,
    );
  });

  it("a card that is not JSON is refused with what was wrong", async () => {
    const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expectOrgUnchanged(org, () =>
        expectTRPCError(caller().agent.register({ orgSlug: org.slug, url: `http://127.0.0.1:${port}/.well-known/agent-card.json`, protocol: "A2A", tags: [] }), "BAD_REQUEST"),
      );
    } finally {
      server.close();
    }
  });
});

describe("credentials", () => {
  it("are encrypted at rest, used for discovery, and never returned", async () => {
    const secure = fleet.get("secure-chat");
    await expectTRPCError(caller().agent.register({ orgSlug: org.slug, url: secure.url, tags: [] }), "BAD_REQUEST", /401|unauthori[sz]ed|credential/i);
    const secret = SECRET;
    const registered = await caller().agent.register({
      orgSlug: org.slug,
      url: secure.url,
      credential: { kind: "API_KEY", value: secret },
      tags: [],
    });
    expect(registered.credential).toEqual({ kind: "API_KEY", headerName: null, set: true });
    expect(JSON.stringify(registered)).not.toContain(secret);
    expect(JSON.stringify(await caller().agent.get({ orgSlug: org.slug, agentId: registered.id }))).not.toContain(secret);
    expect(JSON.stringify(await caller().agent.list({ orgSlug: org.slug }))).not.toContain(secret);

    const [raw] = await db().$queryRaw<{ credentialCipher: string }[]>`SELECT "credentialCipher" FROM "Agent" WHERE id = ${registered.id}`;
    expect(raw!.credentialCipher).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(raw!.credentialCipher).not.toContain(secret);
    const audit = await auditEventsOf(org.id);
    expect(JSON.stringify(audit)).not.toContain(secret);

    // The stored credential works: rediscovery authenticates with it.
    const again = await unsafeRediscoverAgent({ db: db(), agentId: registered.id, trigger: "test", actor: null });
    expect(again.ok).toBe(true);

    // Removing it is audited as "none", and the agent can no longer be discovered.
    const cleared = await caller().agent.update({ orgSlug: org.slug, agentId: registered.id, credential: null });
    expect(cleared.credential).toBeNull();
  });
});

describe("skill search", () => {
  it("finds agents by skill words, ranks the right agent first, and says which skill matched", async () => {
    const hits = await caller().agent.search({ orgSlug: org.slug, q: "translate" });
    expect(hits[0]?.agent.slug).toBe("translator");
    expect(hits[0]?.matchedSkills.map((s) => s.key)).toContain("translate-text");

    // The table's rows carry the same highlight.
    const rows = await caller().agent.list({ orgSlug: org.slug, q: "translate" });
    expect(rows.agents[0]?.matchedSkills.map((s) => s.key)).toContain("translate-text");

    const flights = await caller().agent.search({ orgSlug: org.slug, q: "book a flight" });
    expect(flights[0]?.agent.slug).toBe("travel-planner");
  });

  it("tolerates typos", async () => {
    expect((await caller().agent.search({ orgSlug: org.slug, q: "translte" }))[0]?.agent.slug).toBe("translator");
    expect((await caller().agent.search({ orgSlug: org.slug, q: "mutliply" }))[0]?.agent.slug).toBe("calc-tools");
    expect((await caller().agent.search({ orgSlug: org.slug, q: "itinerery" }))[0]?.agent.slug).toBe("travel-planner");
  });

  it("finds MCP tools and OpenAI models by name, and filters by protocol", async () => {
    expect((await caller().agent.search({ orgSlug: org.slug, q: "word count" }))[0]?.agent.slug).toBe("text-tools");
    expect((await caller().agent.search({ orgSlug: org.slug, q: "nova-code" }))[0]?.agent.slug).toBe("nova-chat");
    const onlyMcp = await caller().agent.search({ orgSlug: org.slug, q: "text", protocol: "MCP" });
    expect(onlyMcp.length).toBeGreaterThan(0);
    expect(onlyMcp.every((h) => h.agent.protocol === "MCP")).toBe(true);
  });

  it("when no agent matches every word, any word may match, on every page alike", async () => {
    const both = await caller().agent.list({ orgSlug: org.slug, q: "flight arithmetic", pageSize: 20 });
    expect(both.agents.map((a) => a.slug)).toEqual(expect.arrayContaining(["travel-planner", "calc-tools"]));
    const first = await caller().agent.list({ orgSlug: org.slug, q: "flight arithmetic", pageSize: 1 });
    const second = await caller().agent.list({ orgSlug: org.slug, q: "flight arithmetic", pageSize: 1, page: 2 });
    expect(first.total).toBe(both.total);
    expect(second.agents).toHaveLength(1);
    expect(second.agents[0]!.id).not.toBe(first.agents[0]!.id);
  });

  it("never returns another organization's agents", async () => {
    const otherOwner = await createUser();
    const other = await createOrg({ owner: otherOwner });
    expect(await callerFor(otherOwner).agent.search({ orgSlug: other.slug, q: "translate" })).toEqual([]);
    const page = await callerFor(otherOwner).agent.list({ orgSlug: other.slug, q: "translate" });
    expect(page).toMatchObject({ agents: [], total: 0 });
  });

  it("the list pages and sorts in the database", async () => {
    const all = await caller().agent.list({ orgSlug: org.slug, pageSize: 100, sort: "name", dir: "desc" });
    const first = await caller().agent.list({ orgSlug: org.slug, pageSize: 3, sort: "name", dir: "desc" });
    const second = await caller().agent.list({ orgSlug: org.slug, pageSize: 3, page: 2, sort: "name", dir: "desc" });
    expect(first.total).toBe(all.total);
    expect(all.total).toBeGreaterThan(6);
    // Pages are consecutive slices of one stable order (ties broken by id): no gaps, no repeats.
    expect([...first.agents, ...second.agents].map((a) => a.id)).toEqual(all.agents.slice(0, 6).map((a) => a.id));
    const onlyMcp = await caller().agent.list({ orgSlug: org.slug, protocol: "MCP" });
    expect(onlyMcp.agents.map((a) => a.slug).sort()).toEqual(["calc-tools", "text-tools"]);
  });
});

describe("health", () => {
  it("a stopped agent turns unhealthy after the threshold of failed probes and recovers when it is back", async () => {
    const agentId = (await db().agent.findFirstOrThrow({ where: { orgId: org.id, slug: "doc-summarizer" } })).id;
    const round = () => unsafeRunHealthRound({ db: db(), orgId: org.id, threshold: 3, timeoutMs: 1000 });
    await round();
    expect((await caller().agent.get({ orgSlug: org.slug, agentId })).status).toBe("ACTIVE");

    await fleet.stopAgent("doc-summarizer");
    try {
      await round();
      await round();
      expect((await caller().agent.get({ orgSlug: org.slug, agentId })).status).toBe("ACTIVE"); // 2 of 3
      const transitions = await round();
      expect(transitions).toContainEqual(expect.objectContaining({ agentId, from: "ACTIVE", to: "UNHEALTHY" }));
      expect((await caller().agent.get({ orgSlug: org.slug, agentId })).status).toBe("UNHEALTHY");
    } finally {
      await fleet.startAgent("doc-summarizer");
    }
    const back = await round();
    expect(back).toContainEqual(expect.objectContaining({ agentId, from: "UNHEALTHY", to: "ACTIVE" }));
    const health = await caller().agent.health({ orgSlug: org.slug, agentId });
    expect(health.changes.map((c) => `${c.from}→${c.to}`)).toEqual(["UNHEALTHY→ACTIVE", "ACTIVE→UNHEALTHY"]);
    expect(health.checks.filter((c) => !c.ok)).toHaveLength(3);
  });

  it("disabled agents are not probed", async () => {
    const agentId = (await db().agent.findFirstOrThrow({ where: { orgId: org.id, slug: "nova-chat" } })).id;
    await caller().agent.setEnabled({ orgSlug: org.slug, agentId, enabled: false });
    const before = await db().agentHealthCheck.count({ where: { agentId } });
    await unsafeRunHealthRound({ db: db(), orgId: org.id, timeoutMs: 1000 });
    expect(await db().agentHealthCheck.count({ where: { agentId } })).toBe(before);
    expect((await caller().agent.get({ orgSlug: org.slug, agentId })).status).toBe("DISABLED");
    await caller().agent.setEnabled({ orgSlug: org.slug, agentId, enabled: true });
    expect((await auditEventsOf(org.id, { action: "agent.disabled" })).length).toBe(1);
  });
});

describe("rediscovery", () => {
  it("records what was added and removed, and audits a change", async () => {
    let models = ["alpha", "beta"];
    const server = http.createServer((req, res) => {
      if (req.url === "/v1/models") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: models.map((id) => ({ id, object: "model" })) }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const agent = await caller().agent.register({ orgSlug: org.slug, url: `http://127.0.0.1:${port}/v1`, protocol: "OPENAI", name: "Changing models", tags: [] });
      expect(await caller().agent.rediscover({ orgSlug: org.slug, agentId: agent.id })).toEqual({ added: [], removed: [] });
      models = ["beta", "gamma"];
      expect(await caller().agent.rediscover({ orgSlug: org.slug, agentId: agent.id })).toEqual({ added: ["model:gamma"], removed: ["model:alpha"] });
      const history = await caller().agent.discoveries({ orgSlug: org.slug, agentId: agent.id });
      expect(history[0]).toMatchObject({ added: ["model:gamma"], removed: ["model:alpha"], skillCount: 2 });
      const changed = await auditEventsOf(org.id, { action: "agent.rediscovered" });
      expect(changed.at(-1)?.after).toMatchObject({ added: ["model:gamma"], removed: ["model:alpha"] });
    } finally {
      server.close();
    }
  });
});

describe("roles", () => {
  it("a viewer can read but not register, edit or delete", async () => {
    const { user: viewer } = await createMember(org, "VIEWER");
    const agentId = (await db().agent.findFirstOrThrow({ where: { orgId: org.id, slug: "calc-tools" } })).id;
    await callerFor(viewer).agent.get({ orgSlug: org.slug, agentId });
    await expectOrgUnchanged(org, async () => {
      await expectTRPCError(callerFor(viewer).agent.register({ orgSlug: org.slug, url: urlOf("calc-tools"), tags: [] }), "FORBIDDEN");
      await expectTRPCError(callerFor(viewer).agent.update({ orgSlug: org.slug, agentId, name: "Renamed" }), "FORBIDDEN");
      await expectTRPCError(callerFor(viewer).agent.delete({ orgSlug: org.slug, agentId }), "FORBIDDEN");
    });
  });

  it("an admin deletes an agent, and it is gone with its skills and history", async () => {
    const agent = await caller().agent.register({ orgSlug: org.slug, url: urlOf("text-tools"), slug: "text-tools-copy", tags: [] });
    await caller().agent.delete({ orgSlug: org.slug, agentId: agent.id });
    await expectTRPCError(caller().agent.get({ orgSlug: org.slug, agentId: agent.id }), "NOT_FOUND");
    expect(await db().agentSkill.count({ where: { agentId: agent.id } })).toBe(0);
  });
});

describe("prices", () => {
  const get = (agentId: string) => caller().agent.get({ orgSlug: org.slug, agentId });

  it("are saved on registration, returned, and part of the registration's audit", async () => {
    const agent = await caller().agent.register({
      orgSlug: org.slug,
      url: urlOf("nova-chat"),
      slug: "nova-priced",
      tags: [],
      inputPricePerMTok: 0.15,
      outputPricePerMTok: 0.6,
    });
    expect(agent).toMatchObject({ inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 });
    expect(await get(agent.id)).toMatchObject({ inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 });
    const [registered] = (await auditEventsOf(org.id, { action: "agent.registered" })).filter((e) => e.targetId === agent.id);
    expect(registered?.after).toMatchObject({ inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 });
  });

  it("are unset (null) when left out", async () => {
    const agentId = (await db().agent.findFirstOrThrow({ where: { orgId: org.id, slug: "nova-chat" } })).id;
    expect(await get(agentId)).toMatchObject({ inputPricePerMTok: null, outputPricePerMTok: null });
  });

  it("are updated one at a time or cleared, and each change is audited with before and after", async () => {
    const agentId = (await db().agent.findFirstOrThrow({ where: { orgId: org.id, slug: "nova-priced" } })).id;
    const updatesOf = async () => (await auditEventsOf(org.id, { action: "agent.updated" })).filter((e) => e.targetId === agentId);

    // Only the input price given: the output price stays.
    expect(await caller().agent.update({ orgSlug: org.slug, agentId, inputPricePerMTok: 2.5 })).toMatchObject({ inputPricePerMTok: 2.5, outputPricePerMTok: 0.6 });
    let [event] = (await updatesOf()).slice(-1);
    expect(event?.before).toMatchObject({ inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 });
    expect(event?.after).toMatchObject({ inputPricePerMTok: 2.5, outputPricePerMTok: 0.6 });

    // Other fields edited without prices leave them alone.
    expect(await caller().agent.update({ orgSlug: org.slug, agentId, name: "Nova priced" })).toMatchObject({ inputPricePerMTok: 2.5, outputPricePerMTok: 0.6 });

    expect(await caller().agent.update({ orgSlug: org.slug, agentId, inputPricePerMTok: 0, outputPricePerMTok: 0.000125 })).toMatchObject({
      inputPricePerMTok: 0,
      outputPricePerMTok: 0.000125,
    });

    expect(await caller().agent.update({ orgSlug: org.slug, agentId, inputPricePerMTok: null, outputPricePerMTok: null })).toMatchObject({
      inputPricePerMTok: null,
      outputPricePerMTok: null,
    });
    [event] = (await updatesOf()).slice(-1);
    expect(event?.before).toMatchObject({ inputPricePerMTok: 0, outputPricePerMTok: 0.000125 });
    expect(event?.after).toMatchObject({ inputPricePerMTok: null, outputPricePerMTok: null });
    expect(await get(agentId)).toMatchObject({ inputPricePerMTok: null, outputPricePerMTok: null });
  });

  const invalid: [string, unknown, RegExp | string][] = [
    ["negative", -0.01, PRICE_MESSAGE],
    ["above 10000", 10_000.5, PRICE_MESSAGE],
    ["huge", 1e300, PRICE_MESSAGE],
    ["a string", "0.15", PRICE_MESSAGE],
    ["not a number", Number.NaN, PRICE_MESSAGE],
    ["more than 6 decimals", 0.0000001, /at most 6 decimals/],
  ];

  describe.each(["inputPricePerMTok", "outputPricePerMTok"] as const)("%s", (field) => {
    it.each(invalid)("%s is refused with BAD_REQUEST naming the field, on register and update", async (_label, value, message) => {
      const agentId = (await db().agent.findFirstOrThrow({ where: { orgId: org.id, slug: "nova-priced" } })).id;
      await expectOrgUnchanged(org, async () => {
        for (const call of [
          () => caller().agent.register({ orgSlug: org.slug, url: urlOf("nova-chat"), slug: "nova-invalid", tags: [], [field]: value as number }),
          () => caller().agent.update({ orgSlug: org.slug, agentId, [field]: value as number }),
        ]) {
          const { shape } = await expectTRPCError(call(), "BAD_REQUEST", message);
          expect(shape.message).toContain(`${field}:`);
          expect(shape.data.fieldErrors?.[field]?.[0]).toMatch(message);
        }
      });
    });
  });
});

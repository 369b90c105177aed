import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Fleet } from "@/fleet";
import { startFleet } from "@/fleet";
import { INSTANT, specOf, startTestFleet } from "@/fleet/testing";
import { signConsoleToken } from "./console-token";
import type { Gateway } from "./server";
import { addFleetAgent, addKey, addRoute, eventually, newTestOrg, startTestGateway, TEST_AUTH_SECRET, type TestAgent } from "./testing";

let fleet: Fleet;
let replicas: Fleet;
let gateway: Gateway;
let org: Awaited<ReturnType<typeof newTestOrg>>;
let atlas: TestAgent;
let nova: TestAgent;
let summarizer: TestAgent;
let translator: TestAgent;
let replicaA: TestAgent;
let replicaB: TestAgent;
let mixedRoute: { id: string; alias: string };
let key: { id: string; secret: string };

const post = (body: unknown, headers: Record<string, string> = {}, secret = key.secret) =>
  fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const ask = (model: string, content = "hello there") => ({ model, messages: [{ role: "user", content }] });

beforeAll(async () => {
  fleet = await startTestFleet();
  replicas = await startFleet({
    basePort: 0,
    behaviour: { ...INSTANT, tokensPerSecond: 40 },
    agents: [
      { ...specOf("atlas-chat"), id: "atlas-a" },
      { ...specOf("atlas-chat"), id: "atlas-b" },
    ],
  });
  org = await newTestOrg();
  atlas = await addFleetAgent(org, fleet, "atlas-chat", { prices: [1, 2] });
  nova = await addFleetAgent(org, fleet, "nova-chat");
  summarizer = await addFleetAgent(org, fleet, "doc-summarizer");
  translator = await addFleetAgent(org, fleet, "translator", { skills: [{ key: "translate", name: "Translate text", description: "Translate text between languages" }] });
  replicaA = await addFleetAgent(org, replicas, "atlas-a");
  replicaB = await addFleetAgent(org, replicas, "atlas-b");
  mixedRoute = await addRoute(org, {
    alias: "mixed",
    strategy: "WEIGHTED",
    targets: [
      { agentId: atlas.id, model: "atlas-small" },
      { agentId: summarizer.id },
    ],
  });
  key = await addKey(org);
  gateway = await startTestGateway();
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await fleet?.stop();
  await replicas?.stop();
});

describe("OpenAI endpoint with the official client", () => {
  it("answers JSON and streams through a route that mixes OpenAI and A2A agents", async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key.secret, maxRetries: 0 });
    const answeredBy = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const { data, response } = await client.chat.completions.create({ model: "mixed", messages: [{ role: "user", content: "summarize: The gateway routes requests to agents." }] }).withResponse();
      expect(data.choices[0]?.message.content).toBeTruthy();
      expect(data.model).toBe("mixed");
      expect(data.usage?.total_tokens).toBeGreaterThan(0);
      answeredBy.add(response.headers.get("x-helix-agent") ?? "");
    }
    // Weighted 50/50 over 16 requests: both agents answer (fails with probability 2 × 0.5^16).
    expect(answeredBy).toEqual(new Set([atlas.slug, summarizer.slug]));

    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const stream = await client.chat.completions.create({
        model: "mixed",
        messages: [{ role: "user", content: "summarize: Streams arrive in pieces and the client joins them." }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let usage: OpenAI.CompletionUsage | null | undefined;
      let last: unknown;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        if (chunk.usage) usage = chunk.usage;
        if (chunk.choices[0]?.finish_reason) last = chunk;
      }
      expect(text.length).toBeGreaterThan(0);
      expect(usage?.completion_tokens).toBeGreaterThan(0);
      seen.add((last as { helix: { agent: string } }).helix.agent);
    }
    expect(seen.size).toBe(2);
  });

  it("lists the aliases a key may use", async () => {
    const other = await addRoute(org, { alias: "only-nova", targets: [{ agentId: nova.id }] });
    const scoped = await addKey(org, { routeIds: [other.id] });
    await eventually(async () => {
      const res = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${scoped.secret}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { id: string }[] };
      expect(body.data.map((m) => m.id)).toEqual(["only-nova"]);
    });
    const all = (await (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key.secret}` } })).json()) as { data: { id: string }[] };
    expect(all.data.map((m) => m.id)).toEqual(expect.arrayContaining(["mixed", "only-nova"]));
    // And the scoped key cannot call the other route.
    const res = await post(ask("mixed"), {}, scoped.secret);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("route_not_allowed");
  });
});

describe("keys", () => {
  it("rejects missing, malformed, unknown and expired keys with OpenAI-shaped 401s", async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, "missing_api_key"],
      [{ authorization: "Bearer sk-not-ours" }, "invalid_api_key"],
      [{ authorization: `Bearer hx_00000000_${"A".repeat(43)}` }, "invalid_api_key"],
    ];
    for (const [headers, code] of cases) {
      const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(ask("mixed")) });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string; type: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.type).toBe("authentication_error");
    }
    const expired = await addKey(org, { expiresAt: new Date(Date.now() + 1_500) });
    await eventually(async () => expect((await post(ask("mixed"), {}, expired.secret)).status).toBe(200));
    await new Promise((r) => setTimeout(r, 1_600));
    const res = await post(ask("mixed"), {}, expired.secret);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("expired_api_key");
  });

  it("a revoked key stops working within a second", async () => {
    const doomed = await addKey(org);
    await eventually(async () => expect((await post(ask("mixed"), {}, doomed.secret)).status).toBe(200));
    const revokedAt = Date.now();
    await db().apiKey.update({ where: { id: doomed.id }, data: { revokedAt: new Date() } });
    await eventually(async () => expect((await post(ask("mixed"), {}, doomed.secret)).status).toBe(401), 1_000, 10);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it("applies the key's rate limit with a Retry-After", async () => {
    const limited = await addKey(org, { rateLimitPerMinute: 3 });
    await eventually(async () => expect((await post(ask("mixed"), {}, limited.secret)).status).toBe(200));
    await post(ask("mixed"), {}, limited.secret);
    await post(ask("mixed"), {}, limited.secret);
    const res = await post(ask("mixed"), {}, limited.secret);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");
  });

  it("accepts a console token only for its own route, and explains the answer with x-helix-debug", async () => {
    const token = signConsoleToken({ orgId: org.id, routeId: mixedRoute.id, userId: "u1" }, TEST_AUTH_SECRET);
    const res = await post(ask("mixed"), { "x-helix-debug": "1" }, token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { helix: { agentId: string; attempts: { agentId: string; status: number }[]; totalMs: number } };
    expect([atlas.id, summarizer.id]).toContain(body.helix.agentId);
    expect(body.helix.attempts).toHaveLength(1);
    expect(body.helix.attempts[0]).toMatchObject({ agentId: body.helix.agentId, status: 200 });
    await eventually(async () => expect((await post(ask("only-nova"), {}, token)).status).toBe(403));
    const forged = signConsoleToken({ orgId: org.id, routeId: mixedRoute.id, userId: "u1" }, "another-secret-0123456789abcdef");
    expect((await post(ask("mixed"), {}, forged)).status).toBe(401);
  });
});

describe("routing", () => {
  it("answers unknown aliases with 404 naming the models the key may use", async () => {
    const res = await post(ask("no-such-route"));
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; param: string } };
    expect(body.error).toMatchObject({ code: "model_not_found", param: "model" });
    expect(body.error.message).toContain("mixed");
  });

  it("fails over from an agent answering 500s and records both attempts", async () => {
    fleet.configure("nova-chat", { errorRate: 1 });
    try {
      const route = await addRoute(org, {
        alias: "failover",
        strategy: "PRIORITY",
        retryBudgetPercent: 100,
        targets: [
          { agentId: nova.id, priority: 0 },
          { agentId: atlas.id, priority: 1, model: "atlas-small" },
        ],
      });
      const token = signConsoleToken({ orgId: org.id, routeId: route.id, userId: "u1" }, TEST_AUTH_SECRET);
      const res = await eventually(async () => {
        const r = await post(ask("failover"), { "x-helix-debug": "1" }, token);
        expect(r.status).toBe(200);
        return r;
      });
      expect(res.headers.get("x-helix-failover")).toBe("1");
      expect(res.headers.get("x-helix-agent")).toBe(atlas.slug);
      const body = (await res.json()) as { helix: { attempts: { agentId: string; errorClass: string | null; status: number; retry: boolean }[] } };
      expect(body.helix.attempts).toMatchObject([
        { agentId: nova.id, errorClass: "http_5xx", status: 500, retry: false },
        { agentId: atlas.id, errorClass: null, status: 200, retry: true },
      ]);
    } finally {
      fleet.configure("nova-chat", { errorRate: 0 });
    }
  });

  it("skips agents the registry marks unhealthy", async () => {
    const sick = await addFleetAgent(org, fleet, "nova-chat", { status: "UNHEALTHY" });
    await addRoute(org, { alias: "skip-sick", targets: [{ agentId: sick.id }, { agentId: atlas.id, model: "atlas-small" }] });
    await eventually(async () => expect((await post(ask("skip-sick"))).status).toBe(200));
    for (let i = 0; i < 10; i++) expect((await post(ask("skip-sick"))).headers.get("x-helix-agent")).toBe(atlas.slug);
    // All targets unhealthy: 503, not an attempt at a sick agent.
    await addRoute(org, { alias: "all-sick", targets: [{ agentId: sick.id }] });
    const res = await eventually(async () => {
      const r = await post(ask("all-sick"));
      expect(r.status).toBe(503);
      return r;
    });
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("no_healthy_agent");
  });

  it("routes a capability route to an agent with the skill, over A2A", async () => {
    await addRoute(org, { alias: "translate", strategy: "CAPABILITY", requiredSkill: "translate" });
    const res = await eventually(async () => {
      const r = await post(ask("translate", "translate to french: good morning"));
      expect(r.status).toBe(200);
      return r;
    });
    expect(res.headers.get("x-helix-agent")).toBe(translator.slug);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content.toLowerCase()).toContain("bon matin");
  });

  it("continues a stream from another replica when the answering agent dies mid-stream", async () => {
    const route = await addRoute(org, {
      alias: "replicas",
      strategy: "WEIGHTED",
      retryBudgetPercent: 100,
      targets: [
        { agentId: replicaA.id, model: "atlas-large" },
        { agentId: replicaB.id, model: "atlas-large" },
      ],
    });
    const prompt = "Tell me about resilient gateways that keep streams alive when an agent fails halfway through an answer.";
    // What one replica says in one piece.
    const whole = (await (
      await fetch(`${replicas.get("atlas-b").url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "atlas-large", messages: [{ role: "user", content: prompt }] }),
      })
    ).json()) as { choices: { message: { content: string } }[] };
    const expected = whole.choices[0]!.message.content;

    const token = signConsoleToken({ orgId: org.id, routeId: route.id, userId: "u1" }, TEST_AUTH_SECRET);
    await eventually(async () => expect((await post(ask("replicas"), {}, token)).status).toBe(200));
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: token, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: "replicas", messages: [{ role: "user", content: prompt }], stream: true });
    let text = "";
    let chunks = 0;
    let killed: string | null = null;
    type Final = { helix?: { agent: string; failover: boolean; midStreamFailover: boolean } };
    let final: Final | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.delta.content) chunks++;
      if (chunks === 3 && killed === null) {
        // Which replica is answering: the one with a request in flight.
        const inflight = gateway.core.engine.stats.snapshot(Date.now());
        killed = inflight[replicaA.id]?.inflight ? "atlas-a" : "atlas-b";
        await replicas.stopAgent(killed);
      }
      if (chunk.choices[0]?.finish_reason) final = chunk as unknown as Final;
    }
    try {
      expect(killed).not.toBeNull();
      expect(text).toBe(expected);
      expect(final?.helix).toMatchObject({ failover: true, midStreamFailover: true });
      expect(final?.helix?.agent).toBe(killed === "atlas-a" ? replicaB.slug : replicaA.slug);
    } finally {
      if (killed) await replicas.startAgent(killed);
    }
  });
});

describe("bad input", () => {
  it("answers malformed bodies with OpenAI-shaped 4xx errors", async () => {
    const cases: [string, number, string | null][] = [
      ["{not json", 400, "invalid_json"],
      ["[]", 400, "invalid_body"],
      [JSON.stringify({ model: "mixed" }), 400, "invalid_value"],
      [JSON.stringify({ model: "mixed", messages: "hi" }), 400, "invalid_value"],
      [JSON.stringify({ model: 42, messages: [{ role: "user", content: "x" }] }), 400, "invalid_value"],
      [JSON.stringify({ model: "mixed", messages: [{ role: "wizard", content: "x" }] }), 400, "invalid_value"],
      [JSON.stringify({ model: "mixed", messages: [{ role: "user", content: "x" }], stream: "yes" }), 400, "invalid_value"],
      ["", 400, "body_missing"],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, body).toBe(status);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code, body).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(10);
    }
    const wrongType = (await (await post(JSON.stringify({ model: "mixed", messages: [{ role: "user", content: "x" }], stream: "yes" }))).json()) as { error: { param: string } };
    expect(wrongType.error.param).toBe("stream");
  });

  it("refuses oversized bodies with 413 and wrong methods with 405", async () => {
    const big = JSON.stringify(ask("mixed", "x".repeat(1_100_000)));
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("request_too_large");
    const get = await fetch(`${gateway.url}/v1/chat/completions`, { headers: { authorization: `Bearer ${key.secret}` } });
    expect(get.status).toBe(405);
    expect((await fetch(`${gateway.url}/nope`)).status).toBe(404);
  });
});

describe("operations", () => {
  it("serves /healthz, /readyz and Prometheus /metrics", async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain("helix_gateway_requests_total");
    expect(metrics).toContain("helix_gateway_attempts_total");
  });

  it("records one telemetry row per request, with cost from the agent's prices", async () => {
    await gateway.telemetry!.flush();
    const before = await countRequests();
    const n = 5;
    for (let i = 0; i < n; i++) expect((await post(ask("only-nova"))).status).toBe(200);
    expect((await post("{bad")).status).toBe(400);
    await gateway.telemetry!.flush();
    expect((await countRequests()) - before).toBe(n + 1);
    // Atlas has prices (1 and 2 USD per million tokens): its attempts carry a cost.
    const rows = await db().$queryRaw<{ cost: number | null }[]>`SELECT cost_usd AS cost FROM telemetry.gateway_events WHERE org_id = ${org.id} AND kind = 'attempt' AND agent_id = ${atlas.id} LIMIT 1`;
    expect(rows[0]?.cost).toBeGreaterThan(0);
  });
});

async function countRequests(): Promise<number> {
  const [row] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM telemetry.gateway_events WHERE org_id = ${org.id} AND kind = 'request'`;
  return Number(row?.n ?? 0);
}

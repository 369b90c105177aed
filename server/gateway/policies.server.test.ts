import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Fleet } from "@/fleet";
import { startTestFleet } from "@/fleet/testing";
import type { Prisma } from "@/server/generated/prisma/client";
import type { Gateway } from "./server";
import { addFleetAgent, addKey, addRoute, eventually, newTestOrg, startTestGateway, type TestAgent } from "./testing";

// Policies enforced on live traffic: the demo fleet's agents behind a real gateway, called with the
// official openai client. atlas-chat answers "<model>: You said: <the message>", and streams one
// whitespace token per chunk, so PII in its answer arrives split over several SSE chunks.

let fleet: Fleet;
let gateway: Gateway;
let org: Awaited<ReturnType<typeof newTestOrg>>;
let euAgent: TestAgent;
let usAgent: TestAgent;
let key: { id: string; secret: string };
let client: OpenAI;

async function addPolicy(data: Omit<Prisma.PolicyUncheckedCreateInput, "orgId">) {
  return db().policy.create({ data: { orgId: org.id, ...data }, select: { id: true } });
}

async function streamText(model: string, content: string, headers: Record<string, string> = {}) {
  const stream = await client.chat.completions.create({ model, messages: [{ role: "user", content }], stream: true }, { headers });
  let text = "";
  let chunks = 0;
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta.content ?? "";
    if (delta) chunks++;
    text += delta;
  }
  return { text, chunks };
}

async function decisionsOf(traceId: string) {
  await gateway.telemetry!.flush();
  const [row] = await db().$queryRaw<{ d: unknown }[]>`
    SELECT policy_decisions AS d FROM telemetry.gateway_events WHERE org_id = ${org.id} AND kind = 'request' AND trace_id = ${traceId}`;
  return row?.d as { policyId: string; effect: string; mode: string; applied: boolean; detail?: string }[] | null;
}

beforeAll(async () => {
  fleet = await startTestFleet();
  org = await newTestOrg();
  euAgent = await addFleetAgent(org, fleet, "atlas-chat", { slug: "atlas-eu", region: "eu-west-1" });
  usAgent = await addFleetAgent(org, fleet, "atlas-chat", { slug: "atlas-us", region: "us-east-1" });
  key = await addKey(org);
  gateway = await startTestGateway();
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key.secret, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await fleet?.stop();
});

describe("policies on live traffic", () => {
  it("a deny policy blocks matching requests with its message, and lets others through", async () => {
    const route = await addRoute(org, { alias: "deny-test", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    const policy = await addPolicy({
      name: "No exports of secrets",
      scope: "ROUTE",
      scopeId: route.id,
      effect: "DENY",
      condition: `request.headers["x-purpose"] == "export" || "SECRET" in request.labels`,
      params: { message: "Exports are not allowed through this route" },
    });
    await eventually(async () => {
      const res = await client.chat.completions.create({ model: "deny-test", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-purpose": "export" } }).withResponse().catch((e: unknown) => e);
      expect(res).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((res as InstanceType<typeof OpenAI.PermissionDeniedError>).message).toContain("Exports are not allowed through this route");
      expect((res as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe("policy_denied");
    });
    const labelled = await client.chat.completions.create({ model: "deny-test", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-helix-data-labels": "public, secret" } }).catch((e: unknown) => e);
    expect(labelled).toBeInstanceOf(OpenAI.PermissionDeniedError);
    // No header, other label: allowed (a condition reading an absent header is false, not an error that denies).
    const ok = await client.chat.completions.create({ model: "deny-test", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-helix-data-labels": "PUBLIC" } }).withResponse();
    expect(ok.data.choices[0]?.message.content).toContain("You said: hi");

    // The refusal is in the telemetry with the decision.
    const denied = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key.secret}`, "x-purpose": "export" },
      body: JSON.stringify({ model: "deny-test", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(denied.status).toBe(403);
    const decisions = await decisionsOf(denied.headers.get("x-helix-trace-id")!);
    expect(decisions).toEqual([expect.objectContaining({ policyId: policy.id, effect: "DENY", mode: "ENFORCE", applied: true })]);
  });

  it("a monitor policy only records what it would have done", async () => {
    const route = await addRoute(org, { alias: "monitor-test", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    const policy = await addPolicy({ name: "Would deny everything", scope: "ROUTE", scopeId: route.id, mode: "MONITOR", effect: "DENY", condition: "true" });
    const redact = await addPolicy({ name: "Would redact", scope: "ROUTE", scopeId: route.id, mode: "MONITOR", effect: "REDACT", condition: "true", params: { kinds: ["EMAIL"], direction: "BOTH" } });
    let traceId = "";
    await eventually(async () => {
      const { data, response } = await client.chat.completions.create({ model: "monitor-test", messages: [{ role: "user", content: "write to ana@example.com" }] }).withResponse();
      // Served and unchanged: monitor mode applies nothing.
      expect(data.choices[0]?.message.content).toContain("ana@example.com");
      traceId = response.headers.get("x-helix-trace-id")!;
      const decisions = await decisionsOf(traceId);
      expect(decisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ policyId: policy.id, effect: "DENY", mode: "MONITOR", applied: false }),
          expect.objectContaining({ policyId: redact.id, effect: "REDACT", mode: "MONITOR", applied: false }),
        ]),
      );
    });
  });

  it("redaction masks PII in the request before the agent sees it and in a streamed answer split across chunks", async () => {
    const route = await addRoute(org, { alias: "redact-test", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    const responseOnly = await addRoute(org, { alias: "redact-answer", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    await addPolicy({ name: "Mask PII for agents", scope: "ROUTE", scopeId: route.id, effect: "REDACT", condition: "true", params: { kinds: ["EMAIL", "CARD", "SSN"], direction: "REQUEST" } });
    await addPolicy({ name: "Mask PII in answers", scope: "ROUTE", scopeId: responseOnly.id, effect: "REDACT", condition: "true", params: { kinds: ["ALL"], direction: "RESPONSE" } });
    const message = "my card is 4111 1111 1111 1111 and mail ana.perez@example.com, ssn 123-45-6789 thanks";

    // Request direction: the agent echoes what it received, so the answer shows the masked request.
    await eventually(async () => {
      const { data } = await client.chat.completions.create({ model: "redact-test", messages: [{ role: "user", content: message }] }).withResponse();
      const answer = data.choices[0]!.message.content!;
      expect(answer).toContain("my card is [CARD] and mail [EMAIL], ssn [SSN] thanks");
    });

    // Response direction on a stream: the agent saw the PII and repeats it one token per chunk; the
    // client receives it masked, and the rest of the answer byte for byte.
    await eventually(async () => {
      const { text, chunks } = await streamText("redact-answer", message);
      expect(chunks).toBeGreaterThan(5);
      expect(text).toBe("atlas-small: You said: my card is [CARD] and mail [EMAIL], ssn [SSN] thanks");
    });
    // The same answer as JSON is masked the same way.
    const { data } = await client.chat.completions.create({ model: "redact-answer", messages: [{ role: "user", content: message }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe("atlas-small: You said: my card is [CARD] and mail [EMAIL], ssn [SSN] thanks");
  });

  it("a residency policy routes EU traffic only to EU agents, and fails clearly when none is allowed", async () => {
    const route = await addRoute(org, {
      alias: "residency",
      targets: [
        { agentId: euAgent.id, model: "atlas-small" },
        { agentId: usAgent.id, model: "atlas-small" },
      ],
    });
    const usOnly = await addRoute(org, { alias: "residency-us", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    await addPolicy({
      name: "EU data stays in the EU",
      effect: "RESTRICT_ROUTING",
      condition: `"EU" in request.labels`,
      params: { agentCondition: `agent.region.startsWith("eu-")` },
    });
    const eu = { "x-helix-data-labels": "EU" };
    await eventually(async () => {
      const res = await client.chat.completions.create({ model: "residency-us", messages: [{ role: "user", content: "hi" }] }, { headers: eu }).catch((e: unknown) => e);
      expect(res).toBeInstanceOf(OpenAI.PermissionDeniedError);
    });
    const refused = (await client.chat.completions.create({ model: "residency-us", messages: [{ role: "user", content: "hi" }] }, { headers: eu }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.PermissionDeniedError>;
    expect(refused.code).toBe("policy_no_allowed_agent");
    expect(refused.message).toContain('policy "EU data stays in the EU" excludes');
    expect(refused.message).toContain("us-east-1");

    const servedBy = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const { response } = await client.chat.completions.create({ model: "residency", messages: [{ role: "user", content: "hi" }] }, { headers: eu }).withResponse();
      servedBy.add(response.headers.get("x-helix-agent")!);
    }
    expect(servedBy).toEqual(new Set([euAgent.slug]));
    // Unlabelled traffic still spreads over both (weighted 50/50: fails with probability 2 × 0.5^16).
    const unlabelled = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const { response } = await client.chat.completions.create({ model: "residency", messages: [{ role: "user", content: "hi" }] }).withResponse();
      unlabelled.add(response.headers.get("x-helix-agent")!);
    }
    expect(unlabelled).toEqual(new Set([euAgent.slug, usAgent.slug]));
    // A route labelled EU needs no header.
    await db().route.update({ where: { id: usOnly.id }, data: { labels: ["EU"] } });
    await eventually(async () => {
      const res = await client.chat.completions.create({ model: "residency-us", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
      expect(res).toBeInstanceOf(OpenAI.PermissionDeniedError);
    });
    expect(route.id).toBeTruthy();
  });

  it("caps tokens and requires labels", async () => {
    const route = await addRoute(org, { alias: "labels-test", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    await addPolicy({ name: "Classify PHI", scope: "ROUTE", scopeId: route.id, effect: "REQUIRE_LABEL", condition: `request.routeAlias == "labels-test"`, params: { label: "PHI" } });
    await eventually(async () => {
      const res = (await client.chat.completions.create({ model: "labels-test", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.PermissionDeniedError>;
      expect(res).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(res.message).toContain("x-helix-data-labels: PHI");
    });
    const ok = await client.chat.completions.create({ model: "labels-test", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-helix-data-labels": "phi" } });
    expect(ok.choices[0]?.message.content).toContain("You said: hi");
  });

  it("applies to A2A clients too", async () => {
    const route = await addRoute(org, { alias: "a2a-policy", targets: [{ agentId: usAgent.id, model: "atlas-small" }] });
    await addPolicy({ name: "No A2A exports", scope: "ROUTE", scopeId: route.id, effect: "DENY", condition: `request.protocol == "a2a" && "SECRET" in request.labels`, params: { message: "No secrets over A2A" } });
    await addPolicy({ name: "Mask A2A answers", scope: "ROUTE", scopeId: route.id, effect: "REDACT", condition: "true", params: { kinds: ["EMAIL"], direction: "RESPONSE" } });
    const url = `${gateway.url}/a2a/${org.slug}/${route.slug}/`;
    const send = (headers: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key.secret}`, ...headers },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "message/send", params: { message: { kind: "message", role: "user", messageId: "m1", parts: [{ kind: "text", text: "reach me at bo@example.org" }] } } }),
      });
    await eventually(async () => {
      const res = await send({ "x-helix-data-labels": "SECRET" });
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).toContain("No secrets over A2A");
    });
    const res = await send({});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { artifacts: unknown[] } };
    const answer = JSON.stringify(body.result.artifacts);
    expect(answer).toContain("reach me at [EMAIL]");
    expect(answer).not.toContain("bo@example.org");
  });
});

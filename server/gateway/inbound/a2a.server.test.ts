import { randomUUID } from "node:crypto";
import { Role, TaskState, type Message, type SendMessageRequest, type StreamResponse, type Task } from "@a2a-js/sdk";
import { Client, ClientFactory } from "@a2a-js/sdk/client";
import { LegacyJsonRpcTransport } from "@a2a-js/sdk/compat/v0_3/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { startFleet, type Fleet } from "@/fleet";
import { INSTANT, specOf, startTestFleet } from "@/fleet/testing";
import type { Gateway } from "../server";
import { addFleetAgent, addKey, addRoute, eventually, newTestOrg, startTestGateway, type TestAgent } from "../testing";

let fleet: Fleet;
/** Streams at 40 tokens a second, so a test can act in the middle of an answer. */
let paced: Fleet;
let gateway: Gateway;
let org: Awaited<ReturnType<typeof newTestOrg>>;
let otherOrg: Awaited<ReturnType<typeof newTestOrg>>;
let atlas: TestAgent;
let summarizer: TestAgent;
let key: { id: string; secret: string };
let otherKey: { id: string; secret: string };
type TestRoute = { id: string; alias: string; slug: string };
let mixed: TestRoute;
let openaiOnly: TestRoute;
let a2aOnly: TestRoute;
let failing: TestRoute;
let slow: TestRoute;
let otherRoute: TestRoute;

const SUMMARY = "Summary: The board approved the budget. (9 words)";
const ASK_SUMMARY = "summarize: The board approved the budget. Hiring resumes in May.";

beforeAll(async () => {
  fleet = await startTestFleet([specOf("atlas-chat"), specOf("doc-summarizer"), specOf("translator")]);
  paced = await startFleet({ basePort: 0, behaviour: { ...INSTANT, tokensPerSecond: 40 }, agents: [{ ...specOf("doc-summarizer"), id: "paced-summarizer" }] });
  [org, otherOrg] = await Promise.all([newTestOrg(), newTestOrg()]);
  atlas = await addFleetAgent(org, fleet, "atlas-chat");
  summarizer = await addFleetAgent(org, fleet, "doc-summarizer");
  const translator = await addFleetAgent(org, fleet, "translator");
  const pacedSummarizer = await addFleetAgent(org, paced, "paced-summarizer");
  mixed = await addRoute(org, { alias: "mixed", targets: [{ agentId: atlas.id, model: "atlas-small" }, { agentId: summarizer.id }] });
  openaiOnly = await addRoute(org, { alias: "openai-only", targets: [{ agentId: atlas.id, model: "atlas-small" }] });
  a2aOnly = await addRoute(org, { alias: "a2a-only", targets: [{ agentId: summarizer.id }] });
  failing = await addRoute(org, { alias: "failing", maxRetries: 0, targets: [{ agentId: translator.id }] });
  slow = await addRoute(org, { alias: "slow", maxRetries: 0, targets: [{ agentId: pacedSummarizer.id }] });
  const otherAtlas = await addFleetAgent(otherOrg, fleet, "atlas-chat");
  otherRoute = await addRoute(otherOrg, { alias: "theirs", targets: [{ agentId: otherAtlas.id, model: "atlas-small" }] });
  [key, otherKey] = await Promise.all([addKey(org), addKey(otherOrg)]);
  gateway = await startTestGateway();
}, 60_000);

afterAll(async () => {
  await gateway?.close();
  await fleet?.stop();
  await paced?.stop();
});

// ---------------------------------------------------------------------------------------------

const routeUrl = (route: { slug: string }, orgSlug = org.slug) => `${gateway.url}/a2a/${orgSlug}/${route.slug}`;

/** The official client, from the card (the SDK resolves it relative to the URL: hence the slash). */
const clientFor = (route: { slug: string }, orgSlug = org.slug): Promise<Client> => new ClientFactory().createFromUrl(`${routeUrl(route, orgSlug)}/`);

const auth = (secret = key.secret) => ({ serviceParameters: { Authorization: `Bearer ${secret}` } });

function message(text: string, contextId = ""): SendMessageRequest {
  const msg: Message = {
    messageId: randomUUID(),
    contextId,
    taskId: "",
    role: Role.ROLE_USER,
    parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
  return { tenant: "", message: msg, configuration: undefined, metadata: undefined };
}

function asTask(result: Message | Task): Task {
  if (!("status" in result)) throw new Error("expected a task, got a message");
  return result;
}

const partsText = (parts: Message["parts"]) => parts.map((p) => (p.content?.$case === "text" ? p.content.value : "")).join("");
const artifactText = (task: Task) => task.artifacts.map((a) => partsText(a.parts)).join("");

async function collect(stream: AsyncGenerator<StreamResponse>): Promise<StreamResponse[]> {
  const events: StreamResponse[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function streamedText(events: StreamResponse[]): string {
  return events.map((e) => (e.payload?.$case === "artifactUpdate" ? partsText(e.payload.value.artifact?.parts ?? []) : "")).join("");
}

function finalState(events: StreamResponse[]): TaskState | undefined {
  const last = events.at(-1)?.payload;
  return last?.$case === "statusUpdate" ? last.value.status?.state : undefined;
}

type RpcAnswer = { jsonrpc: string; id: unknown; result?: Record<string, unknown>; error?: { code: number; message: string } };

async function rpc(url: string, body: unknown, opts: { secret?: string | null; headers?: Record<string, string> } = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(opts.secret === null ? {} : { authorization: `Bearer ${opts.secret ?? key.secret}` }), ...opts.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as RpcAnswer };
}

const call = (method: string, params: unknown, id: number | string = 1) => ({ jsonrpc: "2.0", id, method, params });
const legacyMessage = (text: string) => ({ message: { kind: "message", messageId: randomUUID(), role: "user", parts: [{ kind: "text", text }] } });

async function requestRows(): Promise<number> {
  await gateway.telemetry!.flush();
  const [row] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM telemetry.gateway_events WHERE org_id = ${org.id} AND kind = 'request' AND protocol = 'a2a'`;
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------

describe("agent card", () => {
  it("serves the route's v1.0 card to the official client, public and pointing at the gateway", async () => {
    const client = await clientFor(mixed);
    const card = await client.getAgentCard();
    expect(client.protocolVersion).toBe("1.0");
    expect(card).toMatchObject({ name: "Route mixed", description: "HelixAgent route mixed", capabilities: { streaming: true } });
    expect(card.skills.map((s) => s.id)).toEqual(["mixed"]);
    expect(card.supportedInterfaces.map((i) => [i.url, i.protocolBinding, i.protocolVersion])).toEqual([
      [routeUrl(mixed), "JSONRPC", "1.0"],
      [routeUrl(mixed), "JSONRPC", "0.3"],
    ]);
    expect(card.securitySchemes.bearer?.scheme).toMatchObject({ $case: "httpAuthSecurityScheme", value: { scheme: "Bearer" } });
  });

  it("serves the v0.3 card without A2A-Version, at both well-known paths; unknown routes are 404", async () => {
    for (const file of ["agent-card.json", "agent.json"]) {
      const res = await fetch(`${routeUrl(a2aOnly)}/.well-known/${file}`);
      expect(res.status).toBe(200);
      const card = (await res.json()) as Record<string, unknown>;
      expect(card).toMatchObject({ name: "Route a2a-only", protocolVersion: "0.3", url: routeUrl(a2aOnly), preferredTransport: "JSONRPC", capabilities: { streaming: true } });
      expect(card.securitySchemes).toMatchObject({ bearer: { type: "http", scheme: "Bearer" } });
    }
    expect((await fetch(`${gateway.url}/a2a/${org.slug}/no-such-route/.well-known/agent-card.json`)).status).toBe(404);
    const missingSlash = await fetch(`${gateway.url}/a2a/${org.slug}/.well-known/agent-card.json`);
    expect(missingSlash.status).toBe(404);
    expect(((await missingSlash.json()) as { error: { message: string } }).error.message).toContain("trailing slash");
  });
});

describe("messages", () => {
  it("answers SendMessage with a completed task through a route mixing OpenAI and A2A agents", async () => {
    const client = await clientFor(mixed);
    const answeredBy = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const task = asTask(await client.sendMessage(message(ASK_SUMMARY), auth()));
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      const text = artifactText(task);
      expect(text.endsWith(SUMMARY), text).toBe(true);
      expect(task.history.map((m) => [m.role, partsText(m.parts)])).toEqual([
        [Role.ROLE_USER, ASK_SUMMARY],
        [Role.ROLE_AGENT, text],
      ]);
      answeredBy.add((task.metadata as { helix: { agent: string } }).helix.agent);
    }
    // Weighted 50/50 over 16 messages: both agents answer (fails with probability 2 × 0.5^16).
    expect(answeredBy).toEqual(new Set([atlas.slug, summarizer.slug]));
  });

  it("streams SendStreamingMessage: task, working, appended artifact chunks, completed", async () => {
    const client = await clientFor(mixed);
    for (let i = 0; i < 4; i++) {
      const events = await collect(client.sendMessageStream(message(ASK_SUMMARY), auth()));
      const kinds = events.map((e) => e.payload?.$case);
      expect(kinds.slice(0, 2)).toEqual(["task", "statusUpdate"]);
      const first = events[0]!.payload;
      expect(first?.$case === "task" && first.value.status?.state).toBe(TaskState.TASK_STATE_SUBMITTED);
      const chunks = events.flatMap((e) => (e.payload?.$case === "artifactUpdate" ? [e.payload.value] : []));
      expect(chunks.length).toBeGreaterThan(3);
      expect(chunks.map((c) => c.append)).toEqual(chunks.map((_, j) => j > 0));
      expect(finalState(events)).toBe(TaskState.TASK_STATE_COMPLETED);
      const text = streamedText(events);
      expect(text.endsWith(SUMMARY), text).toBe(true);
      const task = first?.$case === "task" ? first.value : null;
      const stored = await client.getTask({ tenant: "", id: task!.id, historyLength: undefined }, auth());
      expect(stored.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(artifactText(stored)).toBe(text);
    }
  });

  it("translates A2A to OpenAI for a route whose only agent speaks OpenAI", async () => {
    const client = await clientFor(openaiOnly);
    const task = asTask(await client.sendMessage(message("hello gateway"), auth()));
    expect(artifactText(task)).toBe("atlas-small: You said: hello gateway");
    const events = await collect(client.sendMessageStream(message("hello gateway"), auth()));
    expect(streamedText(events)).toBe("atlas-small: You said: hello gateway");
    expect(finalState(events)).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it("continues a conversation: a message with a known contextId brings its earlier turns", async () => {
    const client = await clientFor(a2aOnly);
    const first = asTask(await client.sendMessage(message("The board approved the budget."), auth()));
    expect(artifactText(first)).toBe("Summary: The board approved the budget. (5 words)");
    const second = asTask(await client.sendMessage(message("Hiring resumes in May.", first.contextId), auth()));
    expect(second.contextId).toBe(first.contextId);
    expect(second.id).not.toBe(first.id);
    // The summarizer got the conversation as a transcript: its first sentence is the first turn.
    expect(artifactText(second)).toMatch(/^Summary: user: The board approved the budget\. \(\d+ words\)$/);
    const fresh = asTask(await client.sendMessage(message("Hiring resumes in May."), auth()));
    expect(artifactText(fresh)).toBe("Summary: Hiring resumes in May. (4 words)");
  });

  it("speaks v0.3: message/send and tasks/get by raw JSON-RPC, message/stream through the SDK's v0.3 transport", async () => {
    const sent = await rpc(routeUrl(openaiOnly), call("message/send", legacyMessage("hello v0.3"), "a"));
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ jsonrpc: "2.0", id: "a", result: { kind: "task", status: { state: "completed" }, artifacts: [{ parts: [{ kind: "text", text: "atlas-small: You said: hello v0.3" }] }] } });
    const got = await rpc(routeUrl(openaiOnly), call("tasks/get", { id: sent.body.result!.id }));
    expect(got.body.result).toMatchObject({ kind: "task", id: sent.body.result!.id, status: { state: "completed" } });

    const card = await (await clientFor(a2aOnly)).getAgentCard();
    const legacy = new Client(new LegacyJsonRpcTransport({ endpoint: routeUrl(a2aOnly) }), card);
    expect(legacy.protocolVersion).toBe("0.3");
    const events = await collect(legacy.sendMessageStream(message(ASK_SUMMARY), auth()));
    expect(streamedText(events)).toBe(SUMMARY);
    expect(finalState(events)).toBe(TaskState.TASK_STATE_COMPLETED);
  });
});

describe("tasks", () => {
  it("GetTask returns a route's task with its history; another organization's or route's task is not found", async () => {
    const client = await clientFor(a2aOnly);
    const task = asTask(await client.sendMessage(message(ASK_SUMMARY), auth()));
    const got = await client.getTask({ tenant: "", id: task.id, historyLength: undefined }, auth());
    expect(got).toMatchObject({ id: task.id, contextId: task.contextId, status: { state: TaskState.TASK_STATE_COMPLETED } });
    expect(got.history).toHaveLength(2);
    expect(artifactText(got)).toBe(SUMMARY);
    const lastOnly = await rpc(routeUrl(a2aOnly), call("GetTask", { id: task.id, historyLength: 1 }));
    expect((lastOnly.body.result as { history: unknown[] }).history).toHaveLength(1);

    const theirs = await rpc(routeUrl(otherRoute, otherOrg.slug), call("GetTask", { id: task.id }), { secret: otherKey.secret });
    expect(theirs.body.error?.code).toBe(-32001);
    const otherRouteOfOurs = await rpc(routeUrl(mixed), call("GetTask", { id: task.id }));
    expect(otherRouteOfOurs.body.error?.code).toBe(-32001);
    await expect(client.getTask({ tenant: "", id: randomUUID(), historyLength: undefined }, auth())).rejects.toMatchObject({ name: "TaskNotFoundError" });
  });

  it("CancelTask stops a task in flight and answers it canceled; a finished task is not cancelable", async () => {
    fleet.configure("doc-summarizer", { ttftMs: 10_000 });
    try {
      const client = await clientFor(a2aOnly);
      const stream = client.sendMessageStream(message(ASK_SUMMARY), auth());
      const first = (await stream.next()).value as StreamResponse;
      if (first.payload?.$case !== "task") throw new Error("expected the task first");
      const taskId = first.payload.value.id;
      const canceled = await client.cancelTask({ tenant: "", id: taskId, metadata: undefined }, auth());
      expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      const rest = await collect(stream);
      expect(finalState(rest)).toBe(TaskState.TASK_STATE_CANCELED);
      expect((await client.getTask({ tenant: "", id: taskId, historyLength: undefined }, auth())).status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      const again = await rpc(routeUrl(a2aOnly), call("CancelTask", { id: taskId }));
      expect(again.body.error).toMatchObject({ code: -32002 });
      expect(again.body.error?.message).toContain("canceled");
    } finally {
      fleet.configure("doc-summarizer", { ttftMs: 0 });
    }
    const done = asTask(await (await clientFor(a2aOnly)).sendMessage(message(ASK_SUMMARY), auth()));
    const late = await rpc(routeUrl(a2aOnly), call("tasks/cancel", { id: done.id }));
    expect(late.body.error).toMatchObject({ code: -32002 });
  });

  it("answers at once with returnImmediately and finishes the task in the background", async () => {
    const params = { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "poll me" }] }, configuration: { returnImmediately: true } };
    const sent = await rpc(routeUrl(openaiOnly), call("SendMessage", params));
    const task = (sent.body.result as { task: { id: string; status: { state: string } } }).task;
    expect(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]).toContain(task.status.state);
    const client = await clientFor(openaiOnly);
    const got = await eventually(async () => {
      const t = await client.getTask({ tenant: "", id: task.id, historyLength: undefined }, auth());
      expect(t.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      return t;
    });
    expect(artifactText(got)).toBe("atlas-small: You said: poll me");
  });
});

describe("failures", () => {
  it("a failure before any text is a JSON-RPC error with the gateway's message (a single error event for streams); the task failed", async () => {
    fleet.configure("translator", { errorRate: 1 });
    try {
      const sent = await rpc(routeUrl(failing), call("SendMessage", { message: { messageId: "m1", role: "ROLE_USER", parts: [{ text: "translate: hello" }] } }));
      expect(sent.status).toBe(502);
      expect(sent.body.error?.code).toBe(-32603);
      expect(sent.body.error?.message).toContain("No agent of route failing could answer");

      const client = await clientFor(failing);
      const events: StreamResponse[] = [];
      const error = await (async () => {
        try {
          for await (const event of client.sendMessageStream(message("translate: hello"), auth())) events.push(event);
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      expect(events.map((e) => e.payload?.$case)).toEqual(["task", "statusUpdate"]);
      expect(error?.message).toContain("No agent of route failing could answer");
      expect(error?.message).toContain("-32603");
      const taskId = events[0]!.payload!.value as Task;
      const stored = await client.getTask({ tenant: "", id: taskId.id, historyLength: undefined }, auth());
      expect(stored.status?.state).toBe(TaskState.TASK_STATE_FAILED);
      expect(partsText(stored.status?.message?.parts ?? [])).toContain("could answer");
    } finally {
      fleet.configure("translator", { errorRate: 0 });
    }
  });

  it("a stream that breaks after text, with failover exhausted, ends with a failed status", async () => {
    const client = await clientFor(slow);
    const events: StreamResponse[] = [];
    let stopped = false;
    try {
      for await (const event of client.sendMessageStream(message(ASK_SUMMARY), auth())) {
        events.push(event);
        if (event.payload?.$case === "artifactUpdate" && !stopped) {
          stopped = true;
          await paced.stopAgent("paced-summarizer");
        }
      }
      expect(stopped).toBe(true);
      expect(streamedText(events).length).toBeGreaterThan(0);
      expect(SUMMARY.startsWith(streamedText(events))).toBe(true);
      expect(finalState(events)).toBe(TaskState.TASK_STATE_FAILED);
      const last = events.at(-1)!.payload!.value as { status: { message: Message } };
      expect(partsText(last.status.message.parts)).toContain("could answer");
    } finally {
      if (stopped) await paced.startAgent("paced-summarizer");
    }
  });
});

describe("access and bad requests", () => {
  it("needs a key of the route's organization: 401 without one, 404 for another organization's route, 403 outside the key's scopes", async () => {
    const send = call("SendMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "hi" }] } });
    const missing = await rpc(routeUrl(mixed), send, { secret: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("Bearer");
    expect(missing.body).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 } });
    expect((await rpc(routeUrl(mixed), send, { secret: `hx_00000000_${"A".repeat(43)}` })).status).toBe(401);
    await expect((await clientFor(mixed)).sendMessage(message("hi"))).rejects.toThrow(/API key/);

    const foreign = await rpc(routeUrl(mixed), send, { secret: otherKey.secret });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.message).toContain(`/a2a/${otherOrg.slug}/${otherRoute.slug}`);
    expect((await rpc(routeUrl(otherRoute, otherOrg.slug), send)).status).toBe(404);

    const scoped = await addKey(org, { routeIds: [a2aOnly.id] });
    // The new key reaches the snapshot within moments.
    await eventually(async () => expect((await rpc(routeUrl(mixed), send, { secret: scoped.secret })).status).toBe(403));
  });

  it("answers malformed requests with the JSON-RPC error codes and a helpful message", async () => {
    const url = routeUrl(mixed);
    const cases: [unknown, number, string][] = [
      ["{not json", -32700, "not valid JSON"],
      [[call("SendMessage", {})], -32600, "batches"],
      [{ jsonrpc: "2.0", id: 1 }, -32600, "method is required"],
      [{ jsonrpc: "1.0", id: 1, method: "SendMessage", params: {} }, -32600, "jsonrpc"],
      [call("tasks/teleport", {}), -32601, "SendMessage"],
      [call("SendMessage", {}), -32602, "params.message is required"],
      [call("SendMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [{ data: { a: 1 } }] } }), -32602, "no text"],
      [call("message/send", { message: { kind: "message", messageId: "m", role: "user", parts: [{ kind: "file", file: { uri: "https://example.com/a.png" } }] } }), -32602, "no text"],
      [call("ListTasks", {}), -32004, "GetTask"],
    ];
    for (const [body, code, text] of cases) {
      const res = await rpc(url, body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body.jsonrpc).toBe("2.0");
      expect(res.body.error?.code, JSON.stringify(body)).toBe(code);
      expect(res.body.error?.message, JSON.stringify(body)).toContain(text);
    }
    const streamWithoutText = await rpc(url, call("SendStreamingMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [] } }), { headers: { accept: "text/event-stream" } });
    expect(streamWithoutText.body.error?.code).toBe(-32602);

    const big = await rpc(url, call("SendMessage", { message: { messageId: "m", role: "ROLE_USER", parts: [{ text: "x".repeat(1_100_000) }] } }));
    expect(big.status).toBe(413);
    expect(big.body.error?.message).toContain("larger than");
    expect((await fetch(url, { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(405);
  });
});

describe("telemetry", () => {
  it("records one request row per message, none for GetTask and CancelTask", async () => {
    const before = await requestRows();
    const client = await clientFor(openaiOnly);
    const task = asTask(await client.sendMessage(message("count me"), auth()));
    await collect(client.sendMessageStream(message("count me too"), auth()));
    await client.getTask({ tenant: "", id: task.id, historyLength: undefined }, auth());
    await rpc(routeUrl(openaiOnly), call("CancelTask", { id: task.id }));
    await rpc(routeUrl(openaiOnly), "{bad");
    expect((await requestRows()) - before).toBe(3);
    const rows = await db().$queryRaw<{ status: number; stream: boolean; error_class: string | null; route_id: string }[]>`
      SELECT status, stream, error_class, route_id FROM telemetry.gateway_events
      WHERE org_id = ${org.id} AND kind = 'request' AND protocol = 'a2a' ORDER BY at DESC LIMIT 3`;
    expect(rows.map((r) => [r.status, r.error_class, r.route_id]).sort()).toEqual(
      [
        [200, null, openaiOnly.id],
        [200, null, openaiOnly.id],
        [200, "client_error", openaiOnly.id],
      ].sort(),
    );
  });
});

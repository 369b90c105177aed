/**
 * Property-based tests of a running gateway (fast-check, fixed seeds): random bodies, headers,
 * paths and methods at every endpoint, agents that answer garbage or never stop, and slow clients.
 * Whatever a client sends to a route whose agent is healthy, the gateway answers a 4xx in the
 * endpoint's error shape (never a 5xx: with a healthy agent no 502/503/504 can be earned), keeps
 * serving, and logs no unexpected error. Whatever a broken agent sends, the client gets a bounded,
 * well-formed answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Readable } from "node:stream";
import fc from "fast-check";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import type { Fleet } from "@/fleet";
import { specOf, startTestFleet } from "@/fleet/testing";
import { rand, type TestOrg } from "@/server/test/fixtures";
import type { Gateway } from "./server";
import { addFleetAgent, addKey, addRoute, newTestOrg, startTestGateway } from "./testing";

const MAX_BODY_BYTES = 1024 * 1024; // the gateway's default limit
/** Slow clients: how much later than the server's configured timeout the connection may close. */
const SLOW_CLIENT_TOLERANCE_MS = 2_000;
/** Routes over the junk agent: short, so that an agent that never stops costs little time. */
const JUNK_ROUTE = { timeoutMs: 300, deadlineMs: 1_000, maxRetries: 1 };

let fleet: Fleet;
let gateway: Gateway;
let org: TestOrg;
let key: { id: string; secret: string };
let chat: { id: string; alias: string; slug: string };
let junkChat: { id: string; alias: string; slug: string };
let junk: Server;
let dispatcher: Agent;
const gatewayLog: string[] = [];

// ---------------------------------------------------------------------------------------------
// A misbehaving OpenAI agent: answers whatever the current script says.

interface JunkScript {
  status: number;
  contentType: string | null;
  pieces: (string | Uint8Array)[];
  /** After the pieces: end the response, hang, drop the connection, or repeat the pieces forever. */
  ending: "end" | "hang" | "destroy" | "forever";
}

let script: JunkScript = { status: 200, contentType: "application/json", pieces: ["{}"], ending: "end" };

function playScript(req: IncomingMessage, res: ServerResponse) {
  req.resume();
  req.on("end", () => {
    const s = script;
    res.writeHead(s.status, s.contentType ? { "content-type": s.contentType } : {});
    res.flushHeaders();
    for (const piece of s.pieces) res.write(piece);
    if (s.ending === "end") return void res.end();
    if (s.ending === "destroy") return void res.destroy();
    if (s.ending === "hang") return;
    let i = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(s.pieces.length ? s.pieces[i++ % s.pieces.length]! : ": still here\n\n");
    }, 10);
    res.once("close", () => clearInterval(timer));
  });
}

// ---------------------------------------------------------------------------------------------
// Slow clients, opened as soon as the gateway listens: they run while the properties do.

interface SlowClient {
  openedAt: number;
  /** Milliseconds from opening to the gateway closing the connection. */
  closed: Promise<number>;
  received: () => string;
  destroy: () => void;
}

function slowClient(port: number, first: string, trickle: (n: number) => string): SlowClient {
  const socket = connect(port, "127.0.0.1");
  const openedAt = Date.now();
  let received = "";
  let n = 0;
  socket.setEncoding("utf8");
  socket.on("data", (text: string) => (received += text));
  socket.on("error", () => {});
  socket.write(first);
  const timer = setInterval(() => socket.write(trickle(n++)), 1_000);
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => {
      clearInterval(timer);
      resolve(Date.now() - openedAt);
    }),
  );
  return { openedAt, closed, received: () => received, destroy: () => socket.destroy() };
}

let slowHeaders: SlowClient;

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  fleet = await startTestFleet([specOf("atlas-chat")]);
  junk = createServer(playScript);
  await new Promise<void>((resolve) => junk.listen(0, "127.0.0.1", resolve));
  const junkUrl = `http://127.0.0.1:${(junk.address() as AddressInfo).port}/v1`;

  org = await newTestOrg();
  const atlas = await addFleetAgent(org, fleet, "atlas-chat");
  chat = await addRoute(org, { alias: "fuzz-chat", targets: [{ agentId: atlas.id, model: "atlas-small" }] });
  const junkAgent = await db().agent.create({
    data: { orgId: org.id, name: "Junk", slug: `junk-${rand(3)}`, protocol: "OPENAI", sourceUrl: junkUrl, endpointUrl: junkUrl, status: "ACTIVE" },
    select: { id: true },
  });
  // The breaker never trips here, so every request meets the junk itself.
  junkChat = await addRoute(org, { alias: "junk-chat", targets: [{ agentId: junkAgent.id, model: "junk" }], ...JUNK_ROUTE, retryBudgetPercent: 100, breakerFailureThreshold: 1_000_000 });
  key = await addKey(org);

  gateway = await startTestGateway({ log: (m) => gatewayLog.push(m) });
  dispatcher = new Agent({ connections: 4 });

  // Headers one line a second, never finished. (A body that never finishes is cut by the 30 s
  // request timeout instead: too long to wait for here.)
  slowHeaders = slowClient(gateway.port, "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n", (n) => `X-Slow-${n}: 1\r\n`);
}, 60_000);

afterAll(async () => {
  slowHeaders?.destroy();
  await dispatcher?.close();
  await gateway?.close();
  junk?.closeAllConnections();
  await new Promise((resolve) => junk?.close(resolve));
  await fleet?.stop();
});

// ---------------------------------------------------------------------------------------------
// Sending and checking

interface Answer {
  status: number;
  contentType: string;
  text: string;
  ms: number;
}

async function send(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Uint8Array | Readable }): Promise<Answer> {
  const startedAt = performance.now();
  const res = await request(`${gateway.url}${opts.path}`, {
    method: (opts.method ?? "GET") as "GET",
    headers: opts.headers,
    body: opts.body,
    dispatcher,
  });
  const text = await res.body.text();
  const type = res.headers["content-type"];
  return { status: res.statusCode, contentType: (Array.isArray(type) ? type[0] : type) ?? "", text, ms: performance.now() - startedAt };
}

const auth = () => ({ authorization: `Bearer ${key.secret}` });
const describeAnswer = (a: Answer) => `${a.status} ${a.contentType} ${a.text.slice(0, 300)}`;

function parseJson(a: Answer): Record<string, unknown> {
  expect(a.contentType, describeAnswer(a)).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(a.text);
  expect(typeof body === "object" && body !== null && !Array.isArray(body), describeAnswer(a)).toBe(true);
  return body as Record<string, unknown>;
}

function isOpenAiError(body: Record<string, unknown>): boolean {
  const e = body.error as Record<string, unknown> | undefined;
  return typeof e === "object" && e !== null && typeof e.message === "string" && e.message.length > 0 && typeof e.type === "string" && (e.code === null || typeof e.code === "string");
}

function isRpcError(body: Record<string, unknown>): boolean {
  const e = body.error as Record<string, unknown> | undefined;
  return body.jsonrpc === "2.0" && typeof e === "object" && e !== null && Number.isInteger(e.code) && typeof e.message === "string" && e.message.length > 0;
}

function expectOpenAiError(a: Answer) {
  expect(isOpenAiError(parseJson(a)), describeAnswer(a)).toBe(true);
}

/** The data of every event of an SSE body that ended properly. */
function sseData(a: Answer): string[] {
  expect(a.text, describeAnswer(a)).toMatch(/\n\n$/);
  return a.text
    .split("\n\n")
    .filter((event) => event.trim())
    .map((event) =>
      event
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n"),
    );
}

/** A chat completions answer: a completion, a clean stream, or an OpenAI-shaped 4xx. */
function expectChatAnswer(a: Answer) {
  expect(a.status, describeAnswer(a)).toBeLessThan(500);
  if (a.status !== 200) {
    expectOpenAiError(a);
    return;
  }
  if (a.contentType.startsWith("text/event-stream")) {
    const events = sseData(a);
    expect(events.at(-1)).toBe("[DONE]");
    for (const data of events.slice(0, -1)) {
      const chunk = JSON.parse(data) as Record<string, unknown>;
      expect(chunk.error, describeAnswer(a)).toBeUndefined();
      expect(chunk.object).toBe("chat.completion.chunk");
    }
    return;
  }
  const body = parseJson(a);
  expect(body.object, describeAnswer(a)).toBe("chat.completion");
  expect(typeof (body.choices as { message: { content: unknown } }[])[0]?.message.content).toBe("string");
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const json = fc.jsonValue({ maxDepth: 3 });
/** Values that are the wrong type (or the wrong size) for some field. */
const oddValue = fc.oneof(
  json,
  fc.constantFrom(null, true, false, 0, -1, 0.5, 1e308, -1e308, "", " ", [], {}, [[]], { role: "user" }, "x".repeat(5_000), 2 ** 53, "__proto__"),
);
const printable = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const message = fc.record(
  {
    role: fc.constantFrom("system", "developer", "user", "assistant", "tool", "function"),
    content: fc.oneof(fc.string({ maxLength: 80, unit: "grapheme" }), fc.array(fc.record({ type: fc.constantFrom("text", "image_url"), text: fc.string() }), { maxLength: 3 }), fc.constant(null)),
    name: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ["role"] },
);

/** Bodies the gateway should accept, with every optional field in play. */
const goodBody = fc.record(
  {
    model: fc.constant("fuzz-chat"),
    messages: fc.array(message, { minLength: 1, maxLength: 4 }),
    stream: fc.oneof(fc.boolean(), fc.constant(null)),
    stream_options: fc.record({ include_usage: fc.boolean() }),
    max_tokens: fc.integer({ min: 1, max: 1_000_000 }),
    max_completion_tokens: fc.integer({ min: 1, max: 100 }),
    user: fc.string({ maxLength: 256 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    metadata: json,
  },
  { requiredKeys: ["model", "messages"] },
);

const FIELDS = ["model", "messages", "messages.0", "messages.0.role", "messages.0.content", "messages.0.content.0", "messages.0.name", "stream", "stream_options", "stream_options.include_usage", "max_tokens", "max_completion_tokens", "user", "temperature", "tools", "__proto__"];

function withValueAt(base: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = path.split(".");
  let node: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  Object.defineProperty(node, keys.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const BASE = { model: "fuzz-chat", messages: [{ role: "user", content: [{ type: "text", text: "hi" }], name: "n" }], stream: false, stream_options: { include_usage: true } };

/** One field of a good body replaced by a value of the wrong type. */
const wrongTypeBody = fc.tuple(fc.constantFrom(...FIELDS), oddValue).map(([path, value]) => JSON.stringify(withValueAt(BASE, path, value)));

/** Text that looks like JSON and is not quite. */
const jsonIsh = fc.oneof(
  fc.tuple(fc.json(), fc.nat(), fc.string({ maxLength: 3 })).map(([text, at, junk]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + junk + text.slice(i + 1);
  }),
  fc.tuple(goodBody, fc.nat()).map(([body, cut]) => {
    const text = JSON.stringify(body);
    return text.slice(0, cut % text.length);
  }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("", " ", "null", "[]", "{}", '{"model":', "\u0000", "\ufeff{}", '{"model":"fuzz-chat","messages":[{"role":"user","content":"\\ud800"}]}'),
);

const chatBody = fc.oneof(
  { weight: 3, arbitrary: goodBody.map((b) => JSON.stringify(b)) },
  { weight: 4, arbitrary: wrongTypeBody },
  { weight: 2, arbitrary: json.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: jsonIsh },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_048 }) },
);

const contentType = fc.constantFrom<string | undefined>("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined);

const extraHeaders = fc.record(
  {
    "x-helix-debug": fc.constantFrom("1", "0", "yes"),
    "x-helix-subject": printable(300),
    traceparent: fc.oneof(printable(60), fc.constant("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), fc.constant("00-00000000000000000000000000000000-0000000000000000-00")),
    "x-custom": printable(100),
  },
  { requiredKeys: [] },
);

// ---------------------------------------------------------------------------------------------

describe("POST /v1/chat/completions with anything", () => {
  it("answers a completion, a clean stream or an OpenAI-shaped 4xx, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(chatBody, contentType, extraHeaders, async (body, type, headers) => {
        const answer = await send({ method: "POST", path: "/v1/chat/completions", headers: { ...auth(), ...headers, ...(type ? { "content-type": type } : {}) }, body });
        expectChatAnswer(answer);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  }, 60_000);

  it("takes bodies up to the limit and refuses larger ones with 413, whether announced or chunked", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -2_048, max: 2_048 }), fc.boolean(), fc.boolean(), async (offset, valid, chunked) => {
        const size = MAX_BODY_BYTES + offset;
        const prefix = `{"model":"fuzz-chat","messages":[{"role":"user","content":"`;
        const suffix = valid ? `"}]}` : `"}]`;
        const text = prefix + "word ".repeat(size).slice(0, size - prefix.length - suffix.length) + suffix;
        expect(Buffer.byteLength(text)).toBe(size);
        const body = chunked ? Readable.from([text.slice(0, size / 2), text.slice(size / 2)]) : text;
        const answer = await send({ method: "POST", path: "/v1/chat/completions", headers: { ...auth(), "content-type": "application/json" }, body });
        expectChatAnswer(answer);
        if (size > MAX_BODY_BYTES) expect(answer.status, describeAnswer(answer)).toBe(413);
        else if (!valid) expect(answer.status).toBe(400);
        // A body just under the limit is forwarded; the agent may find the result too large (a 4xx).
        else expect([200, 400]).toContain(answer.status);
      }),
      // Both sides of the limit, whatever the generator draws.
      { seed: 7, numRuns: 16, examples: [[0, true, false], [0, true, true], [1, true, false], [1, true, true], [-1, false, true], [2_048, false, false]] },
    );
  }, 60_000);
});

describe("GET /v1/models with any credentials and headers", () => {
  it("lists the key's models or answers an OpenAI-shaped 401", async () => {
    const authorization = fc.oneof(
      fc.constant(`Bearer ${key.secret}`),
      fc.constant(key.secret),
      fc.constant(`bearer   ${key.secret}  `),
      printable(80),
      printable(60).map((s) => `Bearer ${s}`),
      printable(40).map((s) => `Bearer hx_${s}`),
      fc.constant(`Bearer ${key.secret.slice(0, -1)}x`),
      fc.constant("Bearer helix_console.e30.x"),
    );
    const headers = fc.record(
      {
        authorization,
        "x-api-key": fc.oneof(fc.constant(key.secret), printable(50)),
        "x-random": printable(2_000),
        accept: fc.constantFrom("application/json", "*/*", "text/html"),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(headers, printable(50), async (h, query) => {
        const answer = await send({ path: `/v1/models?${encodeURIComponent(query)}`, headers: h });
        expect([200, 401], describeAnswer(answer)).toContain(answer.status);
        const body = parseJson(answer);
        if (answer.status === 401) {
          expect(isOpenAiError(body), describeAnswer(answer)).toBe(true);
        } else {
          expect(body.object).toBe("list");
          expect((body.data as { id: string }[]).map((m) => m.id)).toEqual([chat.alias, junkChat.alias].sort());
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  }, 60_000);
});

describe("A2A JSON-RPC with anything", () => {
  const METHODS = ["SendMessage", "SendStreamingMessage", "GetTask", "CancelTask", "message/send", "message/stream", "tasks/get", "tasks/cancel", "ListTasks", "SubscribeToTask", "tasks/resubscribe", "GetExtendedAgentCard", "agent/getAuthenticatedExtendedCard", "CreateTaskPushNotificationConfig", "tasks/pushNotificationConfig/set", "tasks/pushNotificationConfig/get"];
  const text = fc.string({ minLength: 1, maxLength: 60, unit: "grapheme" });

  /** Requests a route should answer (v1.0 and v0.3 shapes), before any mutation. */
  const goodRequest = fc.oneof(
    fc.record({
      jsonrpc: fc.constant("2.0"),
      id: fc.oneof(fc.nat(), fc.uuid(), fc.constant(null)),
      method: fc.constantFrom("SendMessage", "SendStreamingMessage"),
      params: fc.record(
        {
          message: fc.record(
            { messageId: fc.uuid(), role: fc.constant("ROLE_USER"), parts: fc.array(fc.oneof(fc.record({ text }), fc.record({ data: json })), { minLength: 1, maxLength: 3 }), contextId: fc.uuid() },
            { requiredKeys: ["messageId", "role", "parts"] },
          ),
          configuration: fc.record({ historyLength: fc.integer({ min: -1, max: 5 }), returnImmediately: fc.boolean(), acceptedOutputModes: fc.constant(["text/plain"]) }, { requiredKeys: [] }),
        },
        { requiredKeys: ["message"] },
      ),
    }),
    fc.record({
      jsonrpc: fc.constant("2.0"),
      id: fc.oneof(fc.nat(), fc.uuid()),
      method: fc.constantFrom("message/send", "message/stream"),
      params: fc.record(
        {
          message: fc.record(
            { kind: fc.constant("message"), messageId: fc.uuid(), role: fc.constant("user"), parts: fc.array(fc.record({ kind: fc.constant("text"), text }), { minLength: 1, maxLength: 3 }), contextId: fc.uuid() },
            { requiredKeys: ["kind", "messageId", "role", "parts"] },
          ),
          configuration: fc.record({ blocking: fc.boolean(), historyLength: fc.integer({ min: 0, max: 5 }), acceptedOutputModes: fc.constant(["text/plain"]) }, { requiredKeys: [] }),
        },
        { requiredKeys: ["message"] },
      ),
    }),
    fc.record({
      jsonrpc: fc.constant("2.0"),
      id: fc.nat(),
      method: fc.constantFrom(...METHODS),
      params: fc.record({ id: fc.oneof(fc.uuid(), fc.string()), name: fc.string(), historyLength: fc.nat(5) }, { requiredKeys: [] }),
    }),
  );
  const PATHS = ["jsonrpc", "id", "method", "params", "params.message", "params.message.messageId", "params.message.role", "params.message.parts", "params.message.parts.0", "params.message.parts.0.text", "params.message.parts.0.kind", "params.message.kind", "params.message.contextId", "params.message.taskId", "params.message.metadata", "params.configuration", "params.configuration.historyLength", "params.configuration.blocking", "params.configuration.returnImmediately", "params.id", "params.metadata"];
  /** A good request with one member replaced by a value of the wrong type. */
  const mutated = fc.tuple(goodRequest, fc.constantFrom(...PATHS), oddValue).map(([body, path, value]) => JSON.stringify(withValueAt(body, path, value)));
  const rpcBody = fc.oneof(
    { weight: 3, arbitrary: goodRequest.map((b) => JSON.stringify(b)) },
    { weight: 5, arbitrary: mutated },
    { weight: 1, arbitrary: fc.array(goodRequest, { maxLength: 2 }).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: json.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: jsonIsh },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  );
  const rpcHeaders = fc.record(
    {
      // "key" stands for the organization's key (not known yet when the arbitraries are built).
      authorization: fc.oneof({ weight: 12, arbitrary: fc.constant("key") }, { weight: 1, arbitrary: printable(40) }),
      "a2a-version": fc.constantFrom("1.0", "0.3", "2", ""),
      accept: fc.constantFrom("application/json", "text/event-stream", "*/*"),
      "content-type": fc.constantFrom("application/json", "text/plain"),
    },
    { requiredKeys: ["authorization"] },
  );

  it("answers a JSON-RPC result, a clean stream or a JSON-RPC error, never a 5xx", async () => {
    const path = `/a2a/${org.slug}/${chat.slug}`;
    await fc.assert(
      fc.asyncProperty(rpcBody, rpcHeaders, async (body, h) => {
        const headers = { ...h, ...(h.authorization === "key" ? auth() : {}) };
        const answer = await send({ method: "POST", path, headers, body });
        expect(answer.status, describeAnswer(answer)).toBeLessThan(500);
        if (answer.contentType.startsWith("text/event-stream")) {
          expect(answer.status).toBe(200);
          const events = sseData(answer);
          expect(events.length).toBeGreaterThan(0);
          for (const data of events) {
            const event = JSON.parse(data) as Record<string, unknown>;
            expect(event.jsonrpc, describeAnswer(answer)).toBe("2.0");
            expect("result" in event || isRpcError(event), describeAnswer(answer)).toBe(true);
          }
          return;
        }
        const rpc = parseJson(answer);
        if (answer.status === 200 && "result" in rpc) {
          expect(rpc.jsonrpc).toBe("2.0");
        } else {
          expect(isRpcError(rpc), describeAnswer(answer)).toBe(true);
          expect("id" in rpc, describeAnswer(answer)).toBe(true);
        }
      }),
      { seed: 1234, numRuns: 250 },
    );
  }, 60_000);
});

describe("any URL with any method", () => {
  const segment = fc.oneof(
    fc.constantFrom("v1", "chat", "completions", "models", "a2a", "fuzz-chat", ".well-known", "agent-card.json", "agent.json", "healthz", "readyz", "..", ".", "%2e%2e", "%00", "%ff", "%", "", "chat%2Fcompletions"),
    fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,24}$/),
  );
  const path = fc.oneof(
    { weight: 12, arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join("/")}`) },
    { weight: 3, arbitrary: fc.array(segment, { maxLength: 3 }).map((s) => `/a2a/${s.join("/")}`) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom("", "/", "/.well-known/agent-card.json", "/.well-known/x"), printable(10)).map(([tail, q]) => `/a2a/ORG/fuzz-chat${tail}?${encodeURIComponent(q)}`) },
    { weight: 1, arbitrary: fc.constantFrom("/v1/chat/completions", "/v1/models", "/chat/completions", "/models", "/healthz", "/readyz", "/metrics", `/${"a".repeat(40_000)}`) },
  );
  const method = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");

  it("answers a 4xx error in the endpoint's shape for what does not exist, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(method, path, fc.option(chatBody, { nil: undefined }), fc.boolean(), async (m, rawPath, body, withKey) => {
        const p = rawPath.replace("/ORG/", `/${org.slug}/`);
        const sendsBody = m !== "GET" && m !== "HEAD" && body !== undefined;
        const answer = await send({ method: m, path: p, headers: { ...(withKey ? auth() : {}), "content-type": "application/json" }, body: sendsBody ? body : undefined });
        expect(answer.status, `${m} ${p.slice(0, 200)}: ${describeAnswer(answer)}`).toBeLessThan(500);
        if (m === "HEAD" || answer.status < 400) return;
        const parsed = parseJson(answer);
        // The JSON-RPC endpoint of a route answers JSON-RPC errors; every other URL, OpenAI's.
        const shaped = p.startsWith("/a2a/") ? isRpcError(parsed) || isOpenAiError(parsed) : isOpenAiError(parsed);
        expect(shaped, `${m} ${p.slice(0, 200)}: ${describeAnswer(answer)}`).toBe(true);
      }),
      { seed: 99, numRuns: 250 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

describe("agents that answer garbage or never stop", () => {
  const BOUND_MS = JUNK_ROUTE.deadlineMs + 1_000;

  const junkRequest = (stream: boolean) =>
    send({ method: "POST", path: "/v1/chat/completions", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ model: junkChat.alias, messages: [{ role: "user", content: "hi" }], stream }) });

  const expectError = (a: Answer, status: number, code: string) => {
    expect(a.status, describeAnswer(a)).toBe(status);
    const body = parseJson(a);
    expect(isOpenAiError(body), describeAnswer(a)).toBe(true);
    expect((body.error as { code: string }).code).toBe(code);
    expect(a.ms).toBeLessThan(BOUND_MS);
  };

  it("garbage JSON: 502", async () => {
    script = { status: 200, contentType: "application/json", pieces: ['{"choices": [', Buffer.from([0xff, 0x00, 0x7b])], ending: "end" };
    expectError(await junkRequest(false), 502, "upstream_error");
    expectError(await junkRequest(true), 502, "upstream_error");
  });

  it("an endless SSE stream of junk: 502 for a stream, 504 when the answer never completes", async () => {
    script = { status: 200, contentType: "text/event-stream", pieces: ["data: \u0007junk{{\n\n", "data: ]]\n\n"], ending: "forever" };
    expectError(await junkRequest(true), 502, "upstream_error");
    // Asked for JSON, the agent streams without end: no complete answer within the attempt timeout.
    expectError(await junkRequest(false), 504, "upstream_timeout");
  });

  it("an endless SSE stream without a token: 504 after the per-attempt timeouts", async () => {
    script = { status: 200, contentType: "text/event-stream", pieces: [": keep-alive\n\n", 'data: {"choices":[]}\n\n'], ending: "forever" };
    expectError(await junkRequest(true), 504, "upstream_timeout");
  });

  it("an endless stream of tokens: the client's stream ends at the route's deadline with an error event", async () => {
    script = { status: 200, contentType: "text/event-stream", pieces: ['data: {"choices":[{"index":0,"delta":{"content":"la "}}]}\n\n'], ending: "forever" };
    const answer = await junkRequest(true);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(BOUND_MS);
    const events = sseData(answer);
    expect(events.at(-1)).toBe("[DONE]");
    const last = JSON.parse(events.at(-2)!) as Record<string, unknown>;
    expect(isOpenAiError(last), describeAnswer(answer)).toBe(true);
  });

  it("whatever junk the agent sends, the client gets a bounded, well-formed answer", async () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc.string({ maxLength: 80 }).map((s) => `data: ${s}\n\n`),
      json.map((v) => `data: ${JSON.stringify(v)}\n\n`),
      fc.constantFrom(": ping\n\n", "data: [DONE]\n\n", "event: error\ndata: {}\n\n", 'data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n', 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n', '{"choices":[{"message":{"content":"ok"}}]}', '{"error":{"message":"no"}}'),
    );
    const junkScript = fc.record({
      status: fc.constantFrom(200, 200, 200, 201, 302, 404, 429, 500),
      contentType: fc.constantFrom("application/json", "text/event-stream", "text/plain", null),
      pieces: fc.array(piece, { maxLength: 6 }),
      ending: fc.constantFrom("end", "hang", "destroy", "forever"),
    }) as fc.Arbitrary<JunkScript>;
    await fc.assert(
      fc.asyncProperty(junkScript, fc.boolean(), async (s, stream) => {
        script = s;
        const answer = await junkRequest(stream);
        expect(answer.ms, describeAnswer(answer)).toBeLessThan(BOUND_MS);
        expect([200, 400, 502, 503, 504], describeAnswer(answer)).toContain(answer.status);
        if (answer.status !== 200) expectOpenAiError(answer);
        else if (!answer.contentType.startsWith("text/event-stream")) expect(parseJson(answer).object).toBe("chat.completion");
        // A stream that started ends properly, with an error event if no agent could finish it.
        else expect(sseData(answer).at(-1), describeAnswer(answer)).toBe("[DONE]");
      }),
      { seed: 5, numRuns: 24 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

describe("after all that", () => {
  it("is alive, serves a well-formed request, and logged no unexpected error", async () => {
    expect((await send({ path: "/healthz" })).status).toBe(200);
    const answer = await send({ method: "POST", path: "/v1/chat/completions", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ model: chat.alias, messages: [{ role: "user", content: "still there?" }] }) });
    expect(answer.status).toBe(200);
    expect((parseJson(answer).choices as { message: { content: string } }[])[0]?.message.content).toBe("atlas-small: You said: still there?");
    expect(gatewayLog.filter((line) => line.startsWith("unexpected error"))).toEqual([]);
  });

  it("cut off the client that sends its headers slowly within the server's header timeout", async () => {
    const boundMs = gateway.server.headersTimeout + SLOW_CLIENT_TOLERANCE_MS;
    const closedIn = await Promise.race([
      slowHeaders.closed,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, slowHeaders.openedAt + boundMs - Date.now()))),
    ]);
    expect(closedIn, `still open ${boundMs} ms after it connected (headers timeout ${gateway.server.headersTimeout} ms)`).not.toBeNull();
    expect(slowHeaders.received()).toMatch(/^HTTP\/1\.1 408 /);
    // The gateway still serves everyone else.
    expect((await send({ path: "/healthz" })).status).toBe(200);
  }, 30_000);
});

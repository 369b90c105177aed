/**
 * The adapters against an upstream that misbehaves on purpose (a real loopback server): garbage,
 * oversize bodies, endless streams, silence, dropped sockets. Every failure must be a bounded,
 * classified UpstreamError, and finished answers must leave their connection reusable.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UpstreamError } from "../types";
import { callOptions, failureOf, snapshotAgent, streamed, TRACEPARENT } from "./fixtures";
import { callA2a, callOpenAi, closeUpstreams, MAX_UPSTREAM_BYTES } from "./index";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

let server: Server;
let origin: string;
let handler: Handler;
let seen: Seen[];
let connections: number;
let responsesClosed: Promise<void>[];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      responsesClosed.push(once(res, "close").then(() => undefined));
      void Promise.resolve(handler(req, res, body)).catch(() => res.destroy());
    });
  });
  server.on("connection", () => connections++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await closeUpstreams({ force: true });
  server.closeAllConnections();
  server.close();
});

beforeEach(async () => {
  // Each test starts with no pooled connection, so connection counts are per test.
  await closeUpstreams();
  seen = [];
  connections = 0;
  responsesClosed = [];
});

const openAi = (fields = {}) => snapshotAgent({ protocol: "OPENAI", name: "Hostile", endpointUrl: `${origin}/v1`, models: ["m"], ...fields });
const a2a = (protocolVersion: string) => snapshotAgent({ protocol: "A2A", name: "Hostile", endpointUrl: `${origin}/a2a/jsonrpc`, protocolVersion });

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sse(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
}

/** Writes `piece` until the client goes away, honouring backpressure. */
async function endless(res: ServerResponse, piece: string): Promise<void> {
  const closed = once(res, "close");
  while (!res.destroyed) {
    if (!res.write(piece)) await Promise.race([new Promise((resolve) => res.once("drain", resolve)), closed]);
  }
}

const chunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

describe("what the adapters put on the wire", () => {
  it("OpenAI: body, credential, trace context; our fields win over extra", async () => {
    handler = (_req, res) => json(res, 200, { id: "c1", choices: [{ message: { content: "ok" }, finish_reason: "stop" }] });
    const agent = openAi({ credential: { header: "x-api-key", value: "k-123" } });
    const opts = callOptions(agent, [{ role: "system", content: "Be brief." }, { role: "user", content: "hi", name: "ana" }]);
    await callOpenAi({
      ...opts,
      request: { ...opts.request, maxTokens: 7, user: "subject-1", extra: { temperature: 0.2, stream: "no", model: "other" } },
    });
    const [sent] = seen;
    expect(sent).toMatchObject({ method: "POST", url: "/v1/chat/completions" });
    expect(sent?.headers).toMatchObject({ "content-type": "application/json", "x-api-key": "k-123", traceparent: TRACEPARENT });
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      temperature: 0.2,
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi", name: "ana" },
      ],
      stream: false,
      max_tokens: 7,
      user: "subject-1",
    });

    handler = (_req, res) => {
      sse(res);
      res.end(`${chunk("ok", "stop")}data: [DONE]\n\n`);
    };
    await streamed(callOpenAi, callOptions(agent, "hi"));
    expect(JSON.parse(seen[1]?.body ?? "")).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(seen[1]?.headers.accept).toBe("text/event-stream");
  });

  it("A2A v1.0 and v0.3 message shapes and methods", async () => {
    handler = (_req, res, body) =>
      json(res, 200, { jsonrpc: "2.0", id: (JSON.parse(body) as { id: number }).id, result: { message: { role: "ROLE_AGENT", parts: [{ text: "ok" }] } } });
    await callA2a(callOptions(a2a("1.0"), "hello"));
    handler = (_req, res, body) =>
      json(res, 200, { jsonrpc: "2.0", id: (JSON.parse(body) as { id: number }).id, result: { kind: "message", role: "agent", parts: [{ kind: "text", text: "ok" }] } });
    await callA2a(callOptions(a2a("0.3"), "hello"));
    const [v1, v03] = seen.map((s) => ({ headers: s.headers, body: JSON.parse(s.body) as Record<string, unknown> }));
    expect(v1?.headers["a2a-version"]).toBe("1.0");
    expect(v1?.body).toMatchObject({
      jsonrpc: "2.0",
      method: "SendMessage",
      params: { message: { role: "ROLE_USER", parts: [{ text: "hello" }], messageId: expect.any(String) } },
    });
    expect(v03?.headers["a2a-version"]).toBeUndefined();
    expect(v03?.body).toMatchObject({
      method: "message/send",
      params: { message: { kind: "message", role: "user", parts: [{ kind: "text", text: "hello" }], messageId: expect.any(String) } },
    });
  });
});

describe("garbage and oversize answers", () => {
  it("non-JSON and wrong-shaped JSON → protocol, retryable", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{not json");
    };
    expect(await failureOf(callOpenAi(callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "protocol", retryable: true, status: 200 });
    expect(await failureOf(callA2a(callOptions(a2a("1.0"), "hi")))).toMatchObject({ errorClass: "protocol", retryable: true });

    handler = (_req, res) => json(res, 200, { hello: "world" });
    expect(await failureOf(callOpenAi(callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "protocol" });
    expect(await failureOf(callA2a(callOptions(a2a("0.3"), "hi")))).toMatchObject({ errorClass: "protocol" });
    handler = (_req, res) => json(res, 200, { jsonrpc: "2.0", id: 1, result: { something: "else" } });
    expect(await failureOf(callA2a(callOptions(a2a("1.0"), "hi")))).toMatchObject({ errorClass: "protocol" });
  });

  it("a 10 MiB body, announced or chunked, → protocol without reading it all", async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": big.length });
      res.end(big);
    };
    expect(await failureOf(callOpenAi(callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "protocol" });
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      void endless(res, big.subarray(0, 64 * 1024).toString());
    };
    const error = await failureOf(callA2a(callOptions(a2a("1.0"), "hi")));
    expect(error).toMatchObject({ errorClass: "protocol", retryable: true });
    expect(error.message).toContain(String(MAX_UPSTREAM_BYTES));
    await Promise.all(responsesClosed);
  });

  it("an error status with a huge body still gives the status class and a short message", async () => {
    handler = (_req, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      void endless(res, "overloaded ".repeat(1000));
    };
    const error = await failureOf(callOpenAi(callOptions(openAi(), "hi")));
    expect(error).toMatchObject({ errorClass: "http_5xx", status: 503, retryable: true });
    expect(error.message.length).toBeLessThan(400);
    handler = (_req, res) => json(res, 429, { error: { message: "slow down" } });
    expect(await failureOf(callOpenAi(callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "http_429", retryable: true });
    await Promise.all(responsesClosed);
  });

  it("invalid HTTP → protocol; a socket dropped before the answer → connect", async () => {
    const tcp: TcpServer = createTcpServer((socket) => socket.end("NOT HTTP AT ALL\r\n\r\n"));
    tcp.listen(0, "127.0.0.1");
    await once(tcp, "listening");
    try {
      const agent = openAi({ endpointUrl: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/v1` });
      expect(await failureOf(callOpenAi(callOptions(agent, "hi")))).toMatchObject({ errorClass: "protocol", retryable: true });
    } finally {
      tcp.close();
    }
    handler = (_req, res) => {
      res.socket?.destroy();
    };
    expect(await failureOf(callOpenAi(callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "connect", retryable: true });
  });
});

describe("streams that misbehave", () => {
  it("an endless stream of junk is cut early; endless comments at the byte limit", async () => {
    handler = (_req, res) => {
      sse(res);
      void endless(res, "junk line without meaning\nretry: soon\n".repeat(200));
    };
    let started = performance.now();
    const junk = await failureOf(streamed(callOpenAi, callOptions(openAi(), "hi")));
    expect(junk).toMatchObject({ errorClass: "protocol", retryable: true });
    expect(junk.message).toContain("not Server-Sent Events");
    expect(performance.now() - started).toBeLessThan(500);

    handler = (_req, res) => {
      sse(res);
      void endless(res, ": keep-alive\n".repeat(1000));
    };
    started = performance.now();
    const comments = await failureOf(streamed(callA2a, callOptions(a2a("1.0"), "hi")));
    expect(comments).toMatchObject({ errorClass: "protocol", retryable: true });
    expect(comments.message).toContain(String(MAX_UPSTREAM_BYTES));
    expect(performance.now() - started).toBeLessThan(2_000);
    await Promise.all(responsesClosed); // the agent's responses were closed: no leaked socket
  });

  it("an endless line, or endless events without content, are cut too", async () => {
    handler = (_req, res) => {
      sse(res);
      void endless(res, "data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".repeat(100));
    };
    expect(await failureOf(streamed(callA2a, callOptions(a2a("1.0"), "hi")))).toMatchObject({ errorClass: "protocol" });
    handler = (_req, res) => {
      sse(res);
      void endless(res, `data: ${JSON.stringify({ choices: [{ index: 0, delta: {} }] })}\n\n`.repeat(100));
    };
    expect(await failureOf(streamed(callOpenAi, callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "protocol" });
    await Promise.all(responsesClosed);
  });

  it("an event that is not JSON → protocol; an agent error event → stream_broken", async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(`${chunk("Hel")}data: {oops\n\n`);
    };
    const deltas: string[] = [];
    const opts = callOptions(openAi(), "hi", { stream: true, onDelta: (d) => deltas.push(d) });
    expect(await failureOf(callOpenAi(opts))).toMatchObject({ errorClass: "protocol" });
    expect(deltas).toEqual(["Hel"]);
    handler = (_req, res) => {
      sse(res);
      res.end(`${chunk("Hel")}data: {"error":{"message":"model overloaded"}}\n\n`);
    };
    const error = await failureOf(streamed(callOpenAi, callOptions(openAi(), "hi")));
    expect(error).toMatchObject({ errorClass: "stream_broken", retryable: true });
    expect(error.message).toContain("model overloaded");
  });

  it("an upstream that goes silent → timeout after the idle limit", async () => {
    handler = (_req, res) => {
      sse(res);
      res.write(chunk("Hel"));
    };
    const started = performance.now();
    const error = await failureOf(streamed(callOpenAi, { ...callOptions(openAi(), "hi"), idleTimeoutMs: 150 }));
    expect(error).toMatchObject({ errorClass: "timeout", retryable: true });
    expect(performance.now() - started).toBeLessThan(1_000);
    await Promise.all(responsesClosed);
  });

  it("a stream that ends early → stream_broken; one without any event → protocol", async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(chunk("Hel"));
    };
    expect(await failureOf(streamed(callOpenAi, callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "stream_broken", retryable: true });
    handler = (_req, res) => {
      sse(res);
      res.end(`data: ${JSON.stringify({ jsonrpc: "2.0", id: 1, result: { statusUpdate: { taskId: "t", status: { state: "TASK_STATE_WORKING" } } } })}\n\n`);
    };
    expect(await failureOf(streamed(callA2a, callOptions(a2a("1.0"), "hi")))).toMatchObject({ errorClass: "stream_broken" });
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>a proxy page</html>");
    };
    expect(await failureOf(streamed(callOpenAi, callOptions(openAi(), "hi")))).toMatchObject({ errorClass: "protocol" });
  });

  it("a consumer that throws ends the call as aborted and lets the stream go", async () => {
    handler = (_req, res) => {
      sse(res);
      void endless(res, chunk("word "));
    };
    const opts = callOptions(openAi(), "hi", {
      stream: true,
      onDelta: () => {
        throw new Error("client socket closed");
      },
    });
    expect(await failureOf(callOpenAi(opts))).toMatchObject({ errorClass: "aborted", retryable: false });
    await Promise.all(responsesClosed);
  });

  it("never throws anything but UpstreamError, whatever the stream holds", async () => {
    let payload = "";
    handler = (_req, res) => {
      sse(res);
      res.end(payload);
    };
    const event = fc.oneof(
      fc.string(),
      fc.constantFrom("[DONE]", "{}", "null", "[]", '{"choices":null}', '{"choices":[{"delta":{"content":5}}]}', '{"result":{"kind":"task"}}'),
      fc.constantFrom('{"jsonrpc":"2.0","result":{"statusUpdate":{"status":{"state":"TASK_STATE_COMPLETED"}}}}', '{"error":1}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 6 }), fc.boolean(), async (events, toA2a) => {
        payload = events.map((e) => `data: ${e}\n\n`).join("");
        const call = toA2a ? callA2a : callOpenAi;
        const agent = toA2a ? a2a("1.0") : openAi();
        try {
          await streamed(call, callOptions(agent, "hi"));
        } catch (error) {
          expect(error).toBeInstanceOf(UpstreamError);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("A2A task states", () => {
  const rpc = (res: ServerResponse, body: string, result: unknown) =>
    json(res, 200, { jsonrpc: "2.0", id: (JSON.parse(body) as { id: number }).id, result });

  it("polls GetTask while a task is not final", async () => {
    let polls = 0;
    handler = (_req, res, body) => {
      const { method } = JSON.parse(body) as { method: string };
      if (method === "SendMessage") return rpc(res, body, { task: { id: "t-1", status: { state: "TASK_STATE_WORKING" } } });
      polls++;
      const done = polls >= 2;
      rpc(res, body, {
        id: "t-1",
        status: { state: done ? "TASK_STATE_COMPLETED" : "TASK_STATE_WORKING" },
        artifacts: done ? [{ artifactId: "a", parts: [{ text: "first" }] }, { artifactId: "b", parts: [{ text: "second" }] }] : [],
      });
    };
    const result = await callA2a(callOptions(a2a("1.0"), "hi"));
    expect(result).toMatchObject({ text: "first\nsecond", upstreamId: "t-1", finishReason: "stop" });
    expect(seen.map((s) => (JSON.parse(s.body) as { method: string }).method)).toEqual(["SendMessage", "GetTask", "GetTask"]);
  });

  it("failed → http_5xx retryable; rejected → http_4xx; JSON-RPC invalid params → http_4xx", async () => {
    handler = (_req, res, body) =>
      rpc(res, body, { kind: "task", id: "t", status: { state: "failed", message: { parts: [{ kind: "text", text: "backend down" }] } } });
    const failed = await failureOf(callA2a(callOptions(a2a("0.3"), "hi")));
    expect(failed).toMatchObject({ errorClass: "http_5xx", retryable: true });
    expect(failed.message).toContain("backend down");

    handler = (_req, res) => {
      sse(res);
      res.end(`data: ${JSON.stringify({ jsonrpc: "2.0", id: 1, result: { statusUpdate: { taskId: "t", status: { state: "TASK_STATE_REJECTED" } } } })}\n\n`);
    };
    expect(await failureOf(streamed(callA2a, callOptions(a2a("1.0"), "hi")))).toMatchObject({ errorClass: "http_4xx", retryable: false });

    handler = (_req, res, body) =>
      json(res, 200, { jsonrpc: "2.0", id: (JSON.parse(body) as { id: number }).id, error: { code: -32602, message: "message.messageId is required." } });
    const invalid = await failureOf(callA2a(callOptions(a2a("1.0"), "hi")));
    expect(invalid).toMatchObject({ errorClass: "http_4xx", retryable: false });
    expect(invalid.message).toContain("messageId is required");
  });

  it("input-required: the agent's question is the answer", async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(
        `data: ${JSON.stringify({ jsonrpc: "2.0", id: 1, result: { kind: "status-update", taskId: "t", final: true, status: { state: "input-required", message: { parts: [{ kind: "text", text: "Which city?" }] } } } })}\n\n`,
      );
    };
    const { result, deltas } = await streamed(callA2a, callOptions(a2a("0.3"), "book a hotel"));
    expect(result).toMatchObject({ text: "Which city?", upstreamId: "t" });
    expect(deltas).toEqual(["Which city?"]);
  });
});

describe("connection reuse", () => {
  it("finished JSON answers and finished streams leave their connection in the pool", async () => {
    handler = (req, res) => {
      if (req.headers.accept === "text/event-stream") {
        sse(res);
        res.end(`${chunk("a")}${chunk("b", "stop")}data: [DONE]\n\n`);
      } else {
        json(res, 200, { id: "c", choices: [{ message: { content: "ab" }, finish_reason: "stop" }] });
      }
    };
    // undici marks a connection free one event-loop turn after its response ended.
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 5; i++) {
      expect((await callOpenAi(callOptions(openAi(), "hi"))).text).toBe("ab");
      await turn();
      expect((await streamed(callOpenAi, callOptions(openAi(), "hi"))).result.text).toBe("ab");
      await turn();
    }
    expect(connections).toBe(1);
  });
});

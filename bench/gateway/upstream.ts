/**
 * A fast local OpenAI-compatible agent: `POST /v1/chat/completions` (JSON, or SSE when the body asks
 * for `stream`) and `GET /v1/models`. It answers after a fixed delay (0 by default) and streams a
 * fixed number of content chunks a fixed gap apart, so whatever a proxy adds shows against a known
 * baseline. Run as a child process: `node --import tsx bench/gateway/upstream.ts`.
 *
 * Settings (environment): BENCH_UPSTREAM_DELAY_MS (before the answer or the first chunk),
 * BENCH_UPSTREAM_CHUNKS (content chunks per stream), BENCH_UPSTREAM_CHUNK_GAP_MS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { serveAsChild } from "./child";
import { UPSTREAM_MODEL } from "./requests";

interface UpstreamOptions {
  delayMs: number;
  chunks: number;
  chunkGapMs: number;
}

const created = Math.floor(Date.now() / 1000);
const MAX_BODY = 1 << 20;

const completion = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created,
    model: UPSTREAM_MODEL,
    choices: [{ index: 0, message: { role: "assistant", content: "Hello from the bench upstream." }, finish_reason: "stop" }],
    usage: { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 },
  }),
);

const models = Buffer.from(
  JSON.stringify({ object: "list", data: [{ id: UPSTREAM_MODEL, object: "model", created, owned_by: "bench" }] }),
);

function chunk(delta: Record<string, unknown>, finishReason: string | null = null, usage?: Record<string, number>) {
  const body = {
    id: "chatcmpl-bench",
    object: "chat.completion.chunk",
    created,
    model: UPSTREAM_MODEL,
    choices: usage ? [] : [{ index: 0, delta, finish_reason: finishReason }],
    ...(usage ? { usage } : {}),
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

const roleChunk = chunk({ role: "assistant", content: "" });
const contentChunk = (i: number) => chunk({ content: `tok${i} ` });
const finalChunk = chunk({}, "stop");

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (part: Buffer) => {
      size += part.length;
      if (size > MAX_BODY) req.destroy(new Error("body too large"));
      else parts.push(part);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: Buffer) {
  res.writeHead(status, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}

async function stream(res: ServerResponse, opts: UpstreamOptions, includeUsage: boolean) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  // The role chunk and the first content chunk go together: the first token is on the wire at once.
  res.write(roleChunk + contentChunk(0));
  for (let i = 1; i < opts.chunks; i++) {
    await sleep(opts.chunkGapMs);
    if (res.destroyed) return;
    res.write(contentChunk(i));
  }
  const usage = includeUsage ? chunk({}, null, { prompt_tokens: 9, completion_tokens: opts.chunks, total_tokens: 9 + opts.chunks }) : "";
  res.end(`${finalChunk}${usage}data: [DONE]\n\n`);
}

function createUpstream(opts: UpstreamOptions) {
  return createServer(async (req, res) => {
    try {
      if (req.method === "GET" && req.url === "/v1/models") return send(res, 200, models);
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") return send(res, 404, Buffer.from('{"error":{"message":"not found"}}'));
      const body = JSON.parse(await readBody(req)) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
      if (opts.delayMs > 0) await sleep(opts.delayMs);
      if (body.stream) return await stream(res, opts, body.stream_options?.include_usage === true);
      send(res, 200, completion);
    } catch {
      if (!res.headersSent) send(res, 400, Buffer.from('{"error":{"message":"bad request"}}'));
      else res.destroy();
    }
  });
}

function main() {
  const opts: UpstreamOptions = {
    delayMs: Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 0),
    chunks: Number(process.env.BENCH_UPSTREAM_CHUNKS ?? 8),
    chunkGapMs: Number(process.env.BENCH_UPSTREAM_CHUNK_GAP_MS ?? 5),
  };
  const server = createUpstream(opts);
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    serveAsChild(`http://127.0.0.1:${port}`, () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    });
  });
}

main();

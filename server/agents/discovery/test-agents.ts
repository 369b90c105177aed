import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ListToolsRequestSchema, type ListToolsResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { sendJson, startTestServer, type TestServer } from "../net/test-server";

/** Loopback agents for discovery tests: real MCP servers from the SDK, and a stateless 2026-07-28 one by hand. */

export interface McpTestOptions {
  /** How many tools the server offers (named tool-000 …). */
  tools?: number;
  /** Tools per tools/list page; the SDK's McpServer does not paginate, so the handler is replaced. */
  pageSize?: number;
  /** Sessions (Mcp-Session-Id) as a stateful server keeps them; otherwise a fresh server per request. */
  stateful?: boolean;
  /** Requests without `X-API-Key: <key>` get 401. */
  apiKey?: string;
  path?: string;
}

function buildMcpServer(opts: McpTestOptions): McpServer {
  const server = new McpServer({ name: "test-weather", version: "1.2.3" }, { instructions: "Weather tools for tests." });
  for (let i = 0; i < (opts.tools ?? 3); i++) {
    const name = `tool-${String(i).padStart(3, "0")}`;
    server.registerTool(
      name,
      {
        title: i === 0 ? "Current weather" : undefined,
        description: `Test tool ${i}`,
        inputSchema: { city: z.string().describe("City name"), days: z.number().int().optional() },
        annotations: i === 0 ? { readOnlyHint: true, openWorldHint: true } : undefined,
      },
      async ({ city }) => ({ content: [{ type: "text", text: `Sunny in ${city}` }] }),
    );
  }
  const pageSize = opts.pageSize;
  if (pageSize) {
    // Reuse the SDK's own listing (and its JSON-schema conversion), served a page at a time.
    type Handler = (request: unknown, extra: unknown) => Promise<ListToolsResult>;
    const listAll = (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers.get("tools/list")!;
    server.server.setRequestHandler(ListToolsRequestSchema, async (request, extra) => {
      const { tools } = await listAll(request, extra);
      const start = Number(request.params?.cursor ?? 0);
      const next = start + pageSize;
      return { tools: tools.slice(start, next), ...(next < tools.length ? { nextCursor: String(next) } : {}) };
    });
  }
  return server;
}

export async function startMcpServer(opts: McpTestOptions = {}): Promise<TestServer & { endpoint: string; sessionsEnded: string[] }> {
  const path = opts.path ?? "/mcp";
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const sessionsEnded: string[] = [];
  const server = await startTestServer(async (req, res) => {
    if (!req.url?.startsWith(path)) return sendJson(res, 404, { error: "not found" });
    if (opts.apiKey && req.headers["x-api-key"] !== opts.apiKey) return sendJson(res, 401, { error: "missing or wrong API key" });
    const body = req.body ? (JSON.parse(req.body) as unknown) : undefined;

    if (!opts.stateful) {
      const mcp = buildMcpServer(opts);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on("close", () => void transport.close().then(() => mcp.close()));
      await mcp.connect(transport);
      return transport.handleRequest(req, res, body);
    }

    const sessionId = req.headers["mcp-session-id"];
    let transport = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    if (req.method === "DELETE" && typeof sessionId === "string") sessionsEnded.push(sessionId);
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport!),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      await buildMcpServer(opts).connect(transport);
    }
    return transport.handleRequest(req, res, body);
  });
  return Object.assign(server, { endpoint: `${server.url}${path}`, sessionsEnded });
}

const MODERN = "2026-07-28";

/**
 * A server that speaks only MCP 2026-07-28, as the spec describes it: no initialize, version and
 * method in headers and `_meta`, `server/discover`. Its second tools/list page comes as an SSE
 * stream it leaves open, as a server may.
 */
export async function startStatelessMcpServer(opts: { tools?: number; pageSize?: number } = {}): Promise<TestServer & { endpoint: string }> {
  const total = opts.tools ?? 5;
  const pageSize = opts.pageSize ?? 3;
  const tools = Array.from({ length: total }, (_, i) => ({
    name: `modern-${i}`,
    title: `Modern tool ${i}`,
    description: `Stateless tool ${i}`,
    inputSchema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
  }));
  const error = (res: ServerResponse, status: number, id: unknown, code: number, message: string, data?: unknown) =>
    sendJson(res, status, { jsonrpc: "2.0", id, error: { code, message, ...(data ? { data } : {}) } });

  const server = await startTestServer((req, res) => {
    if (req.url !== "/mcp") return sendJson(res, 404, {});
    if (req.method !== "POST") return sendJson(res, 405, {});
    const msg = JSON.parse(req.body) as { id: unknown; method: string; params?: { cursor?: string; _meta?: Record<string, unknown> } };
    const version = req.headers["mcp-protocol-version"];
    if (version !== MODERN) {
      return error(res, 400, msg.id, -32022, "Unsupported protocol version: this server speaks only 2026-07-28", { supported: [MODERN], requested: version ?? null });
    }
    if (req.headers["mcp-method"] !== msg.method || msg.params?._meta?.["io.modelcontextprotocol/protocolVersion"] !== MODERN) {
      return error(res, 400, msg.id, -32020, "Header mismatch");
    }
    if (msg.method === "server/discover") {
      return sendJson(res, 200, {
        jsonrpc: "2.0",
        id: msg.id,
        result: {
          resultType: "complete",
          supportedVersions: [MODERN],
          capabilities: { tools: { listChanged: false } },
          instructions: "A stateless test server.",
          _meta: { "io.modelcontextprotocol/serverInfo": { name: "stateless-weather", version: "3.0.0" } },
        },
      });
    }
    if (msg.method === "tools/list") {
      const start = Number(msg.params?.cursor ?? 0);
      const next = start + pageSize;
      const result = { resultType: "complete", tools: tools.slice(start, next), ...(next < total ? { nextCursor: String(next) } : {}) };
      if (start === 0) return sendJson(res, 200, { jsonrpc: "2.0", id: msg.id, result });
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(`: keep-alive\n\nevent: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", method: "notifications/progress", params: { progress: 1 } })}\n\n`);
      res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: "2.0", id: msg.id, result })}\n\n`);
      return; // the stream stays open
    }
    return error(res, 404, msg.id, -32601, `Method not found: ${msg.method}`);
  });
  return Object.assign(server, { endpoint: `${server.url}/mcp` });
}

/** A minimal OpenAI-compatible API: GET /v1/models. */
export async function startOpenAiServer(): Promise<TestServer> {
  return startTestServer((req, res) =>
    req.url === "/v1/models"
      ? sendJson(res, 200, { object: "list", data: [{ id: "helix-mini", object: "model", owned_by: "helix" }] })
      : sendJson(res, 404, { error: { message: "not found" } }),
  );
}

/** A minimal A2A agent: its v0.3 card at the well-known path. */
export async function startA2aServer(): Promise<TestServer> {
  const server: TestServer = await startTestServer((req, res) =>
    req.url === "/.well-known/agent-card.json"
      ? sendJson(res, 200, {
          protocolVersion: "0.3.0",
          name: "Card Agent",
          description: "Answers questions",
          url: `${server.url}/a2a`,
          version: "1.0.0",
          capabilities: { streaming: true },
          defaultInputModes: ["text/plain"],
          defaultOutputModes: ["text/plain"],
          skills: [{ id: "answer", name: "Answer", description: "Answers a question", tags: ["qa"] }],
        })
      : sendJson(res, 404, {}),
  );
  return server;
}

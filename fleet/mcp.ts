/**
 * MCP server built on @modelcontextprotocol/sdk, over Streamable HTTP in stateless mode (a fresh
 * McpServer + transport per POST, no session id). Endpoint: `POST /mcp`; GET and DELETE answer 405
 * (no standalone SSE stream, no sessions to end).
 *
 * `tools/list` is served by our own handler so it can paginate (McpServer lists every tool in one
 * page and has no page-size option): `toolsPageSize` tools per page, an opaque `nextCursor`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { countTokens, slugify } from "./answers";
import type { McpAgentSpec } from "./catalog";
import { evaluateExpression, ExpressionError, MAX_EXPRESSION_LENGTH } from "./expression";
import { BodyError, bearerToken, readJson, requestPath, responseSignal, sendJson, type AgentContext, type AgentListener } from "./http";

export const MCP_PATH = "/mcp";

/** A tool with a zod input shape, erased to one type so tool sets can be plain arrays. */
export interface FleetTool {
  name: string;
  title: string;
  description: string;
  /** The entry `tools/list` returns for this tool. */
  listing: Tool;
  register(server: McpServer): void;
}

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

function defineTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(def: {
  name: string;
  title: string;
  description: string;
  input: In;
  output?: Out;
  run: (args: z.infer<z.ZodObject<In>>) => CallToolResult;
}): FleetTool {
  const jsonSchema = (shape: z.ZodRawShape, io: "input" | "output") =>
    z.toJSONSchema(z.object(shape), { target: "draft-7", io }) as Tool["inputSchema"];
  return {
    name: def.name,
    title: def.title,
    description: def.description,
    listing: {
      name: def.name,
      title: def.title,
      description: def.description,
      inputSchema: jsonSchema(def.input, "input"),
      ...(def.output ? { outputSchema: jsonSchema(def.output, "output") } : {}),
      annotations: { title: def.title, ...READ_ONLY },
    },
    register(server) {
      server.registerTool(
        def.name,
        { title: def.title, description: def.description, inputSchema: def.input, outputSchema: def.output, annotations: READ_ONLY },
        ((args: z.infer<z.ZodObject<In>>) => def.run(args)) as never,
      );
    },
  };
}

function toolError(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}

function numberResult(result: number): CallToolResult {
  return { content: [{ type: "text", text: String(result) }], structuredContent: { result } };
}

const num = (what: string) => z.number().finite().describe(what);
const RESULT = { result: z.number().describe("The result") };

export const CALC_TOOLS: FleetTool[] = [
  defineTool({
    name: "add",
    title: "Add",
    description: "Adds two numbers and returns the sum.",
    input: { a: num("First addend"), b: num("Second addend") },
    output: RESULT,
    run: ({ a, b }) => numberResult(a + b),
  }),
  defineTool({
    name: "subtract",
    title: "Subtract",
    description: "Subtracts b from a and returns the difference.",
    input: { a: num("Minuend"), b: num("Subtrahend") },
    output: RESULT,
    run: ({ a, b }) => numberResult(a - b),
  }),
  defineTool({
    name: "multiply",
    title: "Multiply",
    description: "Multiplies two numbers and returns the product.",
    input: { a: num("First factor"), b: num("Second factor") },
    output: RESULT,
    run: ({ a, b }) => numberResult(a * b),
  }),
  defineTool({
    name: "divide",
    title: "Divide",
    description: "Divides a by b. Division by zero is reported as a tool error.",
    input: { a: num("Dividend"), b: num("Divisor") },
    output: RESULT,
    run: ({ a, b }) => (b === 0 ? toolError("Cannot divide: division by zero.") : numberResult(a / b)),
  }),
  defineTool({
    name: "evaluate",
    title: "Evaluate expression",
    description:
      "Safely evaluates an arithmetic expression with + - * / % ^ (or **), parentheses, unary minus, " +
      "the constants pi and e, and sqrt, abs, floor, ceil, round, min, max. Example: '2 * (3 + 4) ^ 2'.",
    input: { expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH).describe("The arithmetic expression") },
    output: RESULT,
    run: ({ expression }) => {
      try {
        return numberResult(evaluateExpression(expression));
      } catch (error) {
        if (error instanceof ExpressionError) return toolError(`Cannot evaluate: ${error.message}.`);
        throw error;
      }
    },
  }),
];

const TEXT_INPUT = { text: z.string().max(100_000).describe("The input text") };

export const TEXT_TOOLS: FleetTool[] = [
  defineTool({
    name: "word_count",
    title: "Word count",
    description: "Counts the words (whitespace-separated), characters and lines of a text.",
    input: TEXT_INPUT,
    output: { words: z.number().int(), characters: z.number().int(), lines: z.number().int() },
    run: ({ text }) => {
      const counts = { words: countTokens(text), characters: Array.from(text).length, lines: text === "" ? 0 : text.split("\n").length };
      return { content: [{ type: "text", text: `${counts.words} words, ${counts.characters} characters, ${counts.lines} lines` }], structuredContent: counts };
    },
  }),
  defineTool({
    name: "to_uppercase",
    title: "To upper case",
    description: "Converts a text to upper case.",
    input: TEXT_INPUT,
    run: ({ text }) => ({ content: [{ type: "text", text: text.toUpperCase() }] }),
  }),
  defineTool({
    name: "slugify",
    title: "Slugify",
    description: "Turns a title into a URL slug: lower case ASCII letters and digits separated by hyphens.",
    input: TEXT_INPUT,
    run: ({ text }) => ({ content: [{ type: "text", text: slugify(text) }] }),
  }),
  defineTool({
    name: "reverse",
    title: "Reverse",
    description: "Reverses a text by characters (default) or by word order.",
    input: { ...TEXT_INPUT, by: z.enum(["characters", "words"]).default("characters").describe("What to reverse") },
    run: ({ text, by }) => ({
      content: [{ type: "text", text: by === "words" ? text.trim().split(/\s+/).reverse().join(" ") : Array.from(text).reverse().join("") }],
    }),
  }),
];

export const TOOLSETS: Record<McpAgentSpec["toolset"], FleetTool[]> = { calc: CALC_TOOLS, text: TEXT_TOOLS };

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new McpError(ErrorCode.InvalidParams, "Invalid cursor");
}

/** A fresh server (stateless mode serves each POST with its own server and transport). */
export function buildMcpServer(spec: McpAgentSpec): McpServer {
  const tools = TOOLSETS[spec.toolset];
  const server = new McpServer(
    { name: spec.id, title: spec.name, version: spec.version ?? "1.0.0" },
    { capabilities: { tools: { listChanged: false } }, instructions: spec.description },
  );
  for (const tool of tools) tool.register(server);
  // registerTool() advertises listChanged: true; this tool set never changes.
  server.server.registerCapabilities({ tools: { listChanged: false } });
  const pageSize = spec.toolsPageSize && spec.toolsPageSize > 0 ? spec.toolsPageSize : tools.length;
  server.server.removeRequestHandler("tools/list");
  server.server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const cursor = request.params?.cursor;
    const offset = cursor === undefined ? 0 : decodeCursor(cursor);
    if (offset > tools.length) throw new McpError(ErrorCode.InvalidParams, "Invalid cursor");
    const page = tools.slice(offset, offset + pageSize).map((tool) => tool.listing);
    const next = offset + pageSize;
    return { tools: page, ...(next < tools.length ? { nextCursor: encodeCursor(next) } : {}) };
  });
  return server;
}

function rpcError(id: unknown, code: number, message: string) {
  return { jsonrpc: "2.0", id: typeof id === "string" || typeof id === "number" ? id : null, error: { code, message } };
}

export function createMcpAgent(spec: McpAgentSpec, ctx: AgentContext): AgentListener {
  async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signal = responseSignal(res);
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (error) {
      if (error instanceof BodyError) return sendJson(res, error.status, rpcError(null, ErrorCode.ParseError, `Parse error: ${error.message}`));
      throw error;
    }
    const messages = (Array.isArray(body) ? body : [body]) as { method?: unknown; id?: unknown }[];
    const isWork = messages.some((m) => typeof m === "object" && m !== null && m.method === "tools/call");
    if (!(await ctx.behaviour.admit(isWork ? "work" : "probe", signal))) {
      return sendJson(res, 500, rpcError(messages[0]?.id, ErrorCode.InternalError, "Internal error (injected by the demo fleet's errorRate)."));
    }
    const server = buildMcpServer(spec);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: spec.jsonResponse === true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req);
    if (path === MCP_PATH) {
      if (spec.apiKey !== undefined && bearerToken(req) !== spec.apiKey) {
        return sendJson(res, 401, rpcError(null, -32001, "Unauthorized: missing or invalid bearer token."), {
          "www-authenticate": 'Bearer realm="mcp"',
        });
      }
      if (req.method === "POST") return post(req, res);
      return sendJson(res, 405, rpcError(null, -32000, "Method not allowed: this stateless server only accepts POST."), { allow: "POST" });
    }
    if (path === "/" && req.method === "GET") {
      return sendJson(res, 200, { name: spec.name, protocol: "MCP", endpoint: `${ctx.origin}${MCP_PATH}`, tools: TOOLSETS[spec.toolset].map((t) => t.name) });
    }
    sendJson(res, 404, { error: `Not found: ${req.method} ${path}` });
  }

  return (req, res) => {
    route(req, res).catch(() => {
      if (!res.destroyed) sendJson(res, 500, rpcError(null, ErrorCode.InternalError, "Internal error"));
    });
  };
}

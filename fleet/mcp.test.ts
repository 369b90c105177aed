import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION, McpError, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { McpAgentSpec } from "./catalog";
import type { Fleet } from "./index";
import { specOf, startTestFleet } from "./testing";

const keyed: McpAgentSpec = { ...(specOf("text-tools") as McpAgentSpec), id: "text-keyed", apiKey: "mcp-secret" };

let fleet: Fleet;
const open: Client[] = [];

async function connect(id: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "fleet-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(fleet.get(id).url), { requestInit: { headers } }));
  open.push(client);
  return client;
}

async function listAll(client: Client): Promise<{ tools: Tool[]; pages: number }> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { tools, pages };
}

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

async function initialize(id: string, protocolVersion: string) {
  const res = await fetch(fleet.get(id).url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });
  const body = res.headers.get("content-type")?.includes("text/event-stream")
    ? JSON.parse(/^data: (.*)$/m.exec(await res.text())?.[1] ?? "null")
    : await res.json();
  return { status: res.status, contentType: res.headers.get("content-type"), body: body as { result: { protocolVersion: string } } };
}

beforeAll(async () => {
  fleet = await startTestFleet([specOf("calc-tools"), specOf("text-tools"), keyed]);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});
afterAll(() => fleet.stop());

describe("MCP agents (official @modelcontextprotocol/sdk client, Streamable HTTP)", () => {
  it("registers at the /mcp endpoint and initializes", async () => {
    expect(fleet.get("calc-tools").url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect("calc-tools");
    expect(client.getServerVersion()).toMatchObject({ name: "calc-tools", version: "1.0.0" });
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: false });
    expect(client.getInstructions()).toContain("arithmetic");
    await expect(client.ping()).resolves.toEqual({});
  });

  it("negotiates protocol versions 2025-06-18 and 2025-11-25 (and falls back to the latest otherwise)", async () => {
    expect(LATEST_PROTOCOL_VERSION).toBe("2025-11-25");
    for (const version of ["2025-06-18", "2025-11-25"]) {
      for (const id of ["calc-tools", "text-tools"]) {
        const { status, body } = await initialize(id, version);
        expect(status).toBe(200);
        expect(body.result.protocolVersion).toBe(version);
      }
    }
    // SDK 1.32 does not know the stateless 2026-07-28 revision: initialize falls back to the latest
    // version it has, and a request carrying that version in its header is refused.
    expect((await initialize("calc-tools", "2026-07-28")).body.result.protocolVersion).toBe("2025-11-25");
    const future = await fetch(fleet.get("calc-tools").url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2026-07-28" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(future.status).toBe(400);
    // calc-tools answers plain JSON, text-tools an SSE stream: both are valid Streamable HTTP.
    expect((await initialize("calc-tools", "2025-06-18")).contentType).toContain("application/json");
    expect((await initialize("text-tools", "2025-06-18")).contentType).toContain("text/event-stream");
  });

  it("paginates tools/list (page size 2 on calc-tools) and lists text-tools in one page", async () => {
    const calc = await connect("calc-tools");
    const first = await calc.listTools();
    expect(first.tools.map((t) => t.name)).toEqual(["add", "subtract"]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const all = await listAll(calc);
    expect(all.pages).toBe(3);
    expect(all.tools.map((t) => t.name)).toEqual(["add", "subtract", "multiply", "divide", "evaluate"]);
    const add = all.tools[0];
    expect(add?.description).toContain("sum");
    expect(add?.inputSchema).toMatchObject({ type: "object", properties: { a: { type: "number" }, b: { type: "number" } }, required: ["a", "b"] });
    expect(add?.outputSchema).toMatchObject({ type: "object", properties: { result: { type: "number" } } });
    await expect(calc.listTools({ cursor: "not-a-cursor" })).rejects.toBeInstanceOf(McpError);

    const textTools = await listAll(await connect("text-tools"));
    expect(textTools.pages).toBe(1);
    expect(textTools.tools.map((t) => t.name)).toEqual(["word_count", "to_uppercase", "slugify", "reverse"]);
  });

  it("calls the calculator tools", async () => {
    const calc = await connect("calc-tools");
    const add = await calc.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    expect(add.structuredContent).toEqual({ result: 5 });
    expect(text(add)).toBe("5");
    expect((await calc.callTool({ name: "multiply", arguments: { a: -4, b: 2.5 } })).structuredContent).toEqual({ result: -10 });
    expect((await calc.callTool({ name: "subtract", arguments: { a: 1, b: 3 } })).structuredContent).toEqual({ result: -2 });
    const divide = await calc.callTool({ name: "divide", arguments: { a: 1, b: 0 } });
    expect(divide.isError).toBe(true);
    expect(text(divide)).toContain("division by zero");
  });

  it("evaluates expressions safely; bad input is a tool error, not a crash", async () => {
    const calc = await connect("calc-tools");
    const evaluate = (expression: string) => calc.callTool({ name: "evaluate", arguments: { expression } });
    const cases: [string, number][] = [
      ["2 + 3 * 4", 14],
      ["(2 + 3) * 4", 20],
      ["2 ^ 3 ^ 2", 512],
      ["-2 ^ 2", -4],
      ["10 - 4 - 3", 3],
      ["max(1, sqrt(16), 2) % 3", 1],
    ];
    for (const [expression, result] of cases) expect((await evaluate(expression)).structuredContent).toEqual({ result });
    const failures: [string, string][] = [
      ["1 / 0", "division by zero"],
      ["2 +", "end of expression"],
      ["process.exit(1)", "unexpected character"],
      ["__proto__", "unknown name"],
      ["constructor", "unknown name"],
    ];
    for (const [expression, message] of failures) {
      const result = await evaluate(expression);
      expect(result.isError).toBe(true);
      expect(text(result)).toContain(message);
    }
    const badArgs = await calc.callTool({ name: "add", arguments: { a: "two", b: 3 } });
    expect(badArgs.isError).toBe(true);
    expect((await evaluate("1 + 1")).structuredContent).toEqual({ result: 2 });
  });

  it("calls the text tools", async () => {
    const tools = await connect("text-tools");
    const count = await tools.callTool({ name: "word_count", arguments: { text: "one two  three\nfour" } });
    expect(count.structuredContent).toEqual({ words: 4, characters: 19, lines: 2 });
    expect(text(await tools.callTool({ name: "to_uppercase", arguments: { text: "Hello" } }))).toBe("HELLO");
    expect(text(await tools.callTool({ name: "slugify", arguments: { text: "  Hello, World! Ça va?" } }))).toBe("hello-world-ca-va");
    expect(text(await tools.callTool({ name: "reverse", arguments: { text: "abc" } }))).toBe("cba");
    expect(text(await tools.callTool({ name: "reverse", arguments: { text: "one two three", by: "words" } }))).toBe("three two one");
  });

  it("fails tools/call at errorRate 1 but keeps answering initialize and tools/list", async () => {
    fleet.configure("text-tools", { errorRate: 1 });
    try {
      const tools = await connect("text-tools");
      expect((await tools.listTools()).tools).toHaveLength(4);
      await expect(tools.callTool({ name: "reverse", arguments: { text: "abc" } })).rejects.toThrow(/500|Internal error/);
    } finally {
      fleet.configure("text-tools", { errorRate: 0 });
    }
  });

  it("rejects GET (no standalone SSE stream in stateless mode) with 405", async () => {
    const res = await fetch(fleet.get("calc-tools").url, { headers: { accept: "text/event-stream" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("requires the bearer key when the spec sets one", async () => {
    await expect(connect("text-keyed")).rejects.toThrow();
    const client = await connect("text-keyed", { Authorization: "Bearer mcp-secret" });
    expect(text(await client.callTool({ name: "to_uppercase", arguments: { text: "ok" } }))).toBe("OK");
  });
});

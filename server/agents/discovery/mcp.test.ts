import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../net/test-server";
import { DiscoveryError } from "./errors";
import { discoverMcp } from "./mcp";
import { startMcpServer, startStatelessMcpServer } from "./test-agents";

const network = { allowPrivateNetworks: true };

describe("MCP discovery with the SDK client", () => {
  let paged: Awaited<ReturnType<typeof startMcpServer>>;
  let stateful: Awaited<ReturnType<typeof startMcpServer>>;
  let keyed: Awaited<ReturnType<typeof startMcpServer>>;

  beforeAll(async () => {
    paged = await startMcpServer({ tools: 120, pageSize: 50 });
    stateful = await startMcpServer({ stateful: true, tools: 3 });
    keyed = await startMcpServer({ apiKey: "mcp-key", tools: 2 });
  });
  afterAll(async () => {
    await paged.close();
    await stateful.close();
    await keyed.close();
  });

  it("initializes and lists every tool across pages", async () => {
    const d = await discoverMcp({ url: paged.endpoint, network });
    expect(d).toMatchObject({
      protocol: "MCP",
      endpointUrl: paged.endpoint,
      sourceUrl: paged.endpoint,
      name: "test-weather",
      version: "1.2.3",
      protocolVersion: "2025-11-25",
      capabilities: { tools: expect.any(Object) },
    });
    expect(d.skills).toHaveLength(120);
    expect(d.skills[0]).toEqual({
      kind: "tool",
      key: "tool-000",
      name: "Current weather",
      description: "Test tool 0",
      tags: ["read-only", "open-world"],
      inputModes: [],
      outputModes: [],
      inputSchema: expect.objectContaining({ type: "object", properties: expect.objectContaining({ city: expect.objectContaining({ type: "string" }) }) }),
      examples: [],
    });
    expect(d.skills[119]).toMatchObject({ key: "tool-119", name: "tool-119", tags: [] });
    const listCalls = paged.requests.filter((r) => r.body.includes('"tools/list"'));
    expect(listCalls).toHaveLength(3);
    expect(d.document).toMatchObject({ protocolVersion: "2025-11-25", serverInfo: { name: "test-weather" }, instructions: "Weather tools for tests." });
    expect((d.document as { tools: unknown[] }).tools).toHaveLength(120);
  });

  it("works with a stateful server and ends the session afterwards", async () => {
    const d = await discoverMcp({ url: stateful.endpoint, network });
    expect(d.skills.map((s) => s.key)).toEqual(["tool-000", "tool-001", "tool-002"]);
    expect(stateful.sessionsEnded).toHaveLength(1);
  });

  it("sends an api_key credential as X-API-Key", async () => {
    const d = await discoverMcp({ url: keyed.endpoint, network, credential: { kind: "api_key", value: "mcp-key" } });
    expect(d.skills).toHaveLength(2);
  });

  it("says the credential is wrong on 401, without trying the stateless revision", async () => {
    const before = keyed.requests.length;
    const e = (await discoverMcp({ url: keyed.endpoint, network, credential: { kind: "api_key", value: "nope" } }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e).toBeInstanceOf(DiscoveryError);
    expect(e).toMatchObject({ code: "http_error", status: 401 });
    expect(e.message).toBe(`${keyed.endpoint} answered 401 to the MCP initialize request ("missing or wrong API key"). Add or check the agent's credential.`);
    expect(keyed.requests.length - before).toBe(1);
  });

  it("says http_error with a hint for a URL that is not the MCP endpoint", async () => {
    const e = (await discoverMcp({ url: `${paged.url}/nope`, network }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e).toMatchObject({ code: "http_error", status: 404 });
    expect(e.message).toContain("Check that the URL is the server's MCP endpoint");
  });

  it("applies the network policy to every request the SDK makes", async () => {
    await expect(discoverMcp({ url: paged.endpoint, network: { allowPrivateNetworks: false } })).rejects.toMatchObject({ code: "blocked_address" });
  });
});

describe("MCP discovery of a server that speaks only 2026-07-28", () => {
  let modern: Awaited<ReturnType<typeof startStatelessMcpServer>>;
  beforeAll(async () => {
    modern = await startStatelessMcpServer({ tools: 5, pageSize: 3 });
  });
  afterAll(() => modern.close());

  it("falls back to server/discover and lists tools statelessly, reading an SSE page left open", async () => {
    const d = await discoverMcp({ url: modern.endpoint, network, timeoutMs: 2_000 });
    expect(d).toMatchObject({
      protocol: "MCP",
      endpointUrl: modern.endpoint,
      name: "stateless-weather",
      version: "3.0.0",
      protocolVersion: "2026-07-28",
      capabilities: { tools: { listChanged: false } },
    });
    expect(d.skills.map((s) => s.key)).toEqual(["modern-0", "modern-1", "modern-2", "modern-3", "modern-4"]);
    expect(d.skills[0]).toMatchObject({ name: "Modern tool 0", inputSchema: { type: "object", required: ["q"] } });
    const methods = modern.requests.map((r) => (JSON.parse(r.body) as { method: string }).method);
    expect(methods).toEqual(["initialize", "server/discover", "tools/list", "tools/list"]);
    const discoverRequest = modern.requests[1]!;
    expect(discoverRequest.headers["mcp-protocol-version"]).toBe("2026-07-28");
    expect(discoverRequest.headers["mcp-method"]).toBe("server/discover");
  });
});

describe("MCP discovery failures", () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer(() => undefined); // accepts, never answers
  });
  afterAll(() => slow.close());

  it("times out with the real cause, not the SDK's wrapper", async () => {
    const e = (await discoverMcp({ url: `${slow.url}/mcp`, network, timeoutMs: 300 }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e).toBeInstanceOf(DiscoveryError);
    expect(e.code).toBe("timeout");
  });
});

describe("MCP discovery of something that is not an MCP server", () => {
  let page: TestServer;
  beforeAll(async () => {
    page = await startTestServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Welcome</html>");
    });
  });
  afterAll(() => page.close());

  it("reports what initialize met, after checking for a 2026-07-28 server", async () => {
    const e = (await discoverMcp({ url: `${page.url}/mcp`, network }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e).toMatchObject({ code: "not_json" });
    expect(e.message).toContain("answered the MCP initialize request with neither JSON nor an event stream");
    expect(page.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
  });
});

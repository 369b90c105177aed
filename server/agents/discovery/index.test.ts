import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sendJson, startTestServer, type TestServer } from "../net/test-server";
import { discover, DiscoveryError, probeHealth } from "./index";
import { startA2aServer, startMcpServer, startOpenAiServer, startStatelessMcpServer } from "./test-agents";

const network = { allowPrivateNetworks: true };

let a2a: TestServer;
let mcp: Awaited<ReturnType<typeof startMcpServer>>;
let stateful: Awaited<ReturnType<typeof startMcpServer>>;
let modern: Awaited<ReturnType<typeof startStatelessMcpServer>>;
let openai: TestServer;
let nothing: TestServer;
let broken: TestServer;
let slow: TestServer;
let down: string;

beforeAll(async () => {
  [a2a, mcp, stateful, modern, openai] = await Promise.all([
    startA2aServer(),
    startMcpServer({ tools: 4 }),
    startMcpServer({ stateful: true }),
    startStatelessMcpServer(),
    startOpenAiServer(),
  ]);
  nothing = await startTestServer((_req, res) => sendJson(res, 404, { error: "not found" }));
  broken = await startTestServer((req, res) =>
    req.url === "/.well-known/agent-card.json" ? sendJson(res, 200, { name: "Half a card", url: "http://example.com/a2a" }) : sendJson(res, 404, {}),
  );
  slow = await startTestServer(() => undefined);
  const gone = await startTestServer(() => undefined);
  down = gone.url;
  await gone.close();
});
afterAll(async () => {
  await Promise.all([a2a, mcp, stateful, modern, openai, nothing, broken, slow].map((s) => s.close()));
});

async function failure(p: Promise<unknown>): Promise<DiscoveryError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiscoveryError);
  return e as DiscoveryError;
}

describe("discover: protocol detection", () => {
  it("finds an A2A agent by its card", async () => {
    const d = await discover({ url: a2a.url, network });
    expect(d).toMatchObject({ protocol: "A2A", name: "Card Agent", endpointUrl: `${a2a.url}/a2a` });
    expect(d.skills.map((s) => s.key)).toEqual(["answer"]);
  });

  it("finds an MCP server after the card paths come up empty", async () => {
    const d = await discover({ url: mcp.endpoint, network });
    expect(d).toMatchObject({ protocol: "MCP", name: "test-weather", protocolVersion: "2025-11-25" });
    expect(d.skills).toHaveLength(4);
  });

  it("finds a server that speaks only MCP 2026-07-28", async () => {
    const d = await discover({ url: modern.endpoint, network });
    expect(d).toMatchObject({ protocol: "MCP", protocolVersion: "2026-07-28", name: "stateless-weather" });
  });

  it("finds an OpenAI-compatible API by its model list", async () => {
    const d = await discover({ url: openai.url, network });
    expect(d).toMatchObject({ protocol: "OPENAI", endpointUrl: `${openai.url}/v1`, provider: "helix" });
    expect(d.skills.map((s) => s.key)).toEqual(["helix-mini"]);
  });

  it("uses only the protocol it is told", async () => {
    const before = openai.requests.length;
    const d = await discover({ url: `${openai.url}/v1`, protocol: "OPENAI", network });
    expect(d.protocol).toBe("OPENAI");
    expect(openai.requests.length - before).toBe(1);
    await expect(discover({ url: openai.url, protocol: "A2A", network })).rejects.toMatchObject({ code: "http_error" });
  });

  it("lists what it tried when nothing answers", async () => {
    const e = await failure(discover({ url: nothing.url, network }));
    expect(e.code).toBe("unsupported");
    expect(e.kind).toBe("BAD_REQUEST");
    expect(e.message).toMatch(new RegExp(`^${nothing.url} did not answer as an A2A agent, an MCP server or an OpenAI-compatible API\\. `));
    expect(e.message).toContain("A2A: No A2A agent card found. Tried");
    expect(e.message).toContain("MCP: ");
    expect(e.message).toContain("OpenAI-compatible: No OpenAI-compatible model list found.");
    expect(e.message).toMatch(/choose the protocol explicitly\.$/);
  });

  it("reports a malformed card rather than a generic failure", async () => {
    const e = await failure(discover({ url: broken.url, network }));
    expect(e.code).toBe("invalid_document");
    expect(e.message).toContain('The agent card has no "skills" list.');
  });

  it("stops at the first try when the host cannot be reached", async () => {
    const e = await failure(discover({ url: down, network }));
    expect(e.code).toBe("unreachable");
    expect(e.message).toBe(`Could not reach ${down}: connection refused. Is the agent running and reachable from the HelixAgent server?`);
  });

  it("refuses private addresses unless the organization allows them", async () => {
    const e = await failure(discover({ url: a2a.url, network: { allowPrivateNetworks: false } }));
    expect(e.code).toBe("blocked_address");
  });

  it("says invalid_url for something that is not a URL", async () => {
    expect((await failure(discover({ url: "agent dot example", network }))).code).toBe("invalid_url");
  });
});

describe("probeHealth", () => {
  it.each([
    ["OPENAI", () => `${openai.url}/v1`],
    ["A2A", () => `${a2a.url}/a2a`],
    ["MCP", () => mcp.endpoint],
    ["MCP", () => modern.endpoint],
  ] as const)("%s agent at %s is healthy", async (protocol, url) => {
    const r = await probeHealth({ protocol, endpointUrl: url(), network });
    expect(r).toEqual({ ok: true, latencyMs: expect.any(Number), statusCode: 200, error: null });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("ends the MCP session a probe of a stateful server opens", async () => {
    const r = await probeHealth({ protocol: "MCP", endpointUrl: stateful.endpoint, network });
    expect(r.ok).toBe(true);
    await vi.waitFor(() => expect(stateful.sessionsEnded).toHaveLength(1));
  });

  it("returns failures instead of throwing them", async () => {
    const refused = await probeHealth({ protocol: "OPENAI", endpointUrl: `${down}/v1`, network });
    expect(refused).toEqual({ ok: false, latencyMs: expect.any(Number), statusCode: null, error: expect.stringContaining("connection refused") });

    const missing = await probeHealth({ protocol: "OPENAI", endpointUrl: `${nothing.url}/v1`, network });
    expect(missing).toMatchObject({ ok: false, statusCode: 404, error: `${nothing.url}/v1/models answered 404 Not Found` });

    const noCard = await probeHealth({ protocol: "A2A", endpointUrl: `${nothing.url}/a2a`, network });
    expect(noCard).toMatchObject({ ok: false, statusCode: 404 });

    const notMcp = await probeHealth({ protocol: "MCP", endpointUrl: `${nothing.url}/mcp`, network });
    expect(notMcp).toMatchObject({ ok: false, statusCode: 404, error: `${nothing.url}/mcp answered 404 to initialize` });

    const blocked = await probeHealth({ protocol: "A2A", endpointUrl: a2a.url, network: { allowPrivateNetworks: false } });
    expect(blocked).toMatchObject({ ok: false, statusCode: null, error: expect.stringContaining("private networks") });

    const badCredential = await probeHealth({ protocol: "MCP", endpointUrl: mcp.endpoint, network, credential: { kind: "header", headerName: "bad header", value: "x" } });
    expect(badCredential).toMatchObject({ ok: false, error: expect.stringContaining("cannot carry a credential") });
  });

  it("gives up after the timeout, 2 s by default", async () => {
    const r = await probeHealth({ protocol: "OPENAI", endpointUrl: `${slow.url}/v1`, network, timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, statusCode: null, error: expect.stringContaining("did not answer within 0.2 s") });
    expect(r.latencyMs).toBeGreaterThanOrEqual(190);
    expect(r.latencyMs).toBeLessThan(1_500);
  });
});

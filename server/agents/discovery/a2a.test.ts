import type { AgentCard } from "@a2a-js/sdk";
import { agentCardHandler } from "@a2a-js/sdk/server/express";
import express from "express";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, startTestServer, type TestServer } from "../net/test-server";
import { a2aCardCandidates, discoverA2A, fromCard } from "./a2a";
import { DiscoveryError } from "./errors";

const network = { allowPrivateNetworks: true };

/** A v1.0 card as the SDK types it (every field present, as its server serialises it). */
function sdkCard(base: string): AgentCard {
  return {
    name: "Recipe Agent",
    description: "Helps with recipes",
    supportedInterfaces: [
      { url: `${base}/a2a/rest`, protocolBinding: "HTTP+JSON", tenant: "", protocolVersion: "1.0" },
      { url: `${base}/a2a/jsonrpc`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0" },
      // The same endpoint for 0.3 clients; the SDK's compat layer needs one to translate the card.
      { url: `${base}/a2a/jsonrpc`, protocolBinding: "JSONRPC", tenant: "", protocolVersion: "0.3" },
    ],
    provider: { organization: "Acme Kitchens", url: "https://acme.example" },
    version: "2.1.0",
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain", "application/json"],
    skills: [
      {
        id: "find-recipe",
        name: "Find a recipe",
        description: "Finds recipes by ingredient",
        tags: ["cooking", "search"],
        examples: ["What can I cook with leeks?"],
        inputModes: [],
        outputModes: ["application/json"],
        securityRequirements: [],
      },
      { id: "convert-units", name: "Convert units", description: "Cups to grams", tags: [], examples: [], inputModes: [], outputModes: [], securityRequirements: [] },
    ],
    signatures: [],
  };
}

/** A v1.0 card in protobuf-JSON style: empty fields omitted. */
const protoJsonCard = (base: string) => ({
  name: "Minimal Agent",
  supportedInterfaces: [{ url: `${base}/rpc`, protocolBinding: "JSONRPC", protocolVersion: "1.0" }],
  capabilities: { streaming: false },
  skills: [{ id: "echo", name: "Echo" }],
});

/** A v0.3 card (fields as in @a2a-js/sdk compat/v0_3's AgentCard). */
const v03Card = (base: string) => ({
  protocolVersion: "0.3.0",
  name: "Legacy Agent",
  description: "Speaks A2A 0.3",
  url: `${base}/a2a/v1`,
  preferredTransport: "JSONRPC",
  version: "0.9.1",
  provider: { organization: "Old Co", url: "https://old.example" },
  capabilities: { streaming: true, pushNotifications: true, stateTransitionHistory: false },
  defaultInputModes: ["text/plain"],
  defaultOutputModes: ["text/plain"],
  skills: [
    { id: "summarise", name: "Summarise", description: "Summarises text", tags: ["text"], examples: ["Summarise this"], inputModes: ["text/plain", "application/pdf"] },
  ],
});

describe("A2A discovery", () => {
  let server: TestServer;
  let legacy: TestServer;
  let sdk: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const base = server.url;
      const cards: Record<string, unknown> = {
        "/.well-known/agent-card.json": sdkCard(base),
        "/minimal/.well-known/agent-card.json": protoJsonCard(base),
        "/cards/legacy.json": v03Card(base),
        "/bad/no-skills.json": { ...protoJsonCard(base), skills: undefined },
        "/bad/skill-without-id.json": { ...protoJsonCard(base), skills: [{ name: "Echo" }, { name: "Nameless" }] },
        "/bad/skills-not-list.json": { ...protoJsonCard(base), skills: "echo" },
        "/bad/no-address.json": { name: "Lost", skills: [] },
        "/bad/no-name.json": { ...v03Card(base), name: undefined },
        "/bad/no-interfaces.json": { ...protoJsonCard(base), supportedInterfaces: [] },
        "/bad/grpc-only.json": { ...protoJsonCard(base), supportedInterfaces: [{ url: `${base}/grpc`, protocolBinding: "GRPC", protocolVersion: "1.0" }] },
        "/bad/list.json": [1, 2, 3],
        "/bad/metadata-endpoint.json": { ...v03Card(base), url: "http://169.254.169.254/latest" },
        "/relative.json": { ...v03Card(base), url: "/a2a/relative" },
      };
      const card = cards[req.url ?? ""];
      if (card !== undefined) return sendJson(res, 200, card);
      if (req.url === "/html/.well-known/agent-card.json") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("<html></html>");
      }
      sendJson(res, 404, { error: "not found" });
    });
    // An older agent that serves its card only at the v0.2/v0.3 well-known name.
    legacy = await startTestServer((req, res) => (req.url === "/.well-known/agent.json" ? sendJson(res, 200, v03Card(legacy.url)) : sendJson(res, 404, {})));

    // A real SDK server: agentCardHandler with the v0.3 compatibility layer on.
    const app = express();
    app.use("/.well-known/agent-card.json", agentCardHandler({ agentCardProvider: async () => sdkCard(sdk.url), legacyCompat: { enabled: true } }));
    const listener = await new Promise<import("node:http").Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    sdk = {
      url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
      close: () => new Promise((resolve) => listener.close(() => resolve())),
    };
  });
  afterAll(async () => {
    await server.close();
    await legacy.close();
    await sdk.close();
  });

  it("reads a v1.0 card and picks the JSON-RPC interface", async () => {
    const d = await discoverA2A({ url: server.url, network });
    expect(d).toMatchObject({
      protocol: "A2A",
      endpointUrl: `${server.url}/a2a/jsonrpc`,
      sourceUrl: `${server.url}/.well-known/agent-card.json`,
      name: "Recipe Agent",
      description: "Helps with recipes",
      version: "2.1.0",
      provider: "Acme Kitchens",
      protocolVersion: "1.0",
      capabilities: { streaming: true, pushNotifications: false },
    });
    expect(d.skills).toEqual([
      {
        kind: "skill",
        key: "find-recipe",
        name: "Find a recipe",
        description: "Finds recipes by ingredient",
        tags: ["cooking", "search"],
        inputModes: ["text/plain"], // the card's default, as the skill names none
        outputModes: ["application/json"],
        inputSchema: null,
        examples: ["What can I cook with leeks?"],
      },
      expect.objectContaining({ key: "convert-units", tags: [], outputModes: ["text/plain", "application/json"] }),
    ]);
    expect(d.document).toMatchObject({ name: "Recipe Agent" });
  });

  it("reads a protobuf-JSON style v1.0 card with fields left out", async () => {
    const d = await discoverA2A({ url: `${server.url}/minimal/`, network });
    expect(d).toMatchObject({ name: "Minimal Agent", description: null, version: null, provider: null, endpointUrl: `${server.url}/rpc`, protocolVersion: "1.0" });
    expect(d.skills).toEqual([expect.objectContaining({ key: "echo", name: "Echo", description: null, tags: [], examples: [] })]);
  });

  it("reads a v0.3 card from an explicit .json URL", async () => {
    const d = await discoverA2A({ url: `${server.url}/cards/legacy.json`, network });
    expect(d).toMatchObject({
      endpointUrl: `${server.url}/a2a/v1`,
      sourceUrl: `${server.url}/cards/legacy.json`,
      name: "Legacy Agent",
      version: "0.9.1",
      provider: "Old Co",
      protocolVersion: "0.3.0",
      capabilities: { streaming: true, pushNotifications: true },
    });
    expect(d.skills[0]).toMatchObject({ key: "summarise", inputModes: ["text/plain", "application/pdf"], outputModes: ["text/plain"], tags: ["text"] });
  });

  it("falls back to /.well-known/agent.json", async () => {
    const d = await discoverA2A({ url: legacy.url, network });
    expect(d.sourceUrl).toBe(`${legacy.url}/.well-known/agent.json`);
    expect(d.name).toBe("Legacy Agent");
  });

  it("resolves a relative interface URL against the card's URL", async () => {
    const d = await discoverA2A({ url: `${server.url}/relative.json`, network });
    expect(d.endpointUrl).toBe(`${server.url}/a2a/relative`);
  });

  it("reads the v1.0 card from an SDK server with the v0.3 layer on, by asking for A2A-Version 1.0", async () => {
    const d = await discoverA2A({ url: sdk.url, network });
    expect(d).toMatchObject({ name: "Recipe Agent", endpointUrl: `${sdk.url}/a2a/jsonrpc`, protocolVersion: "1.0" });
    expect(d.skills.map((s) => s.key)).toEqual(["find-recipe", "convert-units"]);
  });

  it("reads the v0.3 card the same SDK server translates for 0.3 clients", async () => {
    const res = await fetch(`${sdk.url}/.well-known/agent-card.json`, { headers: { "A2A-Version": "0.3" } });
    const card = (await res.json()) as Record<string, unknown>;
    expect(card.url).toBeTypeOf("string");
    // Parse it as a plain v0.3 card (without the v1.0 interfaces the SDK embeds for newer readers).
    delete card.supportedInterfaces;
    const d = await fromCard(card, `${sdk.url}/.well-known/agent-card.json`, network);
    expect(d).toMatchObject({ name: "Recipe Agent", endpointUrl: `${sdk.url}/a2a/jsonrpc`, provider: "Acme Kitchens" });
    expect(d.skills.map((s) => s.key)).toEqual(["find-recipe", "convert-units"]);
  });

  it.each([
    ["/bad/no-skills.json", 'The agent card has no "skills" list.'],
    ["/bad/skill-without-id.json", 'Skill 1 in the agent card has no "id".'],
    ["/bad/skills-not-list.json", `The agent card's "skills" must be a list, not a string.`],
    ["/bad/no-name.json", 'The agent card has no "name".'],
    ["/bad/no-interfaces.json", 'The agent card lists no "supportedInterfaces".'],
    ["/bad/no-address.json", 'has neither "supportedInterfaces" (A2A 1.0) nor "url" (A2A 0.3)'],
    ["/bad/list.json", "is not an agent card: it holds a list, not a JSON object."],
  ])("explains what is wrong with %s", async (path, message) => {
    const e = await discoverA2A({ url: `${server.url}${path}`, network }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DiscoveryError);
    expect((e as DiscoveryError).code).toBe("invalid_document");
    expect((e as DiscoveryError).message).toContain(message);
  });

  it("refuses a card whose only interface is gRPC", async () => {
    await expect(discoverA2A({ url: `${server.url}/bad/grpc-only.json`, network })).rejects.toMatchObject({
      code: "unsupported",
      message: expect.stringContaining("offers only GRPC interfaces; HelixAgent talks to A2A agents over JSON-RPC"),
    });
  });

  it("refuses a card that sends traffic to the metadata address", async () => {
    await expect(discoverA2A({ url: `${server.url}/bad/metadata-endpoint.json`, network })).rejects.toMatchObject({
      code: "blocked_address",
      message: expect.stringContaining("The agent card sends messages to http://169.254.169.254"),
    });
  });

  it("lists what it tried when there is no card", async () => {
    const empty = await startTestServer((_req, res) => sendJson(res, 404, {}));
    const e = (await discoverA2A({ url: `${empty.url}/nothing/here`, network }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e.code).toBe("http_error");
    expect(e.status).toBe(404);
    expect(e.message).toContain(`No A2A agent card found. Tried ${empty.url}/nothing/here/.well-known/agent-card.json (answered 404), `);
    expect(e.message).toContain(`${empty.url}/.well-known/agent.json (answered 404). Enter the agent card's URL`);
    await empty.close();
  });

  it("does not try other paths on a host it cannot reach", async () => {
    await expect(discoverA2A({ url: server.url, network: { allowPrivateNetworks: false } })).rejects.toMatchObject({ code: "blocked_address" });
  });
});

describe("a2aCardCandidates", () => {
  it.each([
    ["https://a.example", ["https://a.example/.well-known/agent-card.json", "https://a.example/.well-known/agent.json"]],
    ["https://a.example/card.json", ["https://a.example/card.json"]],
    [
      "https://a.example/agents/x/",
      [
        "https://a.example/agents/x/.well-known/agent-card.json",
        "https://a.example/agents/x/.well-known/agent.json",
        "https://a.example/.well-known/agent-card.json",
        "https://a.example/.well-known/agent.json",
      ],
    ],
  ])("%s", (url, expected) => {
    expect(a2aCardCandidates(url).map((u) => u.href)).toEqual(expected);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, startTestServer, type TestServer } from "../net/test-server";
import { DiscoveryError } from "./errors";
import { discoverOpenAI, openAiBaseCandidates } from "./openai";

const network = { allowPrivateNetworks: true };
const models = {
  object: "list",
  data: [
    { id: "gpt-4o-mini", object: "model", created: 1721172741, owned_by: "system" },
    { id: "text-embedding-3-small", object: "model", created: 1705948997, owned_by: "system" },
  ],
};

describe("OpenAI-compatible discovery", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const auth = req.headers.authorization;
      switch (req.url) {
        case "/v1/models":
          return sendJson(res, 200, models);
        case "/plain/models": // a server that mounts the API without /v1
          return sendJson(res, 200, { data: [{ id: "llama3" }] });
        case "/private/v1/models":
          return auth === "Bearer sk-test" ? sendJson(res, 200, models) : sendJson(res, 401, { error: { message: "Invalid API key" } });
        case "/broken/v1/models":
          return sendJson(res, 200, { object: "list", models: [] });
        case "/broken-entry/v1/models":
          return sendJson(res, 200, { data: [{ id: "ok" }, { object: "model" }] });
        case "/html/v1/models":
          res.writeHead(200, { "content-type": "text/html" });
          return res.end("<html>login</html>");
        default:
          return sendJson(res, 404, { error: "not found" });
      }
    });
  });
  afterAll(() => server.close());

  it("lists models from <url>/v1/models when the URL has no /v1", async () => {
    const d = await discoverOpenAI({ url: server.url, network });
    expect(d).toMatchObject({
      protocol: "OPENAI",
      endpointUrl: `${server.url}/v1`,
      sourceUrl: `${server.url}/v1/models`,
      provider: "system",
      name: null,
      protocolVersion: null,
    });
    expect(d.skills).toEqual([
      { kind: "model", key: "gpt-4o-mini", name: "gpt-4o-mini", description: null, tags: ["system"], inputModes: [], outputModes: [], inputSchema: null, examples: [] },
      expect.objectContaining({ kind: "model", key: "text-embedding-3-small" }),
    ]);
    expect(d.document).toEqual(models);
  });

  it("uses a /v1 base URL as given", async () => {
    const d = await discoverOpenAI({ url: `${server.url}/v1/`, network });
    expect(d.endpointUrl).toBe(`${server.url}/v1`);
  });

  it("accepts the models URL itself", async () => {
    const d = await discoverOpenAI({ url: `${server.url}/v1/models`, network });
    expect(d.endpointUrl).toBe(`${server.url}/v1`);
  });

  it("falls back to <url>/models", async () => {
    const d = await discoverOpenAI({ url: `${server.url}/plain`, network });
    expect(d).toMatchObject({ endpointUrl: `${server.url}/plain`, provider: null });
    expect(d.skills.map((s) => s.key)).toEqual(["llama3"]);
  });

  it("sends an API key as a bearer token", async () => {
    const d = await discoverOpenAI({ url: `${server.url}/private`, network, credential: { kind: "api_key", value: "sk-test" } });
    expect(d.skills).toHaveLength(2);
  });

  it("asks for a key on 401 and stops there", async () => {
    const before = server.requests.length;
    const e = (await discoverOpenAI({ url: `${server.url}/private`, network }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e).toBeInstanceOf(DiscoveryError);
    expect(e.code).toBe("http_error");
    expect(e.status).toBe(401);
    expect(e.message).toContain("the API needs a key");
    expect(server.requests.length - before).toBe(1);
  });

  it("names the missing field of a malformed list", async () => {
    await expect(discoverOpenAI({ url: `${server.url}/broken`, network })).rejects.toMatchObject({
      code: "invalid_document",
      message: expect.stringContaining('The model list has no "data" list.'),
    });
    await expect(discoverOpenAI({ url: `${server.url}/broken-entry`, network })).rejects.toMatchObject({
      code: "invalid_document",
      message: expect.stringContaining('Model 2 in the model list has no "id".'),
    });
  });

  it("lists what it tried when nothing answers", async () => {
    const e = (await discoverOpenAI({ url: `${server.url}/nothing`, network }).catch((err: unknown) => err)) as DiscoveryError;
    expect(e.code).toBe("http_error");
    expect(e.message).toBe(
      `No OpenAI-compatible model list found. Tried ${server.url}/nothing/v1/models (answered 404), ${server.url}/nothing/models (answered 404). Enter the API's base URL, usually ending in /v1.`,
    );
  });

  it("says not_json for a login page", async () => {
    await expect(discoverOpenAI({ url: `${server.url}/html/v1`, network })).rejects.toMatchObject({ code: "not_json" });
  });
});

describe("openAiBaseCandidates", () => {
  it.each([
    ["https://api.example.com", ["https://api.example.com/v1", "https://api.example.com"]],
    ["https://api.example.com/v1", ["https://api.example.com/v1"]],
    ["https://api.example.com/v1/", ["https://api.example.com/v1"]],
    ["https://api.example.com/openai/v1/models", ["https://api.example.com/openai/v1"]],
    ["https://api.example.com/llm?x=1", ["https://api.example.com/llm/v1", "https://api.example.com/llm"]],
  ])("%s", (url, expected) => {
    expect(openAiBaseCandidates(url)).toEqual(expected);
  });
});

import { describe, expect, it } from "vitest";
import { canonicalJson, checkManifest, fillTemplate, manifestSchema, placeholders, signedPayload } from "./manifest";
import { configSchemaSchema, configValidator, secretFields } from "./config-schema";

const plugin = { kind: "GATEWAY_PLUGIN", serviceUrl: "https://plugins.example.com/hook", hooks: ["before_request"] };

function problem(raw: unknown) {
  const result = checkManifest(raw);
  if (result.ok) throw new Error(`expected the manifest to be refused: ${JSON.stringify(raw)}`);
  return result;
}

describe("gateway plugin manifests", () => {
  it("fills in the defaults: 1 s budget, fail open, an empty configuration form", () => {
    const parsed = manifestSchema.parse(plugin);
    expect(parsed).toEqual({ ...plugin, timeoutMs: 1000, failMode: "open", configSchema: { type: "object", properties: {}, required: [] } });
  });

  it("points at the field that is wrong", () => {
    expect(problem({ ...plugin, hooks: ["before_request", "on_error"] })).toMatchObject({ path: "manifest.hooks.1", message: expect.stringContaining("manifest.hooks.1: A hook point is before_request, after_response, stream_chunk") });
    expect(problem({ ...plugin, hooks: [] }).message).toContain("manifest.hooks: Name at least one hook point");
    expect(problem({ ...plugin, hooks: ["before_request", "before_request"] }).message).toContain("listed twice");
    expect(problem({ ...plugin, timeoutMs: 60_000 })).toMatchObject({ path: "manifest.timeoutMs", message: expect.stringContaining("10–10000 ms") });
    expect(problem({ ...plugin, failMode: "maybe" }).message).toContain('failMode is "open" or "closed"');
    expect(problem({ ...plugin, serviceUrl: "ftp://x.example.com" }).message).toContain("http:// or https://");
    expect(problem({ ...plugin, serviceUrl: "https://user:pw@x.example.com" }).message).toContain("no credentials");
    expect(problem({ ...plugin, hookz: [] }).message).toContain('Unknown field "hookz" in a gateway plugin manifest');
    expect(problem({ kind: "THEME" }).message).toContain("The manifest's kind is GATEWAY_PLUGIN, POLICY_PACK, ROUTE_TEMPLATE, AGENT_TEMPLATE");
    expect(problem("not an object").ok).toBe(false);
  });

  it("accepts a configuration schema with the supported features", () => {
    const configSchema = {
      type: "object",
      properties: {
        keywords: { type: "string", title: "Keywords", minLength: 1 },
        mode: { type: "string", enum: ["block", "flag"], default: "block" },
        apiKey: { type: "string", secret: true },
        limit: { type: "integer", minimum: 1, maximum: 10, default: 3 },
        ratio: { type: "number" },
        loud: { type: "boolean", default: false },
      },
      required: ["keywords", "apiKey"],
      additionalProperties: false,
    };
    const parsed = manifestSchema.parse({ ...plugin, configSchema });
    expect(parsed.kind === "GATEWAY_PLUGIN" && secretFields(parsed.configSchema)).toEqual(["apiKey"]);
  });

  it("refuses JSON Schema features it does not support, naming them", () => {
    const withProps = (properties: unknown, extra: object = {}) => ({ ...plugin, configSchema: { type: "object", properties, ...extra } });
    expect(problem(withProps({ a: { type: "object", properties: {} } })).message).toContain("manifest.configSchema.properties.a.type");
    expect(problem(withProps({ a: { type: "array", items: { type: "string" } } })).message).toContain('"string", "number", "integer" or "boolean"');
    expect(problem(withProps({ a: { type: "string", pattern: "^x" } })).message).toContain('Unsupported JSON Schema keyword "pattern"');
    expect(problem(withProps({}, { oneOf: [] })).message).toContain('Unsupported JSON Schema keyword "oneOf"');
    expect(problem({ ...plugin, configSchema: { type: "array" } }).message).toContain('"type": "object"');
    expect(problem(withProps({ a: { type: "string" } }, { required: ["b"] })).message).toContain('"b" is required but is not one of the properties');
    expect(problem(withProps({ a: { type: "string", secret: true, default: "hunter2" } })).message).toContain("A secret field cannot have a default");
    expect(problem(withProps({ a: { type: "string", enum: ["x"], default: "y" } })).message).toContain("one of the enum's values");
    expect(problem(withProps({ a: { type: "integer", default: 1.5 } })).message).toContain("whole number");
    expect(problem(withProps({ "9lives": { type: "string" } })).message).toContain('manifest.configSchema.properties.9lives: "9lives" is not a usable field name');
  });
});

describe("policy pack manifests", () => {
  const redact = { name: "Mask PII", condition: "true", effect: "REDACT", params: { kinds: ["EMAIL"], direction: "BOTH" } };

  it("reuses the policy editor's rules, without scope or confirmation", () => {
    const parsed = manifestSchema.parse({ kind: "POLICY_PACK", policies: [redact, { name: "Watch cards", mode: "MONITOR", condition: '"CARD" in request.pii', effect: "DENY", params: {} }] });
    expect(parsed.kind === "POLICY_PACK" && parsed.policies.map((p) => [p.name, p.mode, p.enabled])).toEqual([
      ["Mask PII", "ENFORCE", true],
      ["Watch cards", "MONITOR", true],
    ]);
    expect(problem({ kind: "POLICY_PACK", policies: [{ ...redact, confirm: true }] }).message).toContain('Unknown field "confirm"');
    expect(problem({ kind: "POLICY_PACK", policies: [{ ...redact, scope: "ROUTE" }] }).message).toContain('Unknown field "scope"');
  });

  it("checks conditions, effect parameters and PII kinds", () => {
    expect(problem({ kind: "POLICY_PACK", policies: [{ ...redact, condition: "request.nope ==" }] }).path).toBe("manifest.policies.0.condition");
    expect(problem({ kind: "POLICY_PACK", policies: [{ ...redact, params: {} }] })).toMatchObject({ path: "manifest.policies.0.params.kinds", message: expect.stringContaining("Choose the PII kinds") });
    expect(problem({ kind: "POLICY_PACK", policies: [{ ...redact, params: { kinds: ["EMPLOYEE_ID"] } }] }).message).toContain("EMPLOYEE_ID would not exist");
    expect(problem({ kind: "POLICY_PACK", policies: [] }).message).toContain("at least one policy");
    expect(problem({ kind: "POLICY_PACK", policies: [redact, redact] }).message).toContain("same name");
  });
});

describe("templates", () => {
  const routeTemplate = {
    kind: "ROUTE_TEMPLATE",
    configSchema: { type: "object", properties: { alias: { type: "string" }, first: { type: "string", "x-helix-ref": "agent" } }, required: ["alias", "first"] },
    route: { name: "Route {{alias}}", slug: "{{alias}}", alias: "{{ alias }}", strategy: "LATENCY", targets: [{ agent: "{{first}}" }] },
  };

  it("accepts placeholders naming configuration fields and fills them", () => {
    const parsed = manifestSchema.parse(routeTemplate);
    expect(parsed.kind).toBe("ROUTE_TEMPLATE");
    expect(placeholders("Route {{alias}} via {{ first }}")).toEqual(["alias", "first"]);
    expect(fillTemplate("Route {{alias}} via {{ first }}{{missing}}", { alias: "fast", first: "atlas" })).toBe("Route fast via atlas");
  });

  it("refuses unknown placeholders, secrets outside credentials and missing targets", () => {
    expect(problem({ ...routeTemplate, route: { ...routeTemplate.route, name: "{{title}}" } })).toMatchObject({ path: "manifest.route.name", message: expect.stringContaining("{{title}} is not a field of configSchema") });
    expect(problem({ ...routeTemplate, route: { ...routeTemplate.route, targets: [] } }).message).toContain("Add at least one target");
    const agentTemplate = {
      kind: "AGENT_TEMPLATE",
      configSchema: { type: "object", properties: { url: { type: "string" }, key: { type: "string", secret: true } }, required: ["url"] },
      agent: { protocol: "OPENAI", url: "{{url}}", name: "Agent", credential: { kind: "BEARER", secretField: "key" } },
    };
    expect(manifestSchema.parse(agentTemplate).kind).toBe("AGENT_TEMPLATE");
    expect(problem({ ...agentTemplate, agent: { ...agentTemplate.agent, name: "{{key}}" } }).message).toContain("secrets may only fill a credential");
    expect(problem({ ...agentTemplate, agent: { ...agentTemplate.agent, credential: { kind: "BEARER", secretField: "url" } } }).message).toContain('"url" must be a configSchema field marked "secret": true');
    expect(problem({ ...agentTemplate, agent: { ...agentTemplate.agent, credential: { kind: "HEADER", secretField: "key" } } }).message).toContain("names its header");
  });
});

describe("configuration values", () => {
  const schema = configSchemaSchema.parse({
    type: "object",
    properties: {
      keywords: { type: "string", title: "Keywords" },
      mode: { type: "string", enum: ["block", "flag"], default: "block" },
      limit: { type: "integer", minimum: 1, maximum: 10 },
    },
    required: ["keywords"],
  });
  const validate = configValidator(schema);

  it("fills defaults and checks types, enums, bounds and required fields", () => {
    expect(validate.parse({ keywords: "a,b" })).toEqual({ keywords: "a,b", mode: "block" });
    expect(validate.safeParse({}).error?.issues[0]?.path).toEqual(["keywords"]);
    expect(validate.safeParse({ keywords: "" }).error?.issues[0]?.message).toBe("Fill in Keywords");
    expect(validate.safeParse({ keywords: "x", mode: "shout" }).error?.issues[0]?.message).toBe("mode is one of block, flag");
    expect(validate.safeParse({ keywords: "x", limit: 11 }).error?.issues[0]?.message).toBe("limit is at most 10");
    expect(validate.safeParse({ keywords: "x", limit: 1.5 }).error?.issues[0]?.message).toBe("limit must be a whole number");
    expect(validate.safeParse({ keywords: "x", other: 1 }).error?.issues[0]?.message).toContain("Unknown configuration field other");
  });
});

describe("canonical JSON", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: "x" } })).toBe('{"a":{"c":"x","d":[3,1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it("writes no whitespace, drops undefined members and escapes like JSON", () => {
    expect(canonicalJson({ a: undefined, b: [undefined], "é": "line\nbreak \u2028", n: null, t: true, f: 1.5e-7 })).toBe('{"b":[null],"f":1.5e-7,"n":null,"t":true,"é":"line\\nbreak \u2028"}');
  });

  it("sorts keys by code point, not locale", () => {
    expect(canonicalJson({ a: 1, B: 2, _: 3, "10": 4, "9": 5 })).toBe('{"10":4,"9":5,"B":2,"_":3,"a":1}');
  });

  it("refuses values JSON cannot carry", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow("NaN");
    expect(() => canonicalJson({ x: () => 1 })).toThrow("function");
  });

  it("signs the listing and version along with the manifest", () => {
    expect(signedPayload({ listing: "x", version: "1.0.0", manifest: { b: 1, a: 2 } }).toString()).toBe('{"listing":"x","manifest":{"a":2,"b":1},"version":"1.0.0"}');
  });
});

import { describe, expect, it } from "vitest";
import { carryDrafts, configFields, initialDrafts, readConfig, readConfigSchema } from "./config-form";

const manifest = {
  kind: "GATEWAY_PLUGIN",
  configSchema: {
    type: "object",
    properties: {
      keywords: { type: "string", title: "Blocked keywords", description: "Comma-separated." },
      message: { type: "string", title: "Message to the client", default: "Blocked.", maxLength: 30 },
      caseSensitive: { type: "boolean", title: "Case-sensitive", default: false },
      apiKey: { type: "string", title: "API key", secret: true },
      level: { type: "string", enum: ["low", "high"], default: "low" },
      limit: { type: "integer", title: "Limit", minimum: 1, maximum: 10 },
      agent: { type: "string", "x-helix-ref": "agent" },
    },
    required: ["keywords", "apiKey"],
  },
};

const schema = readConfigSchema(manifest);
const fields = configFields(schema);

describe("configFields", () => {
  it("makes one control per property from the schema's keywords, the required ones first", () => {
    expect(fields.map((f) => [f.name, f.label, f.required, f.control.kind])).toEqual([
      ["keywords", "Blocked keywords", true, "text"],
      ["apiKey", "API key", true, "text"],
      ["message", "Message to the client", false, "text"],
      ["caseSensitive", "Case-sensitive", false, "boolean"],
      ["level", "level", false, "enum"],
      ["limit", "Limit", false, "number"],
      ["agent", "agent", false, "agent"],
    ]);
    const byName = Object.fromEntries(fields.map((f) => [f.name, f.control]));
    expect(byName.keywords).toMatchObject({ kind: "text", secret: false, multiline: true });
    expect(byName.message).toMatchObject({ kind: "text", multiline: false, maxLength: 30 });
    expect(byName.apiKey).toMatchObject({ kind: "text", secret: true, multiline: false });
    expect(byName.limit).toEqual({ kind: "number", integer: true, minimum: 1, maximum: 10 });
  });

  it("has no fields without a schema, or with one it cannot read", () => {
    expect(configFields(readConfigSchema({ kind: "POLICY_PACK" }))).toEqual([]);
    expect(readConfigSchema({ configSchema: { type: "array" } })).toBeNull();
  });
});

describe("drafts", () => {
  it("start from the current values, else the defaults; secrets always empty", () => {
    expect(initialDrafts(fields)).toEqual({ keywords: "", message: "Blocked.", caseSensitive: false, apiKey: "", level: "low", limit: "", agent: "" });
    expect(initialDrafts(fields, { keywords: "a, b", caseSensitive: true, limit: 3, apiKey: "never-sent" })).toMatchObject({ keywords: "a, b", caseSensitive: true, limit: "3", apiKey: "" });
  });

  it("carry over to another version's fields by name where the type fits", () => {
    const other = configFields(readConfigSchema({ configSchema: { type: "object", properties: { keywords: { type: "boolean" }, message: { type: "string" } } } }));
    expect(carryDrafts(other, { keywords: "typed", message: "kept" })).toEqual({ keywords: false, message: "kept" });
  });
});

describe("readConfig", () => {
  it("turns drafts into typed values and leaves empty optional fields out", () => {
    const read = readConfig(schema, { ...initialDrafts(fields), keywords: "  falcon ", apiKey: " s3cret ", limit: "4" });
    expect(read).toEqual({ ok: true, config: { keywords: "falcon", message: "Blocked.", caseSensitive: false, apiKey: " s3cret ", level: "low", limit: 4 } });
  });

  it("names each field that is wrong, with the server's own messages", () => {
    const read = readConfig(schema, { ...initialDrafts(fields), limit: "2.5", message: "x".repeat(31) });
    expect(read).toEqual({
      ok: false,
      errors: { keywords: "Fill in Blocked keywords", apiKey: "Fill in API key" },
    });
    const bounds = readConfig(schema, { ...initialDrafts(fields), keywords: "a", apiKey: "k", limit: "2.5", message: "x".repeat(31) });
    expect(bounds).toEqual({ ok: false, errors: { message: "Message to the client has at most 30 characters", limit: "Limit must be a whole number" } });
    expect(readConfig(schema, { ...initialDrafts(fields), keywords: "a", apiKey: "k", limit: "ten" })).toEqual({ ok: false, errors: { limit: "Limit must be a number" } });
  });

  it("keeps a stored secret when its field is left empty", () => {
    const read = readConfig(schema, { ...initialDrafts(fields), keywords: "a" }, ["apiKey"]);
    expect(read.ok && read.config).not.toHaveProperty("apiKey");
    expect(read.ok).toBe(true);
  });
});

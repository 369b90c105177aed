import { describe, expect, it } from "vitest";
import { capDocument } from "./document";
import { withoutToolSchemas } from "./mcp-tools";

describe("capDocument", () => {
  it("keeps a small document as a JSON-safe copy", () => {
    const doc = { a: 1, when: new Date(0), skip: undefined };
    expect(capDocument(doc)).toEqual({ a: 1, when: "1970-01-01T00:00:00.000Z" });
  });

  it("shrinks a large MCP document by dropping tool schemas", () => {
    const schema = { type: "object", properties: { q: { type: "string", description: "x".repeat(2_000) } } };
    const doc = { protocolVersion: "2025-11-25", tools: Array.from({ length: 100 }, (_, i) => ({ name: `t${i}`, description: "d", inputSchema: schema })) };
    const capped = capDocument(doc, { maxBytes: 50_000, shrink: withoutToolSchemas }) as { tools: { name: string; inputSchema?: unknown }[]; toolSchemasOmitted: boolean };
    expect(capped.toolSchemasOmitted).toBe(true);
    expect(capped.tools).toHaveLength(100);
    expect(capped.tools[0]).toEqual({ name: "t0", description: "d" });
  });

  it("marks what cannot be shrunk enough", () => {
    expect(capDocument({ blob: "x".repeat(5_000) }, { maxBytes: 1_000 })).toEqual({ truncated: true, bytes: 5_011 });
  });
});

import { z } from "zod";
import type { DiscoveredSkill } from "./types";

/** Limits on what one discovery reads from an MCP server's `tools/list`. */
export const MAX_TOOL_PAGES = 50;
export const MAX_TOOLS = 2_000;

export const CLIENT_INFO = { name: "helixagent-discovery", version: "1.0.0" };

/** An MCP tool as discovery needs it; other fields pass through into the document. */
export const toolSchema = z.looseObject({
  name: z.string().min(1),
  title: z.string().nullish(),
  description: z.string().nullish(),
  inputSchema: z.record(z.string(), z.unknown()).nullish(),
  annotations: z
    .looseObject({
      title: z.string().nullish(),
      readOnlyHint: z.boolean().nullish(),
      destructiveHint: z.boolean().nullish(),
      idempotentHint: z.boolean().nullish(),
      openWorldHint: z.boolean().nullish(),
    })
    .nullish(),
});
export type McpTool = z.infer<typeof toolSchema>;

const HINT_TAGS = [
  ["readOnlyHint", "read-only"],
  ["destructiveHint", "destructive"],
  ["idempotentHint", "idempotent"],
  ["openWorldHint", "open-world"],
] as const;

export function toolToSkill(tool: McpTool): DiscoveredSkill {
  return {
    kind: "tool",
    key: tool.name,
    name: tool.title || tool.annotations?.title || tool.name,
    description: tool.description || null,
    // Hints the server states explicitly become tags, so tools can be found by what they do.
    tags: HINT_TAGS.filter(([hint]) => tool.annotations?.[hint] === true).map(([, tag]) => tag),
    inputModes: [],
    outputModes: [],
    inputSchema: tool.inputSchema ?? null,
    examples: [],
  };
}

/** For an oversized document: tools keep their names and descriptions, lose their schemas. */
export function withoutToolSchemas(doc: unknown): unknown {
  const d = doc as { tools?: McpTool[] };
  if (!Array.isArray(d.tools)) return doc;
  return { ...d, tools: d.tools.map((t) => ({ name: t.name, title: t.title, description: t.description })), toolSchemasOmitted: true };
}

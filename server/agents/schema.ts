import { z } from "zod";
import { idSchema, orgSlugSchema } from "@/server/orgs/schema";

export const PROTOCOLS = ["A2A", "MCP", "OPENAI"] as const;
export const protocolSchema = z.enum(PROTOCOLS, { message: "Protocol must be A2A, MCP or OPENAI" });
export const agentStatusSchema = z.enum(["ACTIVE", "DISABLED", "UNHEALTHY"], { message: "Status must be ACTIVE, DISABLED or UNHEALTHY" });
export const skillKindSchema = z.enum(["SKILL", "TOOL", "MODEL"]);

export const protocolLabel: Record<(typeof PROTOCOLS)[number], string> = {
  A2A: "A2A agent",
  MCP: "MCP server",
  OPENAI: "OpenAI-compatible",
};

export const agentUrlSchema = z
  .string({ message: "Give the agent's URL" })
  .trim()
  .min(1, "Give the agent's URL")
  .max(2048, "A URL has at most 2048 characters")
  .superRefine((v, ctx) => {
    if (!URL.canParse(v)) {
      ctx.addIssue({ code: "custom", message: "That is not a URL; include the scheme, e.g. https://agents.example.com" });
      return;
    }
    const url = new URL(v);
    if (!/^https?:$/.test(url.protocol)) ctx.addIssue({ code: "custom", message: "Only http:// and https:// URLs can be registered" });
    if (url.username || url.password) ctx.addIssue({ code: "custom", message: "Put credentials in the credential field, not in the URL" });
  });

const secretValue = z
  .string({ message: "Give the secret" })
  .min(1, "The secret is empty")
  .max(4096, "A secret has at most 4096 characters")
  .refine((v) => !/[\r\n]/.test(v), "A secret cannot contain line breaks");

export const credentialInput = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("BEARER"), value: secretValue }),
    z.object({ kind: z.literal("API_KEY"), value: secretValue }),
    z.object({
      kind: z.literal("HEADER"),
      headerName: z
        .string({ message: "Give the header name" })
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "A header name is 1–64 letters, digits or - _ . characters, e.g. X-Agent-Token"),
      value: secretValue,
    }),
  ],
  { message: "Credential kind must be BEARER, API_KEY or HEADER" },
);
export type CredentialInput = z.infer<typeof credentialInput>;

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._:-]{0,39}$/, "A tag is 1–40 lowercase letters, digits or . _ : - characters");
export const tagsSchema = z.array(tagSchema).max(20, "At most 20 tags").default([]);

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} has at most ${max} characters`)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional();

export const PRICE_MESSAGE = "A price is a number of US dollars per million tokens, 0–10000";

/**
 * Whether a number, as written, has at most 6 decimals. `String()` gives the shortest form that
 * reads back as the same number, so "0.15" stays "0.15"; anything non-zero below 0.000001 is
 * written with an exponent and has more than 6 decimals.
 */
export function hasAtMostSixDecimals(value: number): boolean {
  const text = String(value);
  if (/e-/i.test(text)) return false;
  return (text.split(".")[1] ?? "").length <= 6;
}

/** USD per million tokens; null clears it. The gateway records a request's cost only when both prices are set. */
export const pricePerMTokSchema = z
  .number({ message: PRICE_MESSAGE })
  .min(0, PRICE_MESSAGE)
  .max(10_000, PRICE_MESSAGE)
  .refine(hasAtMostSixDecimals, "A price has at most 6 decimals, e.g. 0.000125")
  .nullable()
  .optional();

export const agentNameSchema = z.string().trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters");

export const previewAgentInput = z.object({
  url: agentUrlSchema,
  protocol: protocolSchema.optional(),
  credential: credentialInput.nullable().optional(),
});

export const registerAgentInput = previewAgentInput.extend({
  name: agentNameSchema.optional(),
  slug: orgSlugSchema.optional(),
  description: optionalText(2000, "A description"),
  region: optionalText(40, "A region"),
  provider: optionalText(80, "A provider"),
  tags: tagsSchema,
  inputPricePerMTok: pricePerMTokSchema,
  outputPricePerMTok: pricePerMTokSchema,
});

export const agentIdInput = z.object({ agentId: idSchema });

export const updateAgentInput = z.object({
  agentId: idSchema,
  name: agentNameSchema.optional(),
  description: optionalText(2000, "A description"),
  region: optionalText(40, "A region"),
  provider: optionalText(80, "A provider"),
  tags: tagsSchema.optional(),
  inputPricePerMTok: pricePerMTokSchema,
  outputPricePerMTok: pricePerMTokSchema,
  /** A new credential replaces the stored one; null removes it; leaving it out keeps it. */
  credential: credentialInput.nullable().optional(),
});

export const setAgentEnabledInput = z.object({ agentId: idSchema, enabled: z.boolean() });

const filters = {
  protocol: protocolSchema.optional(),
  status: agentStatusSchema.optional(),
  region: z.string().trim().max(40).optional(),
  tag: tagSchema.optional(),
};

export const searchQuerySchema = z.string().trim().min(1, "Type something to search for").max(200, "A search has at most 200 characters");

export const searchAgentsInput = z.object({ q: searchQuerySchema, ...filters, limit: z.number().int().min(1).max(100).default(20) });

export const listAgentsInput = z.object({
  q: z.string().trim().max(200, "A search has at most 200 characters").optional(),
  ...filters,
  sort: z.enum(["name", "createdAt", "status", "lastCheckedAt", "relevance"]).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});

export const skillView = z.object({
  kind: skillKindSchema,
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  inputModes: z.array(z.string()),
  outputModes: z.array(z.string()),
  examples: z.array(z.string()),
  inputSchema: z.json().nullable(),
});
export type SkillView = z.infer<typeof skillView>;

export const agentSummary = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string().nullable(),
  protocol: protocolSchema,
  endpointUrl: z.string(),
  region: z.string().nullable(),
  provider: z.string().nullable(),
  tags: z.array(z.string()),
  status: agentStatusSchema,
  skillCount: z.number().int(),
  lastCheckedAt: z.date().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  createdAt: z.date(),
});
export type AgentSummary = z.infer<typeof agentSummary>;

export const credentialView = z
  .object({ kind: z.enum(["BEARER", "API_KEY", "HEADER"]), headerName: z.string().nullable(), set: z.literal(true) })
  .nullable();

export const agentDetail = agentSummary.extend({
  sourceUrl: z.string(),
  version: z.string().nullable(),
  protocolVersion: z.string().nullable(),
  capabilities: z.json(),
  document: z.json().nullable(),
  discoveredAt: z.date().nullable(),
  discoveryError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  credential: credentialView,
  inputPricePerMTok: z.number().nullable(),
  outputPricePerMTok: z.number().nullable(),
  skills: z.array(skillView),
});
export type AgentDetail = z.infer<typeof agentDetail>;

export const discoveryPreview = z.object({
  protocol: protocolSchema,
  endpointUrl: z.string(),
  sourceUrl: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  version: z.string().nullable(),
  provider: z.string().nullable(),
  protocolVersion: z.string().nullable(),
  suggestedName: z.string(),
  suggestedSlug: z.string(),
  skills: z.array(skillView),
});

const matchedSkills = z.array(z.object({ kind: skillKindSchema, key: z.string(), name: z.string() }));

/** A row of the agents table; with a search query, which skills made the agent match. */
export const agentRow = agentSummary.extend({ matchedSkills });
export type AgentRow = z.infer<typeof agentRow>;

export const agentPage = z.object({ agents: z.array(agentRow), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const searchHit = z.object({ agent: agentSummary, score: z.number(), matchedSkills });
export type SearchHit = z.infer<typeof searchHit>;

export const discoveryView = z.object({
  id: z.string(),
  at: z.date(),
  trigger: z.string(),
  ok: z.boolean(),
  error: z.string().nullable(),
  version: z.string().nullable(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  skillCount: z.number().int(),
});

export const healthView = z.object({
  checks: z.array(z.object({ at: z.date(), ok: z.boolean(), latencyMs: z.number().int().nullable(), error: z.string().nullable() })),
  changes: z.array(z.object({ at: z.date(), from: agentStatusSchema, to: agentStatusSchema, reason: z.string() })),
});

export { orgSlugSchema };

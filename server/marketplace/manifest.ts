import { z } from "zod";
import { BUILT_IN_PII_KIND_NAMES, policyConfigInput } from "@/server/policies/schema";
import { checkCondition } from "@/server/policies/cel";
import { STRATEGIES } from "@/server/routes/schema";
import { PROTOCOLS, tagSchema } from "@/server/agents/schema";
import { configSchemaSchema, EMPTY_CONFIG_SCHEMA, secretFields, type ConfigSchema } from "./config-schema";
import { helixRangeSchema } from "./compatibility";

/*
 * What a listing version installs, one manifest per version, validated here and signed by the
 * publisher (server/marketplace/signing.ts). A discriminated union on `kind`, which must equal the
 * listing's kind. Unknown fields are refused, so a typo in a manifest is an error, not a no-op.
 * Every kind may say which HelixAgent versions it works with (`helixVersion`, a semver range;
 * omitted: any), see compatibility.ts.
 */

export const LISTING_KINDS = ["GATEWAY_PLUGIN", "POLICY_PACK", "ROUTE_TEMPLATE", "AGENT_TEMPLATE"] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];
export const listingKindSchema = z.enum(LISTING_KINDS, { message: "The kind is GATEWAY_PLUGIN, POLICY_PACK, ROUTE_TEMPLATE or AGENT_TEMPLATE" });

export const listingKindLabel: Record<ListingKind, string> = {
  GATEWAY_PLUGIN: "Gateway plugin",
  POLICY_PACK: "Policy pack",
  ROUTE_TEMPLATE: "Route template",
  AGENT_TEMPLATE: "Agent template",
};

/** Manifests are small; this caps what is stored and signed per version. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

const unknownKeys = (where: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys" ? `Unknown field${(issue.keys?.length ?? 0) > 1 ? "s" : ""} ${issue.keys?.map((k) => `"${k}"`).join(", ")} in ${where}` : undefined,
});

// ---------------------------------------------------------------------------------------------
// Gateway plugin

export const HOOK_POINTS = ["before_request", "after_response", "stream_chunk"] as const;
export type HookPoint = (typeof HOOK_POINTS)[number];
export const PLUGIN_TIMEOUT_MS = { min: 10, max: 10_000, default: 1_000 } as const;

const serviceUrlSchema = z
  .string({ message: "Give the plugin service's URL" })
  .trim()
  .max(2048, "A URL has at most 2048 characters")
  .superRefine((v, ctx) => {
    if (!URL.canParse(v)) return void ctx.addIssue({ code: "custom", message: "That is not a URL; include the scheme, e.g. https://plugins.example.com/hook" });
    const url = new URL(v);
    if (!/^https?:$/.test(url.protocol)) ctx.addIssue({ code: "custom", message: "A plugin service URL is http:// or https://" });
    if (url.username || url.password) ctx.addIssue({ code: "custom", message: "A plugin service URL carries no credentials; use a secret configuration field" });
  });

export const gatewayPluginManifest = z.strictObject(
  {
    kind: z.literal("GATEWAY_PLUGIN"),
    helixVersion: helixRangeSchema.optional(),
    /** Where the gateway POSTs hook calls. */
    serviceUrl: serviceUrlSchema,
    /** before_request: may allow, deny or rewrite the request; after_response: the answer; stream_chunk: each streamed chunk. */
    hooks: z
      .array(z.enum(HOOK_POINTS, { message: `A hook point is ${HOOK_POINTS.join(", ")}` }))
      .min(1, "Name at least one hook point")
      .max(HOOK_POINTS.length)
      .refine((h) => new Set(h).size === h.length, "A hook point is listed twice"),
    /** The time budget of one hook call; past it the install's fail mode decides. */
    timeoutMs: z
      .number({ message: "timeoutMs is a number of milliseconds" })
      .int("timeoutMs is a whole number of milliseconds")
      .min(PLUGIN_TIMEOUT_MS.min, `timeoutMs is ${PLUGIN_TIMEOUT_MS.min}–${PLUGIN_TIMEOUT_MS.max} ms`)
      .max(PLUGIN_TIMEOUT_MS.max, `timeoutMs is ${PLUGIN_TIMEOUT_MS.min}–${PLUGIN_TIMEOUT_MS.max} ms`)
      .default(PLUGIN_TIMEOUT_MS.default),
    /** What an install does by default when the service fails or times out: open lets the request through. */
    failMode: z.enum(["open", "closed"], { message: 'failMode is "open" or "closed"' }).default("open"),
    configSchema: configSchemaSchema.default(EMPTY_CONFIG_SCHEMA),
  },
  unknownKeys("a gateway plugin manifest"),
);

// ---------------------------------------------------------------------------------------------
// Policy pack: policies as the policy editor saves them, minus what only an install can know
// (the scope: the organization or the routes chosen at install) and the deny-all confirmation.

const policyShape = policyConfigInput.shape;
const portablePiiKinds = new Set<string>(["ALL", ...BUILT_IN_PII_KIND_NAMES]);

export const packPolicySchema = z
  .strictObject(
    {
      name: policyShape.name,
      description: policyShape.description,
      enabled: policyShape.enabled,
      mode: policyShape.mode,
      condition: policyShape.condition,
      effect: policyShape.effect,
      params: policyShape.params,
    },
    unknownKeys("a pack policy (scope is chosen at install; there is no confirm flag)"),
  )
  .superRefine((p, ctx) => {
    // The policy editor's own cross-field rules (what each effect needs), as an organization-wide policy.
    const full = policyConfigInput.safeParse({ ...p, scope: "ORGANIZATION" });
    if (!full.success) for (const issue of full.error.issues) ctx.addIssue({ code: "custom", path: issue.path as PropertyKey[], message: issue.message });
    const condition = checkCondition(p.condition, "condition");
    if (!condition.ok) ctx.addIssue({ code: "custom", path: ["condition"], message: condition.error.message });
    if (p.effect === "RESTRICT_ROUTING" && p.params.agentCondition !== undefined) {
      const agent = checkCondition(p.params.agentCondition, "agentCondition");
      if (!agent.ok) ctx.addIssue({ code: "custom", path: ["params", "agentCondition"], message: agent.error.message });
    }
    const foreign = (p.params.kinds ?? []).filter((k) => !portablePiiKinds.has(k));
    if (foreign.length) {
      ctx.addIssue({
        code: "custom",
        path: ["params", "kinds"],
        message: `A policy pack can only mask the built-in PII kinds (${[...portablePiiKinds].join(", ")}); ${foreign.join(", ")} would not exist in the installing organization`,
      });
    }
  });
export type PackPolicy = z.output<typeof packPolicySchema>;

export const policyPackManifest = z.strictObject(
  {
    kind: z.literal("POLICY_PACK"),
    helixVersion: helixRangeSchema.optional(),
    policies: z
      .array(packPolicySchema)
      .min(1, "A policy pack has at least one policy")
      .max(50, "A policy pack has at most 50 policies")
      .refine((ps) => new Set(ps.map((p) => p.name.toLowerCase())).size === ps.length, "Two policies of the pack have the same name"),
  },
  unknownKeys("a policy pack manifest"),
);

// ---------------------------------------------------------------------------------------------
// Templates: a configuration form, and the fields of what they create, where text may use
// {{field}} placeholders filled from the form at install.

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The configuration fields a templated text refers to. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Fills `{{field}}` placeholders from configuration values (a missing value becomes empty text). */
export function fillTemplate(text: string, values: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => (values[name] === undefined || values[name] === null ? "" : String(values[name])));
}

const templated = (what: string, max: number) =>
  z
    .string({ message: `Give the ${what}` })
    .trim()
    .min(1, `Give the ${what}`)
    .max(max, `The ${what} has at most ${max} characters`);

/** Every placeholder used in `texts` names a field of the schema; secrets only where allowed. */
function checkPlaceholders(ctx: z.RefinementCtx, schema: ConfigSchema, texts: [path: PropertyKey[], text: string | null | undefined][], secretOk: PropertyKey[][] = []) {
  const secrets = new Set(secretFields(schema));
  for (const [path, text] of texts) {
    for (const name of placeholders(text ?? "")) {
      if (!(name in schema.properties)) {
        ctx.addIssue({ code: "custom", path, message: `{{${name}}} is not a field of configSchema; add it to configSchema.properties or fix the name` });
      } else if (secrets.has(name) && !secretOk.some((p) => p.join(".") === path.join("."))) {
        ctx.addIssue({ code: "custom", path, message: `{{${name}}} is a secret field; secrets may only fill a credential` });
      }
    }
  }
}

const templateTarget = z.strictObject(
  {
    /** The agent's slug in the installing organization, usually a placeholder such as {{primaryAgent}}. */
    agent: templated("target's agent", 200),
    weight: z.number().int().min(0, "A weight is 0–1000").max(1000, "A weight is 0–1000").optional(),
    priority: z.number().int().min(0, "A priority is 0–100").max(100, "A priority is 0–100").optional(),
    model: z.string().trim().max(200).optional(),
  },
  unknownKeys("a route template target"),
);

const ms = (what: string, min: number, max: number) => z.number({ message: `${what} is a number of milliseconds` }).int().min(min, `${what} is at least ${min} ms`).max(max, `${what} is at most ${max} ms`);

export const routeTemplateManifest = z
  .strictObject(
    {
      kind: z.literal("ROUTE_TEMPLATE"),
      helixVersion: helixRangeSchema.optional(),
      configSchema: configSchemaSchema.default(EMPTY_CONFIG_SCHEMA),
      route: z.strictObject(
        {
          name: templated("route name", 200),
          slug: templated("route slug", 200),
          alias: templated("route alias", 200),
          description: z.string().trim().max(2000).optional(),
          strategy: z.enum(STRATEGIES, { message: `The strategy is ${STRATEGIES.join(", ")}` }),
          requiredSkill: z.string().trim().max(200).optional(),
          labels: z.array(z.string().trim().max(40)).max(20).optional(),
          timeoutMs: ms("timeoutMs", 100, 600_000).optional(),
          deadlineMs: ms("deadlineMs", 100, 3_600_000).optional(),
          maxRetries: z.number().int().min(0, "Retries are 0–10").max(10, "Retries are 0–10").optional(),
          retryBudgetPercent: z.number().int().min(0).max(100).optional(),
          breakerFailureThreshold: z.number().int().min(1).max(1000).optional(),
          breakerCooldownMs: ms("breakerCooldownMs", 100, 3_600_000).optional(),
          targets: z.array(templateTarget).max(50, "At most 50 targets").default([]),
        },
        unknownKeys("the route a template creates"),
      ),
    },
    unknownKeys("a route template manifest"),
  )
  .superRefine((m, ctx) => {
    const r = m.route;
    if (r.strategy === "CAPABILITY" && !r.requiredSkill) ctx.addIssue({ code: "custom", path: ["route", "requiredSkill"], message: "A capability-based route needs the skill to look for" });
    if (r.strategy !== "CAPABILITY" && r.targets.length === 0) ctx.addIssue({ code: "custom", path: ["route", "targets"], message: "Add at least one target" });
    if (r.timeoutMs !== undefined && r.deadlineMs !== undefined && r.timeoutMs > r.deadlineMs) {
      ctx.addIssue({ code: "custom", path: ["route", "deadlineMs"], message: "The deadline must be at least the per-attempt timeout" });
    }
    checkPlaceholders(ctx, m.configSchema, [
      [["route", "name"], r.name],
      [["route", "slug"], r.slug],
      [["route", "alias"], r.alias],
      [["route", "description"], r.description],
      [["route", "requiredSkill"], r.requiredSkill],
      ...r.targets.map((t, i) => [["route", "targets", i, "agent"], t.agent] as [PropertyKey[], string]),
    ]);
  });

export const agentTemplateManifest = z
  .strictObject(
    {
      kind: z.literal("AGENT_TEMPLATE"),
      helixVersion: helixRangeSchema.optional(),
      configSchema: configSchemaSchema.default(EMPTY_CONFIG_SCHEMA),
      agent: z.strictObject(
        {
          protocol: z.enum(PROTOCOLS, { message: `The protocol is ${PROTOCOLS.join(", ")}` }),
          /** The URL to register (often {{baseUrl}}). */
          url: templated("agent URL", 2048),
          name: templated("agent name", 200),
          slug: templated("agent slug", 200).optional(),
          description: z.string().trim().max(2000).optional(),
          region: z.string().trim().max(200).optional(),
          provider: z.string().trim().max(200).optional(),
          tags: z.array(tagSchema).max(20, "At most 20 tags").default([]),
          /** How the agent's secret is sent; `secretField` names the secret configuration field holding it. */
          credential: z
            .strictObject(
              {
                kind: z.enum(["BEARER", "API_KEY", "HEADER"], { message: "The credential kind is BEARER, API_KEY or HEADER" }),
                headerName: z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "A header name is 1–64 letters, digits or - _ . characters").optional(),
                secretField: z.string().min(1),
              },
              unknownKeys("an agent template credential"),
            )
            .optional(),
        },
        unknownKeys("the agent a template creates"),
      ),
    },
    unknownKeys("an agent template manifest"),
  )
  .superRefine((m, ctx) => {
    const a = m.agent;
    checkPlaceholders(ctx, m.configSchema, [
      [["agent", "url"], a.url],
      [["agent", "name"], a.name],
      [["agent", "slug"], a.slug],
      [["agent", "description"], a.description],
      [["agent", "region"], a.region],
      [["agent", "provider"], a.provider],
    ]);
    if (a.credential) {
      if (a.credential.kind === "HEADER" && !a.credential.headerName) ctx.addIssue({ code: "custom", path: ["agent", "credential", "headerName"], message: "A HEADER credential names its header" });
      if (!secretFields(m.configSchema).includes(a.credential.secretField)) {
        ctx.addIssue({ code: "custom", path: ["agent", "credential", "secretField"], message: `"${a.credential.secretField}" must be a configSchema field marked "secret": true` });
      }
    }
  });

// ---------------------------------------------------------------------------------------------

export const manifestSchema = z.discriminatedUnion("kind", [gatewayPluginManifest, policyPackManifest, routeTemplateManifest, agentTemplateManifest], {
  error: (issue) => (issue.code === "invalid_union" ? `The manifest's kind is ${LISTING_KINDS.join(", ")}` : undefined),
});
export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
export type GatewayPluginManifest = z.output<typeof gatewayPluginManifest>;
export type PolicyPackManifest = z.output<typeof policyPackManifest>;
export type RouteTemplateManifest = z.output<typeof routeTemplateManifest>;
export type AgentTemplateManifest = z.output<typeof agentTemplateManifest>;

export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; message: string; path: string };

/** "manifest.hooks.0: A hook point is …" — the first problem, with the field it is about. */
export function checkManifest(raw: unknown): ManifestCheck {
  const parsed = manifestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, manifest: parsed.data };
  const issues = parsed.error.issues;
  const path = ["manifest", ...(issues[0]?.path ?? []).map(String)].join(".");
  const message = issues
    .slice(0, 5)
    .map((i) => `${["manifest", ...i.path.map(String)].join(".")}: ${i.message}`)
    .join("; ");
  return { ok: false, message: `Invalid manifest: ${message}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ""}`, path };
}

// ---------------------------------------------------------------------------------------------
// Canonical JSON: what is signed. Object keys sorted by code point, no whitespace, no undefined,
// numbers as JSON.stringify writes them; the same value always gives the same bytes.

export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("Canonical JSON has no NaN or Infinity");
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`Canonical JSON cannot hold a ${typeof value}`);
  }
}

/**
 * The bytes a publisher signs for a version: the listing's slug and the version are part of them,
 * so a signature cannot be replayed onto another listing or version. The manifest is signed as
 * the publisher wrote it (not after defaults are filled in).
 */
export function signedPayload(opts: { listing: string; version: string; manifest: unknown }): Buffer {
  return Buffer.from(canonicalJson({ listing: opts.listing, manifest: opts.manifest, version: opts.version }), "utf8");
}

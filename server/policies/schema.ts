import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";
import { MAX_CONDITION_LENGTH } from "./cel";

export const POLICY_SCOPES = ["ORGANIZATION", "ROUTE", "AGENT", "API_KEY"] as const;
export const POLICY_MODES = ["ENFORCE", "MONITOR"] as const;
export const POLICY_EFFECTS = ["DENY", "REDACT", "RESTRICT_ROUTING", "REQUIRE_LABEL", "CAP_TOKENS"] as const;
export const REDACT_DIRECTIONS = ["REQUEST", "RESPONSE", "BOTH"] as const;
/** Built-in PII kinds; organizations add their own (PiiPattern). "ALL" masks every kind. */
export const BUILT_IN_PII_KIND_NAMES = ["EMAIL", "PHONE", "CARD", "IBAN", "SSN", "IP"] as const;

export type PolicyScope = (typeof POLICY_SCOPES)[number];
export type PolicyMode = (typeof POLICY_MODES)[number];
export type PolicyEffect = (typeof POLICY_EFFECTS)[number];

export const policyScopeSchema = z.enum(POLICY_SCOPES, { message: "The scope is ORGANIZATION, ROUTE, AGENT or API_KEY" });
export const policyModeSchema = z.enum(POLICY_MODES, { message: "The mode is ENFORCE or MONITOR" });
export const policyEffectSchema = z.enum(POLICY_EFFECTS, { message: "The effect is DENY, REDACT, RESTRICT_ROUTING, REQUIRE_LABEL or CAP_TOKENS" });

export const effectLabel: Record<PolicyEffect, string> = {
  DENY: "Deny",
  REDACT: "Redact PII",
  RESTRICT_ROUTING: "Restrict routing",
  REQUIRE_LABEL: "Require label",
  CAP_TOKENS: "Cap tokens",
};

/** A data classification label: PHI, PII, EU, confidential… (upper-cased). */
export const dataLabelSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_.:-]{0,39}$/, "A data label is 1–40 letters, digits or _ . : - characters, e.g. PHI or EU");
export const dataLabelsSchema = z.array(dataLabelSchema).max(20, "At most 20 data labels").default([]);

export const piiKindSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9_]{0,39}$/, "A PII kind is EMAIL, PHONE, CARD, IBAN, SSN, IP, ALL or one of your own patterns' names");

/** Effect parameters; which ones an effect needs is checked in `policyConfigInput`. */
export const policyParamsSchema = z.object({
  /** DENY: what the client is told. */
  message: z.string().trim().max(300, "A deny message has at most 300 characters").optional(),
  /** REDACT: the kinds to mask. */
  kinds: z.array(piiKindSchema).min(1, "Choose at least one PII kind").max(30, "At most 30 PII kinds").optional(),
  direction: z.enum(REDACT_DIRECTIONS, { message: "Redact in REQUEST, RESPONSE or BOTH" }).optional(),
  /** RESTRICT_ROUTING: which agents may serve matching requests. */
  agentCondition: z.string().max(MAX_CONDITION_LENGTH, `An agent condition has at most ${MAX_CONDITION_LENGTH} characters`).optional(),
  /** REQUIRE_LABEL: the label the request must carry. */
  label: dataLabelSchema.optional(),
  /** CAP_TOKENS: the most tokens an answer may have. */
  maxTokens: z.number().int().min(1, "The token cap is 1–1,000,000").max(1_000_000, "The token cap is 1–1,000,000").optional(),
});
export type PolicyParams = z.infer<typeof policyParamsSchema>;

export const policyConfigInput = z
  .object({
    name: z.string({ message: "Give the policy a name" }).trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
    description: z.string().trim().max(2000, "A description has at most 2000 characters").nullable().optional(),
    enabled: z.boolean().default(true),
    scope: policyScopeSchema.default("ORGANIZATION"),
    scopeId: idSchema.nullable().optional(),
    mode: policyModeSchema.default("ENFORCE"),
    condition: z
      .string({ message: "Write a condition" })
      .max(MAX_CONDITION_LENGTH, `A condition has at most ${MAX_CONDITION_LENGTH} characters`),
    effect: policyEffectSchema,
    params: policyParamsSchema.default({}),
    /** Saves a policy that would deny every request in its scope (asked for when that is detected). */
    confirm: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.scope === "ORGANIZATION" && p.scopeId) ctx.addIssue({ code: "custom", path: ["scopeId"], message: "An organization-wide policy names no route, agent or key" });
    if (p.scope !== "ORGANIZATION" && !p.scopeId) {
      ctx.addIssue({ code: "custom", path: ["scopeId"], message: `Choose the ${p.scope === "API_KEY" ? "API key" : p.scope.toLowerCase()} this policy applies to` });
    }
    if (p.scope === "AGENT" && p.effect !== "DENY" && p.effect !== "REDACT") {
      ctx.addIssue({ code: "custom", path: ["effect"], message: "An agent-scoped policy can deny (keep requests away from the agent) or redact; use a route or organization scope for the others" });
    }
    const need = (field: keyof PolicyParams, message: string) => {
      if (p.params[field] === undefined || p.params[field] === "") ctx.addIssue({ code: "custom", path: ["params", field], message });
    };
    if (p.effect === "REDACT") need("kinds", "Choose the PII kinds to mask");
    if (p.effect === "RESTRICT_ROUTING") need("agentCondition", 'Write which agents are allowed, e.g. agent.region.startsWith("eu")');
    if (p.effect === "REQUIRE_LABEL") need("label", "Name the label requests must carry");
    if (p.effect === "CAP_TOKENS") need("maxTokens", "Give the token cap");
  });
export type PolicyConfigInput = z.input<typeof policyConfigInput>;
export type PolicyConfig = z.output<typeof policyConfigInput>;

export const policyIdInput = z.object({ policyId: idSchema });
export const updatePolicyInput = z.object({ policyId: idSchema, expectedVersion: z.number().int().min(1), config: policyConfigInput });
export const setPolicyEnabledInput = z.object({ policyId: idSchema, enabled: z.boolean() });
export const validateConditionInput = z.object({
  condition: z.string().max(MAX_CONDITION_LENGTH * 2),
  kind: z.enum(["condition", "agentCondition"]).default("condition"),
});
export const conditionCheck = z.object({
  ok: z.boolean(),
  error: z.object({ message: z.string(), start: z.number().int(), end: z.number().int() }).nullable(),
});

export const policyView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  scope: policyScopeSchema,
  scopeId: z.string().nullable(),
  /** The scoped route's, agent's or key's name. */
  scopeName: z.string().nullable(),
  mode: policyModeSchema,
  condition: z.string(),
  effect: policyEffectSchema,
  params: policyParamsSchema,
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type PolicyView = z.infer<typeof policyView>;

export const policyVersionView = z.object({
  version: z.number().int(),
  createdAt: z.date(),
  createdBy: z.string().nullable(),
  config: z.custom<PolicyConfig>((v) => typeof v === "object" && v !== null && !Array.isArray(v)),
});

// ---------------------------------------------------------------------------------------------
// Testing policies against a sample request

export const SAMPLE_TEXT_MAX = 8000;

export const sampleRequestInput = z.object({
  routeId: idSchema,
  keyId: idSchema.nullable().optional(),
  text: z.string().max(SAMPLE_TEXT_MAX, `A sample message has at most ${SAMPLE_TEXT_MAX} characters`).default(""),
  /** Labels the client sends in x-helix-data-labels (the route's own are added). */
  labels: dataLabelsSchema,
  model: z.string().trim().max(200).optional(),
  stream: z.boolean().default(false),
  subject: z.string().trim().max(256, "A subject id has at most 256 characters").default(""),
  headers: z
    .array(z.object({ name: z.string().trim().toLowerCase().regex(/^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "A header name is 1–64 letters, digits or - _ . characters"), value: z.string().max(500) }))
    .max(20, "At most 20 headers")
    .default([]),
  /** UTC hour the sample pretends to be sent at (defaults to now). */
  at: z.date().optional(),
});

export const testPoliciesInput = z.object({
  sample: sampleRequestInput,
  /** An unsaved policy to test alongside (or instead of) the saved ones. */
  draft: policyConfigInput.nullable().optional(),
  /** The saved policy the draft replaces, if it is an edit. */
  draftOf: idSchema.nullable().optional(),
  includeSaved: z.boolean().default(true),
});

export const decisionView = z.object({
  policyId: z.string(),
  name: z.string(),
  effect: policyEffectSchema,
  mode: policyModeSchema,
  applied: z.boolean(),
  detail: z.string().nullable(),
  error: z.string().nullable(),
});

export const testPoliciesResult = z.object({
  outcome: z.enum(["ALLOW", "DENY"]),
  message: z.string().nullable(),
  decisions: z.array(decisionView),
  /** The sample text as an agent would receive it. */
  requestText: z.string(),
  piiFound: z.array(z.string()),
  maxTokens: z.number().int().nullable(),
  redactResponse: z.array(z.string()).nullable(),
  agents: z.array(z.object({ id: z.string(), name: z.string(), region: z.string().nullable(), allowed: z.boolean(), blockedBy: z.string().nullable() })),
  /** Saved policies that could not be compiled (none normally). */
  warnings: z.array(z.string()),
});
export type TestPoliciesResult = z.infer<typeof testPoliciesResult>;

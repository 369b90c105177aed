import { z } from "zod";
import { idSchema, orgSlugSchema } from "@/server/orgs/schema";
import { agentStatusSchema, protocolSchema, tagSchema } from "@/server/agents/schema";
import { dataLabelsSchema } from "@/server/policies/schema";

export const STRATEGIES = ["WEIGHTED", "PRIORITY", "LATENCY", "CAPABILITY"] as const;
export const strategySchema = z.enum(STRATEGIES, { message: "Strategy must be WEIGHTED, PRIORITY, LATENCY or CAPABILITY" });

export const strategyLabel: Record<(typeof STRATEGIES)[number], string> = {
  WEIGHTED: "Weighted random",
  PRIORITY: "Priority failover",
  LATENCY: "Latency-aware",
  CAPABILITY: "Capability-based",
};

export const aliasSchema = z
  .string({ message: "Give the alias clients will ask for" })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, "An alias is 1–100 letters, digits or . _ : / - characters, e.g. support-bot or gpt-4o-mini");

export const headerConditionSchema = z
  .object({
    header: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "A header name is 1–64 letters, digits or - _ . characters"),
    op: z.enum(["equals", "contains", "present"], { message: "A condition is equals, contains or present" }),
    value: z.string().max(500, "A header value has at most 500 characters").nullable().default(null),
  })
  .refine((c) => c.op === "present" || (c.value !== null && c.value !== ""), {
    message: "equals and contains need a value",
    path: ["value"],
  });

export const routeTargetInput = z.object({
  agentId: idSchema,
  weight: z.number().int().min(0, "A weight is 0–1000").max(1000, "A weight is 0–1000").default(100),
  priority: z.number().int().min(0, "A priority is 0–100").max(100, "A priority is 0–100").default(0),
  model: z.string().trim().max(200, "A model name has at most 200 characters").nullable().optional(),
});

const ms = (what: string, min: number, max: number) =>
  z
    .number({ message: `${what} must be a number of milliseconds` })
    .int()
    .min(min, `${what} is at least ${min} ms`)
    .max(max, `${what} is at most ${max} ms`);

export const routeConfigInput = z
  .object({
    name: z.string().trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
    slug: orgSlugSchema,
    alias: aliasSchema,
    description: z.string().trim().max(2000, "A description has at most 2000 characters").nullable().optional(),
    strategy: strategySchema.default("WEIGHTED"),
    requiredSkill: z.string().trim().max(200, "A skill query has at most 200 characters").nullable().optional(),
    matchTags: z.array(tagSchema).max(20, "At most 20 tags").default([]),
    /** Data classification labels of the traffic (PHI, PII, EU…): policies and compliance checks read them. */
    labels: dataLabelsSchema,
    headerConditions: z.array(headerConditionSchema).max(20, "At most 20 header conditions").default([]),
    timeoutMs: ms("The per-attempt timeout", 100, 600_000).default(30_000),
    deadlineMs: ms("The deadline", 100, 3_600_000).default(60_000),
    maxRetries: z.number().int().min(0, "Retries are 0–10").max(10, "Retries are 0–10").default(2),
    retryBudgetPercent: z.number().int().min(0, "The retry budget is 0–100 %").max(100, "The retry budget is 0–100 %").default(20),
    breakerFailureThreshold: z.number().int().min(1, "The breaker threshold is 1–1000").max(1000, "The breaker threshold is 1–1000").default(5),
    breakerCooldownMs: ms("The breaker cool-down", 100, 3_600_000).default(30_000),
    targets: z.array(routeTargetInput).max(50, "At most 50 targets").default([]),
  })
  .superRefine((r, ctx) => {
    if (r.timeoutMs > r.deadlineMs) {
      ctx.addIssue({ code: "custom", path: ["deadlineMs"], message: "The deadline must be at least the per-attempt timeout" });
    }
    if (r.strategy === "CAPABILITY" && !r.requiredSkill) {
      ctx.addIssue({ code: "custom", path: ["requiredSkill"], message: "A capability-based route needs the skill to look for" });
    }
    if (r.strategy !== "CAPABILITY" && r.targets.length === 0) {
      ctx.addIssue({ code: "custom", path: ["targets"], message: "Add at least one agent as a target" });
    }
    const seen = new Set<string>();
    r.targets.forEach((t, i) => {
      if (seen.has(t.agentId)) ctx.addIssue({ code: "custom", path: ["targets", i, "agentId"], message: "This agent is already a target" });
      seen.add(t.agentId);
    });
    if (r.strategy === "WEIGHTED" && r.targets.length > 0 && r.targets.every((t) => t.weight === 0)) {
      ctx.addIssue({ code: "custom", path: ["targets"], message: "At least one target needs a weight above 0" });
    }
  });
export type RouteConfigInput = z.input<typeof routeConfigInput>;
export type RouteConfig = z.output<typeof routeConfigInput>;

export const routeIdInput = z.object({ routeId: idSchema });
export const updateRouteInput = z.object({ routeId: idSchema, expectedVersion: z.number().int().min(1), config: routeConfigInput });
export const setRouteEnabledInput = z.object({ routeId: idSchema, enabled: z.boolean() });

export const routeSummary = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  alias: z.string(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  strategy: strategySchema,
  targetCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.date(),
});

export const routeDetail = routeSummary.extend({
  requiredSkill: z.string().nullable(),
  matchTags: z.array(z.string()),
  labels: z.array(z.string()),
  headerConditions: z.array(z.object({ header: z.string(), op: z.enum(["equals", "contains", "present"]), value: z.string().nullable() })),
  timeoutMs: z.number().int(),
  deadlineMs: z.number().int(),
  maxRetries: z.number().int(),
  retryBudgetPercent: z.number().int(),
  breakerFailureThreshold: z.number().int(),
  breakerCooldownMs: z.number().int(),
  targets: z.array(
    z.object({
      agentId: z.string(),
      agentName: z.string(),
      agentSlug: z.string(),
      agentProtocol: protocolSchema,
      agentStatus: agentStatusSchema,
      weight: z.number().int(),
      priority: z.number().int(),
      model: z.string().nullable(),
    }),
  ),
});
export type RouteDetail = z.infer<typeof routeDetail>;

export const routeVersionView = z.object({
  version: z.number().int(),
  createdAt: z.date(),
  createdBy: z.string().nullable(),
  /** As saved then; not re-validated, so history stays readable when the rules change. */
  config: z.custom<RouteConfig>((v) => typeof v === "object" && v !== null && !Array.isArray(v)),
});

// ---------------------------------------------------------------------------------------------
// Try it: one request through the gateway from the route's page

export const TRY_IT_MESSAGE_MAX = 4000;

export const tryItInput = z.object({
  routeId: idSchema,
  message: z
    .string({ message: "Write a message to send" })
    .trim()
    .min(1, "Write a message to send")
    .max(TRY_IT_MESSAGE_MAX, `A message has at most ${TRY_IT_MESSAGE_MAX} characters`),
  system: z.string().trim().max(TRY_IT_MESSAGE_MAX, `A system prompt has at most ${TRY_IT_MESSAGE_MAX} characters`).optional(),
});

/** One call to an agent while serving the request, as the gateway's debug report gives it. */
export const tryItAttempt = z.object({
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  protocol: z.string().nullable(),
  /** HTTP status from the agent; 0 when none came (refused, timed out). */
  status: z.number().int(),
  errorClass: z.string().nullable(),
  latencyMs: z.number(),
  ttftMs: z.number().nullable(),
  retry: z.boolean(),
  failover: z.boolean(),
});
export type TryItAttempt = z.infer<typeof tryItAttempt>;

/** The gateway's `helix` debug object: which agent answered, and every attempt on the way. */
export const tryItReport = z.object({
  requestId: z.string(),
  traceId: z.string(),
  routeId: z.string().nullable(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  failover: z.boolean(),
  totalMs: z.number(),
  attempts: z.array(tryItAttempt),
});
export type TryItReport = z.infer<typeof tryItReport>;

export const tryItResult = z.object({
  /** The gateway answered 2xx with a completion. */
  ok: z.boolean(),
  /** The gateway's HTTP status. */
  status: z.number().int(),
  answer: z.string().nullable(),
  /** The gateway's error message when it did not answer 2xx. */
  error: z.string().nullable(),
  helix: tryItReport.nullable(),
  /** Measured by the console, gateway round trip included. */
  totalMs: z.number(),
});
export type TryItResult = z.infer<typeof tryItResult>;

export { orgSlugSchema };

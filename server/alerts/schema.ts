import { z } from "zod";
import { idSchema } from "@/server/orgs/schema";

export const RULE_KINDS = ["ANOMALY", "THRESHOLD", "FORECAST", "AGENT_HEALTH"] as const;
export const METRICS = ["requests", "errorRate", "p95", "ttftP95", "cost", "quality"] as const;
export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export const ALERT_STATUSES = ["FIRING", "ACKED", "RESOLVED"] as const;
export const THRESHOLD_OPS = ["gt", "gte", "lt", "lte"] as const;
export const WEBHOOK_EVENTS = ["fired", "acked", "resolved"] as const;

export type RuleKind = (typeof RULE_KINDS)[number];
export type Metric = (typeof METRICS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const ruleKindSchema = z.enum(RULE_KINDS, { message: "A rule is ANOMALY, THRESHOLD, FORECAST or AGENT_HEALTH" });
export const metricSchema = z.enum(METRICS, { message: "The metric is requests, errorRate, p95, ttftP95, cost or quality" });
export const severitySchema = z.enum(SEVERITIES, { message: "Severity is LOW, MEDIUM, HIGH or CRITICAL" });
export const alertStatusSchema = z.enum(ALERT_STATUSES, { message: "Status is FIRING, ACKED or RESOLVED" });
export const thresholdOpSchema = z.enum(THRESHOLD_OPS, { message: "The comparison is gt, gte, lt or lte" });

export const metricLabel: Record<Metric, string> = {
  requests: "Requests per minute",
  errorRate: "Error rate",
  p95: "p95 latency",
  ttftP95: "p95 time to first token",
  cost: "Cost per minute",
  quality: "Quality score",
};

export const metricUnit: Record<Metric, string> = {
  requests: "req/min",
  errorRate: "ratio",
  p95: "ms",
  ttftP95: "ms",
  cost: "USD/min",
  quality: "score",
};

/** Minutes of normal data after which an open alert resolves by itself. */
export const AUTO_RESOLVE_MINUTES = 5;

export const MAX_EMAIL_RECIPIENTS = 10;

/** Addresses alerts are emailed to, lowercased; an invalid one is named in the field's error. */
export const emailRecipientsSchema = z
  .array(z.string({ message: "Email recipients are addresses" }).trim().toLowerCase(), { message: "Email recipients are a list of addresses" })
  .max(MAX_EMAIL_RECIPIENTS, `At most ${MAX_EMAIL_RECIPIENTS} email recipients per rule`)
  .superRefine((list, ctx) => {
    const bad = list.filter((a) => !z.email().safeParse(a).success);
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `Not an email address: ${bad.map((a) => (a ? `“${a}”` : "an empty entry")).join(", ")}` });
    }
  })
  .default([]);

export const ruleConfigInput = z
  .object({
    name: z.string({ message: "Give the rule a name" }).trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
    kind: ruleKindSchema,
    metric: metricSchema.default("p95"),
    routeId: idSchema.nullable().optional(),
    agentId: idSchema.nullable().optional(),
    sensitivity: z.number({ message: "Sensitivity is a number 0–1" }).min(0, "Sensitivity is 0–1").max(1, "Sensitivity is 0–1").default(0.5),
    thresholdOp: thresholdOpSchema.nullable().optional(),
    thresholdValue: z.number({ message: "The threshold is a number" }).finite().nullable().optional(),
    horizonMinutes: z.number().int().min(5, "The forecast horizon is 5–1440 minutes").max(1440, "The forecast horizon is 5–1440 minutes").nullable().optional(),
    forMinutes: z.number().int().min(1, "“For” is 1–60 minutes").max(60, "“For” is 1–60 minutes").default(1),
    minRequests: z.number().int().min(0, "Minimum requests is 0–1,000,000").max(1_000_000, "Minimum requests is 0–1,000,000").default(0),
    severity: severitySchema.default("MEDIUM"),
    enabled: z.boolean().default(true),
    webhookIds: z.array(idSchema).max(10, "At most 10 webhooks per rule").default([]),
    emailRecipients: emailRecipientsSchema,
  })
  .superRefine((r, ctx) => {
    const needsThreshold = r.kind === "THRESHOLD" || r.kind === "FORECAST";
    if (needsThreshold) {
      if (!r.thresholdOp) ctx.addIssue({ code: "custom", path: ["thresholdOp"], message: "Pick how the metric compares to the threshold (gt, gte, lt or lte)" });
      if (r.thresholdValue === null || r.thresholdValue === undefined) {
        ctx.addIssue({ code: "custom", path: ["thresholdValue"], message: "A threshold rule needs the threshold value" });
      } else if (r.thresholdValue < 0) {
        ctx.addIssue({ code: "custom", path: ["thresholdValue"], message: "The threshold cannot be negative" });
      } else if ((r.metric === "errorRate" || r.metric === "quality") && r.thresholdValue > 1) {
        ctx.addIssue({ code: "custom", path: ["thresholdValue"], message: `${metricLabel[r.metric]} is a fraction 0–1 (e.g. 0.05 for 5 %)` });
      }
    }
    if (r.kind === "FORECAST" && !r.horizonMinutes) {
      ctx.addIssue({ code: "custom", path: ["horizonMinutes"], message: "A forecast rule needs how many minutes ahead to look (5–1440)" });
    }
    if (r.kind === "AGENT_HEALTH" && r.routeId) {
      ctx.addIssue({ code: "custom", path: ["routeId"], message: "An agent-health rule watches agents; leave the route empty" });
    }
  });
export type RuleConfigInput = z.input<typeof ruleConfigInput>;
export type RuleConfig = z.output<typeof ruleConfigInput>;

export const ruleIdInput = z.object({ ruleId: idSchema });
export const updateRuleInput = z.object({ ruleId: idSchema, config: ruleConfigInput });

export const ruleView = z.object({
  id: z.string(),
  name: z.string(),
  kind: ruleKindSchema,
  metric: metricSchema,
  routeId: z.string().nullable(),
  routeName: z.string().nullable(),
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  sensitivity: z.number(),
  thresholdOp: thresholdOpSchema.nullable(),
  thresholdValue: z.number().nullable(),
  horizonMinutes: z.number().int().nullable(),
  forMinutes: z.number().int(),
  minRequests: z.number().int(),
  severity: severitySchema,
  enabled: z.boolean(),
  webhookIds: z.array(z.string()),
  emailRecipients: z.array(z.string()),
  lastEvaluatedBucket: z.date().nullable(),
  openAlerts: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type RuleView = z.infer<typeof ruleView>;

// ---------------------------------------------------------------------------------------------
// Alerts

/** One minute of the watched series, as evaluated. */
export const evidencePoint = z.object({
  t: z.number(),
  value: z.number().nullable(),
  expected: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  anomaly: z.boolean(),
  requests: z.number(),
});
export type EvidencePoint = z.infer<typeof evidencePoint>;

export const evidenceSchema = z.object({
  metric: metricSchema.nullable(),
  unit: z.string(),
  points: z.array(evidencePoint),
  threshold: z.object({ op: thresholdOpSchema, value: z.number() }).nullable(),
  forecast: z.array(z.object({ t: z.number(), expected: z.number(), lower: z.number(), upper: z.number() })).nullable(),
  /** AGENT_HEALTH: the status changes behind the alert. */
  statusChanges: z.array(z.object({ at: z.number(), from: z.string(), to: z.string(), reason: z.string() })).nullable(),
  requestsAffected: z.number(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const alertSummary = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  ruleKind: ruleKindSchema,
  fingerprint: z.string(),
  status: alertStatusSchema,
  severity: severitySchema,
  priority: z.number(),
  summary: z.string(),
  occurrences: z.number().int(),
  startedAt: z.date(),
  lastSeenAt: z.date(),
  ackedAt: z.date().nullable(),
  ackedByEmail: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.string().nullable(),
});
export type AlertSummary = z.infer<typeof alertSummary>;

export const alertDetail = alertSummary.extend({ evidence: evidenceSchema, metric: metricSchema.nullable() });
export type AlertDetail = z.infer<typeof alertDetail>;

export const alertListInput = z.object({
  status: z.enum(["open", ...ALERT_STATUSES], { message: "Filter by open, FIRING, ACKED or RESOLVED" }).optional(),
  cursor: idSchema.optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export const alertPage = z.object({ alerts: z.array(alertSummary), nextCursor: z.string().nullable() });
export const alertIdInput = z.object({ alertId: idSchema });

// ---------------------------------------------------------------------------------------------
// Webhooks

export const webhookUrlSchema = z
  .string({ message: "Give the webhook's URL" })
  .trim()
  .min(1, "Give the webhook's URL")
  .max(2000, "A URL has at most 2000 characters");

export const webhookInput = z.object({
  name: z.string({ message: "Give the webhook a name" }).trim().min(2, "A name has at least 2 characters").max(80, "A name has at most 80 characters"),
  url: webhookUrlSchema,
  enabled: z.boolean().default(true),
});
export const webhookIdInput = z.object({ webhookId: idSchema });
/** `url` left out keeps the stored one (lists show it without its query string, which may hold a token). */
export const updateWebhookInput = z.object({ webhookId: idSchema, name: webhookInput.shape.name, url: webhookUrlSchema.optional(), enabled: z.boolean() });

export const webhookView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
  lastDelivery: z.object({ status: z.string(), statusCode: z.number().int().nullable(), at: z.date() }).nullable(),
});
export type WebhookView = z.infer<typeof webhookView>;
export const createdWebhook = z.object({ webhook: webhookView, secret: z.string() });

export const deliveryAttempt = z.object({ at: z.number(), statusCode: z.number().nullable(), error: z.string().nullable(), ms: z.number() });
export const deliveryView = z.object({
  id: z.string(),
  alertId: z.string(),
  channel: z.enum(["WEBHOOK", "EMAIL"]),
  /** WEBHOOK: the endpoint; EMAIL: null. */
  endpointId: z.string().nullable(),
  /** The webhook's name or the email address: where it went. */
  target: z.string(),
  event: z.string(),
  attempt: z.number().int(),
  status: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  nextRetryAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
  createdAt: z.date(),
  attempts: z.array(deliveryAttempt),
});
export type DeliveryView = z.infer<typeof deliveryView>;
export const deliveryListInput = z.object({ alertId: idSchema.optional(), webhookId: idSchema.optional(), limit: z.number().int().min(1).max(200).default(50) });

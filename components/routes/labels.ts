import type { RouteDetail } from "@/server/routes/schema";

export type RouteStrategy = RouteDetail["strategy"];
export type HeaderOp = RouteDetail["headerConditions"][number]["op"];

export const ROUTE_STRATEGIES = ["WEIGHTED", "PRIORITY", "LATENCY", "CAPABILITY"] as const satisfies readonly RouteStrategy[];
export const HEADER_OPS = ["equals", "contains", "present"] as const satisfies readonly HeaderOp[];

/** Short names, as in badges and the strategy select. */
export const strategyName: Record<RouteStrategy, string> = {
  WEIGHTED: "Weighted",
  PRIORITY: "Priority failover",
  LATENCY: "Latency-aware",
  CAPABILITY: "Capability",
};

/** One line on what the gateway does with each strategy. */
export const strategyDescription: Record<RouteStrategy, string> = {
  WEIGHTED: "Spreads requests over the targets in proportion to their weights.",
  PRIORITY: "Sends everything to the lowest priority number; fails over to the next group when those agents are down.",
  LATENCY: "Prefers the healthy target that has been answering fastest lately.",
  CAPABILITY: "Picks, at request time, a healthy agent that has the required skill; targets are optional.",
};

export const headerOpLabel: Record<HeaderOp, string> = {
  equals: "equals",
  contains: "contains",
  present: "is present",
};

/** What the editor calls each configuration field, for diffs. */
const configFieldLabel: Record<string, string> = {
  name: "Name",
  slug: "Slug",
  alias: "Alias",
  description: "Description",
  strategy: "Strategy",
  requiredSkill: "Required skill",
  matchTags: "Match tags",
  labels: "Data labels",
  headerConditions: "Header conditions",
  timeoutMs: "Timeout (ms)",
  deadlineMs: "Deadline (ms)",
  maxRetries: "Max retries",
  retryBudgetPercent: "Retry budget (%)",
  breakerFailureThreshold: "Breaker threshold",
  breakerCooldownMs: "Breaker cool-down (ms)",
};

/** "timeoutMs" → "Timeout (ms)"; "target Alpha" → "Target Alpha". */
export function changeLabel(field: string): string {
  return configFieldLabel[field] ?? field.charAt(0).toUpperCase() + field.slice(1);
}

import type { RouteConfig } from "./schema";

export interface ConfigChange {
  field: string;
  before: string;
  after: string;
}

const show = (v: unknown): string => {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.length ? v.map(show).join(", ") : "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
};

const FIELDS: (keyof Omit<RouteConfig, "targets">)[] = [
  "name",
  "slug",
  "alias",
  "description",
  "strategy",
  "requiredSkill",
  "matchTags",
  "labels",
  "headerConditions",
  "timeoutMs",
  "deadlineMs",
  "maxRetries",
  "retryBudgetPercent",
  "breakerFailureThreshold",
  "breakerCooldownMs",
];

type Target = RouteConfig["targets"][number];
const describeTarget = (t: Target) => `weight ${t.weight}, priority ${t.priority}${t.model ? `, model ${t.model}` : ""}`;

/**
 * What changes between two route configurations, one line per field, targets compared by agent:
 * what the editor shows before saving and the version history shows between versions.
 * `agentName` turns agent ids into names for people.
 */
export function diffRouteConfigs(before: RouteConfig, after: RouteConfig, agentName: (id: string) => string = (id) => id): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const field of FIELDS) {
    const a = show(before[field]);
    const b = show(after[field]);
    if (a !== b) changes.push({ field, before: a, after: b });
  }
  const beforeTargets = new Map(before.targets.map((t) => [t.agentId, t]));
  const afterTargets = new Map(after.targets.map((t) => [t.agentId, t]));
  for (const [id, t] of beforeTargets) {
    const next = afterTargets.get(id);
    if (!next) changes.push({ field: `target ${agentName(id)}`, before: describeTarget(t), after: "removed" });
    else if (describeTarget(t) !== describeTarget(next)) changes.push({ field: `target ${agentName(id)}`, before: describeTarget(t), after: describeTarget(next) });
  }
  for (const [id, t] of afterTargets) {
    if (!beforeTargets.has(id)) changes.push({ field: `target ${agentName(id)}`, before: "—", after: `added: ${describeTarget(t)}` });
  }
  return changes;
}

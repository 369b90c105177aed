import { formatTags, parseTags, tagsProblem } from "@/components/agents/tags";
import { dataLabelsProblem, formatDataLabels, parseDataLabels } from "@/components/policies/data-labels";
import type { RouteConfig, RouteDetail } from "@/server/routes/schema";
import { HEADER_OPS, ROUTE_STRATEGIES, type HeaderOp, type RouteStrategy } from "./labels";

/*
 * The route editor's state is what the person typed (numbers stay text until saved, tags stay one
 * comma-separated line); these functions turn it into the RouteConfig the API takes and back.
 */

/** A header condition row; `key` only tells React which row is which. */
export interface HeaderRow {
  key: string;
  header: string;
  op: HeaderOp;
  value: string;
}

export interface TargetRow {
  key: string;
  agentId: string;
  weight: string;
  priority: string;
  model: string;
}

export interface RouteForm {
  name: string;
  slug: string;
  /** Once the slug is typed (or the route exists), renaming no longer changes it. */
  slugTouched: boolean;
  alias: string;
  description: string;
  matchTags: string;
  /** Data labels (PHI, EU…), one comma-separated line like the tags. */
  labels: string;
  headerConditions: HeaderRow[];
  strategy: RouteStrategy;
  requiredSkill: string;
  targets: TargetRow[];
  timeoutMs: string;
  deadlineMs: string;
  maxRetries: string;
  retryBudgetPercent: string;
  breakerFailureThreshold: string;
  breakerCooldownMs: string;
}

export type ResilienceField = "timeoutMs" | "deadlineMs" | "maxRetries" | "retryBudgetPercent" | "breakerFailureThreshold" | "breakerCooldownMs";

/** The server's defaults (server/routes/schema.ts). */
export const ROUTE_DEFAULTS = {
  timeoutMs: 30_000,
  deadlineMs: 60_000,
  maxRetries: 2,
  retryBudgetPercent: 20,
  breakerFailureThreshold: 5,
  breakerCooldownMs: 30_000,
  weight: 100,
  priority: 0,
} as const;

interface NumberRule {
  min: number;
  max: number;
  /** The message when the number is out of range, as the server words it. */
  range: string;
}

/** The server's ranges, so obvious mistakes are caught before saving. */
export const NUMBER_RULES: Record<ResilienceField | "weight" | "priority", NumberRule> = {
  timeoutMs: { min: 100, max: 600_000, range: "The per-attempt timeout is 100–600000 ms" },
  deadlineMs: { min: 100, max: 3_600_000, range: "The deadline is 100–3600000 ms" },
  maxRetries: { min: 0, max: 10, range: "Retries are 0–10" },
  retryBudgetPercent: { min: 0, max: 100, range: "The retry budget is 0–100 %" },
  breakerFailureThreshold: { min: 1, max: 1000, range: "The breaker threshold is 1–1000" },
  breakerCooldownMs: { min: 100, max: 3_600_000, range: "The breaker cool-down is 100–3600000 ms" },
  weight: { min: 0, max: 1000, range: "A weight is 0–1000" },
  priority: { min: 0, max: 100, range: "A priority is 0–100" },
};

let rowSeq = 0;
const rowKey = () => `row-${++rowSeq}`;

export function newHeaderRow(init: Partial<Omit<HeaderRow, "key">> = {}): HeaderRow {
  return { key: rowKey(), header: "", op: "equals", value: "", ...init };
}

export function newTargetRow(init: Partial<Omit<TargetRow, "key">> = {}): TargetRow {
  return { key: rowKey(), agentId: "", weight: String(ROUTE_DEFAULTS.weight), priority: String(ROUTE_DEFAULTS.priority), model: "", ...init };
}

export function emptyRouteForm(): RouteForm {
  return {
    name: "",
    slug: "",
    slugTouched: false,
    alias: "",
    description: "",
    matchTags: "",
    labels: "",
    headerConditions: [],
    strategy: "WEIGHTED",
    requiredSkill: "",
    targets: [newTargetRow()],
    timeoutMs: String(ROUTE_DEFAULTS.timeoutMs),
    deadlineMs: String(ROUTE_DEFAULTS.deadlineMs),
    maxRetries: String(ROUTE_DEFAULTS.maxRetries),
    retryBudgetPercent: String(ROUTE_DEFAULTS.retryBudgetPercent),
    breakerFailureThreshold: String(ROUTE_DEFAULTS.breakerFailureThreshold),
    breakerCooldownMs: String(ROUTE_DEFAULTS.breakerCooldownMs),
  };
}

/** "EU Support (v2)" → "eu-support-v2": the slug rule of server/orgs/schema.ts, at most 48 characters. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}

/** A new name; the slug follows it until someone types a slug of their own. */
export function withName(form: RouteForm, name: string): RouteForm {
  return { ...form, name, slug: form.slugTouched ? form.slug : slugify(name) };
}

export function withSlug(form: RouteForm, slug: string): RouteForm {
  // Clearing the slug hands it back to the name.
  return slug === "" ? { ...form, slug: slugify(form.name), slugTouched: false } : { ...form, slug, slugTouched: true };
}

/** A saved route as the configuration it was saved with: the "before" of the editor's diff. */
export function configFromRoute(route: RouteDetail): RouteConfig {
  return {
    name: route.name,
    slug: route.slug,
    alias: route.alias,
    description: route.description,
    strategy: route.strategy,
    requiredSkill: route.requiredSkill,
    matchTags: [...route.matchTags],
    labels: [...route.labels],
    headerConditions: route.headerConditions.map(({ header, op, value }) => ({ header, op, value })),
    timeoutMs: route.timeoutMs,
    deadlineMs: route.deadlineMs,
    maxRetries: route.maxRetries,
    retryBudgetPercent: route.retryBudgetPercent,
    breakerFailureThreshold: route.breakerFailureThreshold,
    breakerCooldownMs: route.breakerCooldownMs,
    targets: route.targets.map(({ agentId, weight, priority, model }) => ({ agentId, weight, priority, model })),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const strOrNull = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const int = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

/**
 * A stored version's configuration (JSON from the database) as a RouteConfig. Lenient: versions
 * saved before a field existed read as that field's default, so comparing them stays meaningful.
 */
export function configFromJson(json: unknown): RouteConfig {
  const c = isRecord(json) ? json : {};
  const strategy = (ROUTE_STRATEGIES as readonly unknown[]).includes(c.strategy) ? (c.strategy as RouteStrategy) : "WEIGHTED";
  return {
    name: str(c.name),
    slug: str(c.slug),
    alias: str(c.alias),
    description: strOrNull(c.description),
    strategy,
    requiredSkill: strOrNull(c.requiredSkill),
    matchTags: Array.isArray(c.matchTags) ? c.matchTags.filter((t): t is string => typeof t === "string") : [],
    labels: Array.isArray(c.labels) ? c.labels.filter((t): t is string => typeof t === "string") : [],
    headerConditions: (Array.isArray(c.headerConditions) ? c.headerConditions : []).filter(isRecord).map((h) => ({
      header: str(h.header),
      op: (HEADER_OPS as readonly unknown[]).includes(h.op) ? (h.op as HeaderOp) : "equals",
      value: strOrNull(h.value),
    })),
    timeoutMs: int(c.timeoutMs, ROUTE_DEFAULTS.timeoutMs),
    deadlineMs: int(c.deadlineMs, ROUTE_DEFAULTS.deadlineMs),
    maxRetries: int(c.maxRetries, ROUTE_DEFAULTS.maxRetries),
    retryBudgetPercent: int(c.retryBudgetPercent, ROUTE_DEFAULTS.retryBudgetPercent),
    breakerFailureThreshold: int(c.breakerFailureThreshold, ROUTE_DEFAULTS.breakerFailureThreshold),
    breakerCooldownMs: int(c.breakerCooldownMs, ROUTE_DEFAULTS.breakerCooldownMs),
    targets: (Array.isArray(c.targets) ? c.targets : []).filter(isRecord).map((t) => ({
      agentId: str(t.agentId),
      weight: int(t.weight, ROUTE_DEFAULTS.weight),
      priority: int(t.priority, ROUTE_DEFAULTS.priority),
      model: strOrNull(t.model),
    })),
  };
}

/** The editor's starting state for a saved configuration. */
export function formFromConfig(config: RouteConfig): RouteForm {
  return {
    name: config.name,
    slug: config.slug,
    slugTouched: true,
    alias: config.alias,
    description: config.description ?? "",
    matchTags: formatTags(config.matchTags),
    labels: formatDataLabels(config.labels),
    headerConditions: config.headerConditions.map((h) => newHeaderRow({ header: h.header, op: h.op, value: h.value ?? "" })),
    strategy: config.strategy,
    requiredSkill: config.requiredSkill ?? "",
    targets: config.targets.map((t) => newTargetRow({ agentId: t.agentId, weight: String(t.weight), priority: String(t.priority), model: t.model ?? "" })),
    timeoutMs: String(config.timeoutMs),
    deadlineMs: String(config.deadlineMs),
    maxRetries: String(config.maxRetries),
    retryBudgetPercent: String(config.retryBudgetPercent),
    breakerFailureThreshold: String(config.breakerFailureThreshold),
    breakerCooldownMs: String(config.breakerCooldownMs),
  };
}

/** A whole number within the rule's range, or the message to show next to the field. */
export function parseWholeNumber(text: string, rule: NumberRule): { value: number } | { error: string } {
  const t = text.trim().replace(/[_\s]/g, "");
  if (t === "") return { error: "Give a number" };
  if (!/^-?\d+$/.test(t)) return { error: `“${text.trim()}” is not a whole number` };
  const value = Number(t);
  if (value < rule.min || value > rule.max) return { error: rule.range };
  return { value };
}

export type RouteFormErrors = Record<string, string>;

/**
 * The form as the RouteConfig to send, or the problems to show first, keyed by the same field
 * paths the server uses ("alias", "targets.0.weight", "headerConditions.1.value"). Rows are never
 * dropped silently, so row i of the form is item i of the config and server errors land on it.
 */
export function readRouteForm(form: RouteForm): { config: RouteConfig; errors: null } | { config: null; errors: RouteFormErrors } {
  const errors: RouteFormErrors = {};
  const num = (field: string, text: string, rule: NumberRule) => {
    const parsed = parseWholeNumber(text, rule);
    if ("error" in parsed) {
      errors[field] = parsed.error;
      return 0;
    }
    return parsed.value;
  };

  const matchTags = parseTags(form.matchTags);
  const tagProblem = tagsProblem(matchTags);
  if (tagProblem) errors.matchTags = tagProblem;

  const labels = parseDataLabels(form.labels);
  const labelProblem = dataLabelsProblem(labels);
  if (labelProblem) errors.labels = labelProblem;

  const headerConditions = form.headerConditions.map((row, i) => {
    const header = row.header.trim().toLowerCase();
    if (!header) errors[`headerConditions.${i}.header`] = "Give the header name, or remove this condition";
    const value = row.op === "present" ? null : row.value;
    if (value !== null && value === "") errors[`headerConditions.${i}.value`] = "Give the value to compare with";
    return { header, op: row.op, value };
  });

  const capability = form.strategy === "CAPABILITY";
  const requiredSkill = capability ? form.requiredSkill.trim() || null : null;
  if (capability && !requiredSkill) errors.requiredSkill = "A capability-based route needs the skill to look for";

  const seen = new Set<string>();
  const targets = form.targets.map((row, i) => {
    if (!row.agentId) errors[`targets.${i}.agentId`] = "Choose an agent, or remove this row";
    else if (seen.has(row.agentId)) errors[`targets.${i}.agentId`] = "This agent is already a target";
    seen.add(row.agentId);
    return {
      agentId: row.agentId,
      weight: num(`targets.${i}.weight`, row.weight, NUMBER_RULES.weight),
      priority: num(`targets.${i}.priority`, row.priority, NUMBER_RULES.priority),
      model: row.model.trim() || null,
    };
  });
  if (!capability && targets.length === 0) errors.targets = "Add at least one agent as a target";

  const resilience = {
    timeoutMs: num("timeoutMs", form.timeoutMs, NUMBER_RULES.timeoutMs),
    deadlineMs: num("deadlineMs", form.deadlineMs, NUMBER_RULES.deadlineMs),
    maxRetries: num("maxRetries", form.maxRetries, NUMBER_RULES.maxRetries),
    retryBudgetPercent: num("retryBudgetPercent", form.retryBudgetPercent, NUMBER_RULES.retryBudgetPercent),
    breakerFailureThreshold: num("breakerFailureThreshold", form.breakerFailureThreshold, NUMBER_RULES.breakerFailureThreshold),
    breakerCooldownMs: num("breakerCooldownMs", form.breakerCooldownMs, NUMBER_RULES.breakerCooldownMs),
  };
  if (!errors.timeoutMs && !errors.deadlineMs && resilience.timeoutMs > resilience.deadlineMs) {
    errors.deadlineMs = "The deadline must be at least the per-attempt timeout";
  }

  if (Object.keys(errors).length) return { config: null, errors };
  const name = form.name.trim();
  return {
    errors: null,
    config: {
      name,
      slug: form.slug.trim() || slugify(name),
      alias: form.alias.trim(),
      description: form.description.trim() || null,
      strategy: form.strategy,
      requiredSkill,
      matchTags,
      labels,
      headerConditions,
      ...resilience,
      targets,
    },
  };
}

/** Replaces row `index` with `patch` applied; other rows are kept as they are. */
export function updateRow<R>(rows: readonly R[], index: number, patch: Partial<R>): R[] {
  return rows.map((r, i) => (i === index ? { ...r, ...patch } : r));
}

export function removeRow<R>(rows: readonly R[], index: number): R[] {
  return rows.filter((_, i) => i !== index);
}

/** The agents row `index` may pick: every agent not already chosen in another row. */
export function agentChoices<A extends { id: string }>(agents: readonly A[], targets: readonly Pick<TargetRow, "agentId">[], index: number): A[] {
  const taken = new Set(targets.filter((_, i) => i !== index).map((t) => t.agentId));
  return agents.filter((a) => !taken.has(a.id));
}

/** The form without React's row keys: equal signatures mean nothing was edited. */
export function formSignature(form: RouteForm): string {
  const { headerConditions, targets, slugTouched: _slugTouched, ...rest } = form;
  return JSON.stringify({
    ...rest,
    headerConditions: headerConditions.map(({ key: _key, ...r }) => r),
    targets: targets.map(({ key: _key, ...r }) => r),
  });
}

/** Whether a field path is one the editor shows an error next to (rows only while they exist). */
export function isEditorField(form: Pick<RouteForm, "targets" | "headerConditions">, path: string): boolean {
  if (TOP_LEVEL_FIELDS.has(path)) return true;
  const row = /^(targets|headerConditions)\.(\d+)\.(\w+)$/.exec(path);
  if (!row) return false;
  const [, list, index, field] = row;
  const rows = list === "targets" ? form.targets : form.headerConditions;
  const fields = list === "targets" ? ["agentId", "weight", "priority", "model"] : ["header", "op", "value"];
  return Number(index) < rows.length && fields.includes(field!);
}

const TOP_LEVEL_FIELDS = new Set([
  "name",
  "slug",
  "alias",
  "description",
  "strategy",
  "requiredSkill",
  "matchTags",
  "labels",
  "headerConditions",
  "targets",
  "timeoutMs",
  "deadlineMs",
  "maxRetries",
  "retryBudgetPercent",
  "breakerFailureThreshold",
  "breakerCooldownMs",
]);

/**
 * A new strategy. Capability routes need no targets, so rows where no agent was chosen go; the
 * other strategies need one, so an empty row is offered when there is none.
 */
export function withStrategy(form: RouteForm, strategy: RouteStrategy): RouteForm {
  if (strategy === "CAPABILITY") return { ...form, strategy, targets: form.targets.filter((t) => t.agentId) };
  return { ...form, strategy, targets: form.targets.length ? form.targets : [newTargetRow()] };
}

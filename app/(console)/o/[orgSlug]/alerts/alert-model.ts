import { prepareTimeSeries, type TimeSeriesModel } from "@/components/analytics/timeseries";
import type { AlertDetail, RuleConfigInput, RuleView } from "@/server/alerts/schema";

export const STATUS_LABEL = { FIRING: "Firing", ACKED: "Acknowledged", RESOLVED: "Resolved" } as const;
export const STATUS_VARIANT = { FIRING: "destructive", ACKED: "warning", RESOLVED: "success" } as const;
export const SEVERITY_VARIANT = { LOW: "outline", MEDIUM: "secondary", HIGH: "warning", CRITICAL: "destructive" } as const;
export const KIND_LABEL = { ANOMALY: "Anomaly", THRESHOLD: "Threshold", FORECAST: "Forecast", AGENT_HEALTH: "Agent health" } as const;
export const OP_LABEL = { gt: ">", gte: "≥", lt: "<", lte: "≤" } as const;

/**
 * The evidence of an alert as a chart: the metric's line, the expected band behind it (anomaly and
 * forecast rules; a threshold rule's band is its threshold line) and the anomalous minutes marked.
 */
export function evidenceChart(alert: Pick<AlertDetail, "metric" | "evidence">): TimeSeriesModel | null {
  const { evidence, metric } = alert;
  if (!metric || evidence.points.length === 0) return null;
  const points = evidence.points;
  const from = points[0]!.t;
  const to = points.at(-1)!.t + 60_000;
  return prepareTimeSeries({
    metric,
    resolution: "minute",
    stepMs: 60_000,
    from,
    to,
    series: [{ key: metric, label: "Observed", points: points.map((p) => ({ t: p.t, value: p.value })) }],
    band: points.flatMap((p) => (p.lower !== null && p.upper !== null ? [{ t: p.t, lower: p.lower, upper: p.upper }] : [])),
    marks: points.flatMap((p) => (p.anomaly && p.value !== null ? [{ t: p.t, value: p.value }] : [])),
  });
}

export interface TimelineEntry {
  at: Date;
  label: string;
}

/** Fired, acknowledged (by whom), resolved (by whom or by itself), oldest first. */
export function alertTimeline(alert: Pick<AlertDetail, "startedAt" | "lastSeenAt" | "occurrences" | "ackedAt" | "ackedByEmail" | "resolvedAt" | "resolvedBy">): TimelineEntry[] {
  const out: TimelineEntry[] = [{ at: alert.startedAt, label: "Fired" }];
  if (alert.occurrences > 1) out.push({ at: alert.lastSeenAt, label: `Last seen (${alert.occurrences} anomalous minutes)` });
  if (alert.ackedAt) out.push({ at: alert.ackedAt, label: `Acknowledged by ${alert.ackedByEmail ?? "someone"}` });
  if (alert.resolvedAt) out.push({ at: alert.resolvedAt, label: alert.resolvedBy === "auto" ? "Resolved by itself (back to normal)" : `Resolved by ${alert.resolvedBy ?? "someone"}` });
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The rule form's state: strings as typed. */
export interface RuleDraft {
  name: string;
  kind: RuleView["kind"];
  metric: RuleView["metric"];
  routeId: string;
  agentId: string;
  sensitivity: string;
  thresholdOp: "gt" | "gte" | "lt" | "lte";
  thresholdValue: string;
  horizonMinutes: string;
  forMinutes: string;
  minRequests: string;
  severity: RuleView["severity"];
  enabled: boolean;
  webhookIds: string[];
  /** Comma-separated, as typed. */
  emailRecipients: string;
}

export const emptyRuleDraft: RuleDraft = {
  name: "",
  kind: "ANOMALY",
  metric: "p95",
  routeId: "",
  agentId: "",
  sensitivity: "0.5",
  thresholdOp: "gt",
  thresholdValue: "",
  horizonMinutes: "60",
  forMinutes: "1",
  minRequests: "0",
  severity: "MEDIUM",
  enabled: true,
  webhookIds: [],
  emailRecipients: "",
};

export function draftOf(rule: RuleView): RuleDraft {
  return {
    name: rule.name,
    kind: rule.kind,
    metric: rule.metric,
    routeId: rule.routeId ?? "",
    agentId: rule.agentId ?? "",
    sensitivity: String(rule.sensitivity),
    thresholdOp: rule.thresholdOp ?? "gt",
    thresholdValue: rule.thresholdValue === null ? "" : String(rule.thresholdValue),
    horizonMinutes: rule.horizonMinutes === null ? "60" : String(rule.horizonMinutes),
    forMinutes: String(rule.forMinutes),
    minRequests: String(rule.minRequests),
    severity: rule.severity,
    enabled: rule.enabled,
    webhookIds: rule.webhookIds,
    emailRecipients: rule.emailRecipients.join(", "),
  };
}

const num = (text: string) => (text.trim() === "" ? null : Number(text));

/** "a@x.test, b@x.test" (commas, semicolons or spaces) as a list; the server checks each address. */
export function recipientsOf(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

/** The draft as the API's input; the server validates (and names the field when something is off). */
export function ruleInputOf(draft: RuleDraft): Omit<RuleConfigInput, "orgSlug"> {
  const thresholdKind = draft.kind === "THRESHOLD" || draft.kind === "FORECAST";
  return {
    name: draft.name,
    kind: draft.kind,
    metric: draft.metric,
    routeId: draft.routeId || null,
    agentId: draft.agentId || null,
    sensitivity: num(draft.sensitivity) ?? 0.5,
    thresholdOp: thresholdKind ? draft.thresholdOp : null,
    thresholdValue: thresholdKind ? num(draft.thresholdValue) : null,
    horizonMinutes: draft.kind === "FORECAST" ? num(draft.horizonMinutes) : null,
    forMinutes: num(draft.forMinutes) ?? 1,
    minRequests: num(draft.minRequests) ?? 0,
    severity: draft.severity,
    enabled: draft.enabled,
    webhookIds: draft.webhookIds,
    emailRecipients: recipientsOf(draft.emailRecipients),
  };
}

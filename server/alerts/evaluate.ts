import type { Prisma } from "@/server/generated/prisma/client";
import type { AlertStatus } from "@/server/generated/prisma/enums";
import type { Db } from "@/server/db";
import { createDetector, forecast, update, type DetectorConfig, type DetectorState } from "@/server/anomaly";
import { recordAudit } from "@/server/audit/record";
import { enqueueDeliveries } from "./deliveries";
import { AUTO_RESOLVE_MINUTES, metricLabel, metricUnit, type Evidence, type EvidencePoint, type Metric, type Severity, type ThresholdOp } from "./schema";
import { badDirection, formatMetric, lastCompleteMinute, metricValue, MINUTE_MS, readMinutes, scopeLabel } from "./series";

/** How far back a new rule learns from (and how far a stalled evaluator catches up). */
export const LOOKBACK_MINUTES = 24 * 60;
/** Points the detector learns before it may flag: an hour, so a new rule is useful the same day. */
export const WARMUP_POINTS = 60;
/** Minutes of the series kept on the rule and copied into an alert's evidence. */
const RECENT_POINTS = 120;
const EVIDENCE_POINTS = 240;
/** On a rule's first evaluation, history older than this only trains the detector. */
const FRESH_MINUTES = 5;

export const SEVERITY_WEIGHT: Record<Severity, number> = { LOW: 1, MEDIUM: 2, HIGH: 4, CRITICAL: 8 };

const OPEN: AlertStatus[] = ["FIRING", "ACKED"];

const ruleSelect = {
  id: true,
  orgId: true,
  name: true,
  kind: true,
  metric: true,
  routeId: true,
  agentId: true,
  sensitivity: true,
  thresholdOp: true,
  thresholdValue: true,
  horizonMinutes: true,
  forMinutes: true,
  minRequests: true,
  severity: true,
  webhookIds: true,
  emailRecipients: true,
  detectorState: true,
  lastEvaluatedBucket: true,
  breachStreak: true,
  normalStreak: true,
  createdAt: true,
  org: { select: { id: true, slug: true, name: true } },
} as const satisfies Prisma.AlertRuleSelect;
type RuleRow = Prisma.AlertRuleGetPayload<{ select: typeof ruleSelect }>;

/** What the rule carries between evaluations: the detector and the latest minutes as evaluated. */
interface RuleState {
  detector: DetectorState | null;
  recent: EvidencePoint[];
}

function readState(json: Prisma.JsonValue | null): RuleState {
  const s = (json ?? {}) as Partial<RuleState>;
  return { detector: s.detector ?? null, recent: Array.isArray(s.recent) ? s.recent : [] };
}

export function fingerprintOf(rule: { id: string; routeId: string | null; agentId: string | null }, agentId?: string): string {
  if (agentId) return `${rule.id}:agent:${agentId}`;
  return `${rule.id}:route:${rule.routeId ?? "*"}:agent:${rule.agentId ?? "*"}`;
}

export function compare(value: number, op: ThresholdOp, threshold: number): boolean {
  switch (op) {
    case "gt":
      return value > threshold;
    case "gte":
      return value >= threshold;
    case "lt":
      return value < threshold;
    case "lte":
      return value <= threshold;
  }
}

const OP_SYMBOL: Record<ThresholdOp, string> = { gt: ">", gte: "≥", lt: "<", lte: "≤" };

function detectorConfig(rule: RuleRow): DetectorConfig {
  return { sensitivity: rule.sensitivity, warmupPoints: WARMUP_POINTS };
}

function mergePoints(existing: EvidencePoint[], recent: EvidencePoint[]): EvidencePoint[] {
  const byT = new Map<number, EvidencePoint>();
  for (const p of existing) byT.set(p.t, p);
  for (const p of recent) byT.set(p.t, p);
  return [...byT.values()].sort((a, b) => a.t - b.t).slice(-EVIDENCE_POINTS);
}

interface Breach {
  t: number;
  point: EvidencePoint;
  summary: string;
  forecast: Evidence["forecast"];
}

/**
 * Opens an alert for the fingerprint, or adds this breach to the one already open (one incident,
 * not one alert per minute). Deliveries are queued in the same transaction.
 */
async function fireOrUpdate(db: Db, rule: RuleRow, fingerprint: string, breach: Breach, recent: EvidencePoint[], extra: Partial<Evidence> = {}) {
  await db.$transaction(async (tx) => {
    const open = await tx.alert.findFirst({ where: { ruleId: rule.id, fingerprint, status: { in: OPEN } }, orderBy: { startedAt: "desc" } });
    const affected = Math.max(1, breach.point.requests);
    const threshold = rule.thresholdOp && rule.thresholdValue !== null ? { op: rule.thresholdOp as ThresholdOp, value: rule.thresholdValue } : null;
    if (open) {
      const evidence = open.evidence as unknown as Evidence;
      const requestsAffected = (evidence.requestsAffected ?? 0) + affected;
      const next: Evidence = {
        ...evidence,
        ...extra,
        points: mergePoints(evidence.points ?? [], recent),
        forecast: breach.forecast ?? evidence.forecast ?? null,
        statusChanges: extra.statusChanges ? [...(evidence.statusChanges ?? []), ...extra.statusChanges].slice(-50) : (evidence.statusChanges ?? null),
        requestsAffected,
      };
      await tx.alert.update({
        where: { id: open.id },
        data: {
          occurrences: { increment: 1 },
          lastSeenAt: new Date(breach.t),
          summary: breach.summary,
          priority: SEVERITY_WEIGHT[rule.severity] * requestsAffected,
          evidence: next as unknown as Prisma.InputJsonValue,
        },
      });
      return;
    }
    const evidence: Evidence = {
      metric: rule.kind === "AGENT_HEALTH" ? null : (rule.metric as Metric),
      unit: rule.kind === "AGENT_HEALTH" ? "" : metricUnit[rule.metric as Metric],
      points: mergePoints([], recent),
      threshold,
      forecast: breach.forecast,
      statusChanges: null,
      requestsAffected: affected,
      ...extra,
    };
    const alert = await tx.alert.create({
      data: {
        orgId: rule.orgId,
        ruleId: rule.id,
        fingerprint,
        status: "FIRING",
        severity: rule.severity,
        priority: SEVERITY_WEIGHT[rule.severity] * affected,
        summary: breach.summary,
        evidence: evidence as unknown as Prisma.InputJsonValue,
        startedAt: new Date(breach.t),
        lastSeenAt: new Date(breach.t),
      },
    });
    await recordAudit(tx, {
      orgId: rule.orgId,
      actor: null,
      action: "alert.fired",
      targetType: "alert",
      targetId: alert.id,
      after: { ruleId: rule.id, ruleName: rule.name, severity: rule.severity, summary: breach.summary },
    });
    await enqueueDeliveries(tx, { event: "fired", alert, rule, org: rule.org });
  });
}

async function autoResolve(db: Db, rule: RuleRow, fingerprint: string, at: number, recent: EvidencePoint[]) {
  await db.$transaction(async (tx) => {
    const open = await tx.alert.findFirst({ where: { ruleId: rule.id, fingerprint, status: { in: OPEN } } });
    if (!open) return;
    const evidence = open.evidence as unknown as Evidence;
    const alert = await tx.alert.update({
      where: { id: open.id },
      data: {
        status: "RESOLVED",
        resolvedAt: new Date(at),
        resolvedBy: "auto",
        evidence: { ...evidence, points: mergePoints(evidence.points ?? [], recent) } as unknown as Prisma.InputJsonValue,
      },
    });
    await recordAudit(tx, {
      orgId: rule.orgId,
      actor: null,
      action: "alert.resolved",
      targetType: "alert",
      targetId: alert.id,
      before: { status: open.status },
      after: { status: "RESOLVED", resolvedBy: "auto" },
    });
    await enqueueDeliveries(tx, { event: "resolved", alert, rule, org: rule.org });
  });
}

/** ANOMALY, THRESHOLD and FORECAST: the rule's metric, minute by minute, since it was last evaluated. */
async function evaluateMetricRule(db: Db, rule: RuleRow, now: number) {
  const last = lastCompleteMinute(now);
  const firstRun = rule.lastEvaluatedBucket === null;
  let from = firstRun ? last - (LOOKBACK_MINUTES - 1) * MINUTE_MS : rule.lastEvaluatedBucket!.getTime() + MINUTE_MS;
  from = Math.max(from, last - (LOOKBACK_MINUTES - 1) * MINUTE_MS);
  if (from > last) return;

  const metric = rule.metric as Metric;
  const config = detectorConfig(rule);
  const state = readState(rule.detectorState);
  const usesDetector = rule.kind === "ANOMALY" || rule.kind === "FORECAST";
  if (usesDetector && !state.detector) state.detector = createDetector(config);
  const minutes = await readMinutes({ db, scope: { orgId: rule.orgId, routeId: rule.routeId, agentId: rule.agentId }, from, to: last, withQuality: metric === "quality" });
  const fingerprint = fingerprintOf(rule);
  const where = await scopeLabel(db, rule);
  const bad = badDirection(metric);
  let { breachStreak, normalStreak } = rule;

  for (let t = from; t <= last; t += MINUTE_MS) {
    const m = minutes.get(t);
    const requests = m?.requests ?? 0;
    const value = requests < rule.minRequests ? null : metricValue(metric, m);
    const point: EvidencePoint = { t, value, expected: null, lower: null, upper: null, anomaly: false, requests };
    let breach = false;
    let summary = "";
    let fc: Evidence["forecast"] = null;

    if (value !== null && state.detector) {
      const scored = update(state.detector, t, value, config);
      if (Number.isFinite(scored.expected)) {
        point.expected = scored.expected;
        point.lower = scored.lower;
        point.upper = scored.upper;
      }
      if (rule.kind === "ANOMALY" && scored.anomaly && (bad === "both" || scored.direction === bad)) {
        breach = true;
        summary = `${metricLabel[metric]} of ${where} is ${formatMetric(metric, value)}, expected ${formatMetric(metric, scored.expected)} (${formatMetric(metric, scored.lower)} – ${formatMetric(metric, scored.upper)})`;
      }
    }
    if (value !== null && rule.kind === "THRESHOLD" && rule.thresholdOp && rule.thresholdValue !== null) {
      point.lower = point.upper = rule.thresholdValue;
      if (compare(value, rule.thresholdOp as ThresholdOp, rule.thresholdValue)) {
        breach = true;
        summary = `${metricLabel[metric]} of ${where} is ${formatMetric(metric, value)} (threshold ${OP_SYMBOL[rule.thresholdOp as ThresholdOp]} ${formatMetric(metric, rule.thresholdValue)})`;
      }
    }
    if (value !== null && rule.kind === "FORECAST" && state.detector && state.detector.n >= WARMUP_POINTS && rule.thresholdOp && rule.thresholdValue !== null && rule.horizonMinutes) {
      const ahead = forecast(state.detector, t, rule.horizonMinutes, config);
      const hit = ahead.find((p) => compare(p.expected, rule.thresholdOp as ThresholdOp, rule.thresholdValue!));
      if (hit) {
        breach = true;
        fc = ahead.filter((_, i) => i % Math.max(1, Math.floor(ahead.length / 60)) === 0);
        const inMin = Math.round((hit.t - t) / MINUTE_MS);
        summary = `${metricLabel[metric]} of ${where} is forecast to reach ${formatMetric(metric, hit.expected)} in ${inMin} min (threshold ${OP_SYMBOL[rule.thresholdOp as ThresholdOp]} ${formatMetric(metric, rule.thresholdValue)}); now ${formatMetric(metric, value)}`;
      }
    }

    point.anomaly = breach;
    state.recent.push(point);
    if (state.recent.length > RECENT_POINTS) state.recent.splice(0, state.recent.length - RECENT_POINTS);

    // A quiet minute (no value) counts towards resolving, never towards firing.
    if (breach) {
      breachStreak++;
      normalStreak = 0;
    } else {
      normalStreak++;
      breachStreak = 0;
    }
    const alertable = !firstRun || t > last - FRESH_MINUTES * MINUTE_MS;
    if (!alertable) continue;
    if (breach && breachStreak >= rule.forMinutes) {
      await fireOrUpdate(db, rule, fingerprint, { t, point, summary, forecast: fc }, state.recent);
    } else if (!breach && normalStreak === AUTO_RESOLVE_MINUTES) {
      await autoResolve(db, rule, fingerprint, t, state.recent);
    }
  }

  await db.alertRule.update({
    where: { id: rule.id },
    data: {
      detectorState: state as unknown as Prisma.InputJsonValue,
      lastEvaluatedBucket: new Date(last),
      breachStreak,
      normalStreak,
    },
  });
}

/** AGENT_HEALTH: the registry's status changes since the last evaluation, one incident per agent. */
async function evaluateHealthRule(db: Db, rule: RuleRow, now: number) {
  const since = rule.lastEvaluatedBucket ?? rule.createdAt;
  const changes = await db.agentStatusChange.findMany({
    where: { orgId: rule.orgId, at: { gt: since, lte: new Date(now) }, ...(rule.agentId ? { agentId: rule.agentId } : {}) },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { agentId: true, at: true, from: true, to: true, reason: true, agent: { select: { name: true } } },
    take: 1000,
  });
  for (const c of changes) {
    const fingerprint = fingerprintOf(rule, c.agentId);
    const change = { at: c.at.getTime(), from: c.from, to: c.to, reason: c.reason };
    if (c.to === "UNHEALTHY") {
      const point: EvidencePoint = { t: c.at.getTime(), value: null, expected: null, lower: null, upper: null, anomaly: true, requests: 0 };
      await fireOrUpdate(db, rule, fingerprint, { t: c.at.getTime(), point, summary: `Agent ${c.agent.name} is unhealthy: ${c.reason}`, forecast: null }, [], {
        statusChanges: [change],
      });
    } else {
      await autoResolve(db, rule, fingerprint, c.at.getTime(), []);
    }
  }
  const newest = changes.at(-1)?.at;
  if (newest || !rule.lastEvaluatedBucket) {
    await db.alertRule.update({ where: { id: rule.id }, data: { lastEvaluatedBucket: newest ?? since } });
  }
}

/** Evaluates one rule up to the newest complete minute at `now`. */
export async function unsafeEvaluateRule(opts: { db: Db; ruleId: string; now?: number }): Promise<void> {
  const rule = await opts.db.alertRule.findUnique({ where: { id: opts.ruleId }, select: ruleSelect });
  if (!rule) return;
  const now = opts.now ?? Date.now();
  if (rule.kind === "AGENT_HEALTH") await evaluateHealthRule(opts.db, rule, now);
  else await evaluateMetricRule(opts.db, rule, now);
}

/**
 * One evaluation round over every enabled rule of every organization (or of one). A rule that fails
 * is reported and skipped; the others still run.
 */
export async function unsafeEvaluateAllRules(opts: { db: Db; now?: number; orgId?: string; log?: (line: string) => void }): Promise<{ evaluated: number; failed: number }> {
  const rules = await opts.db.alertRule.findMany({ where: { enabled: true, ...(opts.orgId ? { orgId: opts.orgId } : {}) }, select: { id: true } });
  let failed = 0;
  for (const r of rules) {
    try {
      await unsafeEvaluateRule({ db: opts.db, ruleId: r.id, now: opts.now });
    } catch (error) {
      failed++;
      opts.log?.(`alert rule ${r.id}: evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { evaluated: rules.length - failed, failed };
}

import { Prisma } from "@/server/generated/prisma/client";
import type { AlertStatus } from "@/server/generated/prisma/enums";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { enqueueDeliveries } from "./deliveries";
import type { z } from "zod";
import type { AlertDetail, AlertSummary, alertListInput, Evidence, Metric, RuleConfig, RuleView, ThresholdOp } from "./schema";

const OPEN: AlertStatus[] = ["FIRING", "ACKED"];

// ---------------------------------------------------------------------------------------------
// Rules

const ruleSelect = {
  id: true,
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
  enabled: true,
  webhookIds: true,
  emailRecipients: true,
  lastEvaluatedBucket: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.AlertRuleSelect;
type RuleRow = Prisma.AlertRuleGetPayload<{ select: typeof ruleSelect }>;

async function toRuleViews(tx: Tx, orgId: string, rows: RuleRow[]): Promise<RuleView[]> {
  const routeIds = rows.flatMap((r) => (r.routeId ? [r.routeId] : []));
  const agentIds = rows.flatMap((r) => (r.agentId ? [r.agentId] : []));
  const [routes, agents, open] = await Promise.all([
    tx.route.findMany({ where: { orgId, id: { in: routeIds } }, select: { id: true, name: true } }),
    tx.agent.findMany({ where: { orgId, id: { in: agentIds } }, select: { id: true, name: true } }),
    tx.alert.groupBy({ by: ["ruleId"], where: { orgId, ruleId: { in: rows.map((r) => r.id) }, status: { in: OPEN } }, _count: { _all: true } }),
  ]);
  const routeName = new Map(routes.map((r) => [r.id, r.name]));
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  const openBy = new Map(open.map((o) => [o.ruleId, o._count._all]));
  return rows.map((r) => ({
    ...r,
    metric: r.metric as Metric,
    thresholdOp: (r.thresholdOp as ThresholdOp | null) ?? null,
    routeName: r.routeId ? (routeName.get(r.routeId) ?? null) : null,
    agentName: r.agentId ? (agentName.get(r.agentId) ?? null) : null,
    openAlerts: openBy.get(r.id) ?? 0,
  }));
}

export async function listRules(opts: { ctx: OrgContext }) {
  const { ctx } = opts;
  const rows = await ctx.db.alertRule.findMany({ where: { orgId: ctx.org.id }, orderBy: [{ name: "asc" }, { id: "asc" }], select: ruleSelect });
  return toRuleViews(ctx.db, ctx.org.id, rows);
}

async function loadRule(tx: Tx, orgId: string, ruleId: string): Promise<RuleView> {
  const row = await tx.alertRule.findFirst({ where: { id: ruleId, orgId }, select: ruleSelect });
  if (!row) throw notFound("Alert rule");
  return (await toRuleViews(tx, orgId, [row]))[0]!;
}

export async function getRule(opts: { ctx: OrgContext; ruleId: string }) {
  return loadRule(opts.ctx.db, opts.ctx.org.id, opts.ruleId);
}

/** The route, agent and webhooks a rule names must be this organization's: another's are not found. */
async function assertScopeInOrg(tx: Tx, orgId: string, config: RuleConfig) {
  if (config.routeId && !(await tx.route.findFirst({ where: { id: config.routeId, orgId }, select: { id: true } }))) throw notFound("Route");
  if (config.agentId && !(await tx.agent.findFirst({ where: { id: config.agentId, orgId }, select: { id: true } }))) throw notFound("Agent");
  if (config.webhookIds.length) {
    const found = await tx.webhookEndpoint.count({ where: { orgId, id: { in: config.webhookIds } } });
    if (found !== new Set(config.webhookIds).size) throw notFound("Webhook");
  }
}

function columns(config: RuleConfig) {
  const thresholdKind = config.kind === "THRESHOLD" || config.kind === "FORECAST";
  return {
    name: config.name,
    kind: config.kind,
    metric: config.metric,
    routeId: config.routeId ?? null,
    agentId: config.agentId ?? null,
    sensitivity: config.sensitivity,
    thresholdOp: thresholdKind ? (config.thresholdOp ?? null) : null,
    thresholdValue: thresholdKind ? (config.thresholdValue ?? null) : null,
    horizonMinutes: config.kind === "FORECAST" ? (config.horizonMinutes ?? null) : null,
    forMinutes: config.forMinutes,
    minRequests: config.minRequests,
    severity: config.severity,
    enabled: config.enabled,
    webhookIds: [...new Set(config.webhookIds)],
    emailRecipients: [...new Set(config.emailRecipients)],
  };
}

export async function createRule(opts: { ctx: OrgContext; config: RuleConfig }) {
  const { ctx, config } = opts;
  return ctx.db.$transaction(async (tx) => {
    await assertScopeInOrg(tx, ctx.org.id, config);
    const rule = await tx.alertRule.create({ data: { orgId: ctx.org.id, createdById: ctx.user.id, ...columns(config) }, select: { id: true } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "alert_rule.created",
      targetType: "alert_rule",
      targetId: rule.id,
      after: columns(config) as Prisma.InputJsonValue,
    });
    return loadRule(tx, ctx.org.id, rule.id);
  });
}

export async function updateRule(opts: { ctx: OrgContext; ruleId: string; config: RuleConfig }) {
  const { ctx, ruleId, config } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.alertRule.findFirst({ where: { id: ruleId, orgId: ctx.org.id }, select: ruleSelect });
    if (!before) throw notFound("Alert rule");
    await assertScopeInOrg(tx, ctx.org.id, config);
    const next = columns(config);
    // What the series means changed: learn it afresh rather than judge it by the old one.
    const seriesChanged =
      before.kind !== next.kind || before.metric !== next.metric || before.routeId !== next.routeId || before.agentId !== next.agentId;
    await tx.alertRule.update({
      where: { id: ruleId },
      data: {
        ...next,
        ...(seriesChanged ? { detectorState: Prisma.DbNull, lastEvaluatedBucket: null, breachStreak: 0, normalStreak: 0 } : {}),
      },
    });
    const { lastEvaluatedBucket: _l, createdAt: _c, updatedAt: _u, ...shown } = before;
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "alert_rule.updated",
      targetType: "alert_rule",
      targetId: ruleId,
      before: shown as Prisma.InputJsonValue,
      after: next as Prisma.InputJsonValue,
    });
    return loadRule(tx, ctx.org.id, ruleId);
  });
}

export async function deleteRule(opts: { ctx: OrgContext; ruleId: string }) {
  const { ctx, ruleId } = opts;
  return ctx.db.$transaction(async (tx) => {
    const rule = await tx.alertRule.findFirst({ where: { id: ruleId, orgId: ctx.org.id }, select: { id: true, name: true, kind: true, metric: true } });
    if (!rule) throw notFound("Alert rule");
    await tx.alertRule.delete({ where: { id: rule.id } });
    await recordAudit(tx, { orgId: ctx.org.id, actor: ctx.user, action: "alert_rule.deleted", targetType: "alert_rule", targetId: rule.id, before: rule });
    return { id: rule.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Alerts

const alertSelect = {
  id: true,
  ruleId: true,
  fingerprint: true,
  status: true,
  severity: true,
  priority: true,
  summary: true,
  occurrences: true,
  startedAt: true,
  lastSeenAt: true,
  ackedAt: true,
  ackedByEmail: true,
  resolvedAt: true,
  resolvedBy: true,
  rule: { select: { name: true, kind: true, metric: true } },
} as const satisfies Prisma.AlertSelect;
type AlertRow = Prisma.AlertGetPayload<{ select: typeof alertSelect }>;

function toSummary(row: AlertRow): AlertSummary {
  const { rule, ...rest } = row;
  return { ...rest, ruleName: rule.name, ruleKind: rule.kind };
}

type ListInput = z.output<typeof alertListInput>;

/**
 * Alerts of this organization. Open alerts (the default view) come by priority, highest first;
 * other filters newest first. Keyset-paged by the last alert's id.
 */
export async function listAlerts(opts: { ctx: OrgContext; filter: ListInput }) {
  const { ctx, filter } = opts;
  const where: Prisma.AlertWhereInput = { orgId: ctx.org.id };
  if (filter.status === "open") where.status = { in: OPEN };
  else if (filter.status) where.status = filter.status;
  const byPriority = filter.status === "open";

  if (filter.cursor) {
    const anchor = await ctx.db.alert.findFirst({ where: { id: filter.cursor, orgId: ctx.org.id }, select: { id: true, startedAt: true, priority: true } });
    if (!anchor) throw notFound("Alert for this cursor");
    where.AND = byPriority
      ? [{ priority: { lte: anchor.priority } }, { OR: [{ priority: { lt: anchor.priority } }, { id: { lt: anchor.id } }] }]
      : [{ startedAt: { lte: anchor.startedAt } }, { OR: [{ startedAt: { lt: anchor.startedAt } }, { id: { lt: anchor.id } }] }];
  }
  const rows = await ctx.db.alert.findMany({
    where,
    orderBy: byPriority ? [{ priority: "desc" }, { id: "desc" }] : [{ startedAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    select: alertSelect,
  });
  const alerts = rows.slice(0, filter.limit).map(toSummary);
  return { alerts, nextCursor: rows.length > filter.limit ? (alerts.at(-1)?.id ?? null) : null };
}

export async function getAlert(opts: { ctx: OrgContext; alertId: string }): Promise<AlertDetail> {
  const row = await opts.ctx.db.alert.findFirst({ where: { id: opts.alertId, orgId: opts.ctx.org.id }, select: { ...alertSelect, evidence: true } });
  if (!row) throw notFound("Alert");
  const { evidence, ...rest } = row;
  const e = evidence as unknown as Partial<Evidence>;
  return {
    ...toSummary(rest),
    metric: row.rule.kind === "AGENT_HEALTH" ? null : (row.rule.metric as Metric),
    evidence: {
      metric: e.metric ?? null,
      unit: e.unit ?? "",
      points: e.points ?? [],
      threshold: e.threshold ?? null,
      forecast: e.forecast ?? null,
      statusChanges: e.statusChanges ?? null,
      requestsAffected: e.requestsAffected ?? 0,
    },
  };
}

export async function openAlertCount(opts: { ctx: OrgContext }) {
  const firing = await opts.ctx.db.alert.count({ where: { orgId: opts.ctx.org.id, status: "FIRING" } });
  const acked = await opts.ctx.db.alert.count({ where: { orgId: opts.ctx.org.id, status: "ACKED" } });
  return { firing, acked, open: firing + acked };
}

async function transition(opts: { ctx: OrgContext; alertId: string; to: "ACKED" | "RESOLVED" }) {
  const { ctx, alertId, to } = opts;
  return ctx.db.$transaction(async (tx) => {
    const alert = await tx.alert.findFirst({ where: { id: alertId, orgId: ctx.org.id }, select: { id: true, status: true, ruleId: true } });
    if (!alert) throw notFound("Alert");
    if (alert.status === "RESOLVED") throw badRequest("This alert is already resolved", "alertId");
    if (to === "ACKED" && alert.status === "ACKED") throw badRequest("This alert is already acknowledged", "alertId");
    const now = new Date();
    const updated = await tx.alert.update({
      where: { id: alert.id },
      data: to === "ACKED" ? { status: "ACKED", ackedAt: now, ackedById: ctx.user.id, ackedByEmail: ctx.user.email } : { status: "RESOLVED", resolvedAt: now, resolvedBy: ctx.user.email },
      include: { rule: { select: { name: true, kind: true, metric: true, routeId: true, agentId: true, webhookIds: true, emailRecipients: true } } },
    });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: to === "ACKED" ? "alert.acked" : "alert.resolved",
      targetType: "alert",
      targetId: alert.id,
      before: { status: alert.status },
      after: { status: to },
    });
    const event = to === "ACKED" ? "acked" : "resolved";
    await enqueueDeliveries(tx, { event, alert: updated, rule: updated.rule, org: ctx.org });
    return getAlert({ ctx: { ...ctx, db: tx as OrgContext["db"] }, alertId: alert.id });
  });
}

export const ackAlert = (opts: { ctx: OrgContext; alertId: string }) => transition({ ...opts, to: "ACKED" });
export const resolveAlert = (opts: { ctx: OrgContext; alertId: string }) => transition({ ...opts, to: "RESOLVED" });

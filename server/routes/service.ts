import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { OrgContext } from "@/server/trpc/init";
import { conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import type { RouteConfig, RouteDetail } from "./schema";

const detailSelect = {
  id: true,
  name: true,
  slug: true,
  alias: true,
  description: true,
  enabled: true,
  strategy: true,
  version: true,
  updatedAt: true,
  requiredSkill: true,
  matchTags: true,
  labels: true,
  headerConditions: true,
  timeoutMs: true,
  deadlineMs: true,
  maxRetries: true,
  retryBudgetPercent: true,
  breakerFailureThreshold: true,
  breakerCooldownMs: true,
  targets: {
    select: {
      agentId: true,
      weight: true,
      priority: true,
      model: true,
      agent: { select: { name: true, slug: true, protocol: true, status: true } },
    },
    orderBy: [{ priority: "asc" }, { weight: "desc" }],
  },
} as const satisfies Prisma.RouteSelect;

type DetailRow = Prisma.RouteGetPayload<{ select: typeof detailSelect }>;

function toDetail(row: DetailRow): RouteDetail {
  const { targets, headerConditions, ...rest } = row;
  return {
    ...rest,
    headerConditions: headerConditions as RouteDetail["headerConditions"],
    targetCount: targets.length,
    targets: targets.map((t) => ({
      agentId: t.agentId,
      agentName: t.agent.name,
      agentSlug: t.agent.slug,
      agentProtocol: t.agent.protocol,
      agentStatus: t.agent.status,
      weight: t.weight,
      priority: t.priority,
      model: t.model,
    })),
  };
}

/** The saved configuration of a route in the shape the editor sends, for versions and diffs. */
export function configOf(route: RouteDetail): RouteConfig {
  return {
    name: route.name,
    slug: route.slug,
    alias: route.alias,
    description: route.description,
    strategy: route.strategy,
    requiredSkill: route.requiredSkill,
    matchTags: route.matchTags,
    labels: route.labels,
    headerConditions: route.headerConditions,
    timeoutMs: route.timeoutMs,
    deadlineMs: route.deadlineMs,
    maxRetries: route.maxRetries,
    retryBudgetPercent: route.retryBudgetPercent,
    breakerFailureThreshold: route.breakerFailureThreshold,
    breakerCooldownMs: route.breakerCooldownMs,
    targets: route.targets.map((t) => ({ agentId: t.agentId, weight: t.weight, priority: t.priority, model: t.model })),
  };
}

export async function listRoutes(opts: { ctx: OrgContext }) {
  const rows = await opts.ctx.db.route.findMany({
    where: { orgId: opts.ctx.org.id },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      slug: true,
      alias: true,
      description: true,
      enabled: true,
      strategy: true,
      version: true,
      updatedAt: true,
    },
  });
  // Counted for these routes only (Prisma's relation _count aggregates the whole table).
  const counts = await opts.ctx.db.routeTarget.groupBy({ by: ["routeId"], where: { routeId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
  const byRoute = new Map(counts.map((c) => [c.routeId, c._count._all]));
  return rows.map((r) => ({ ...r, targetCount: byRoute.get(r.id) ?? 0 }));
}

async function loadDetail(tx: Tx, orgId: string, routeId: string): Promise<RouteDetail> {
  const row = await tx.route.findFirst({ where: { id: routeId, orgId }, select: detailSelect });
  if (!row) throw notFound("Route");
  return toDetail(row);
}

export async function getRoute(opts: { ctx: OrgContext; routeId: string }) {
  return loadDetail(opts.ctx.db, opts.ctx.org.id, opts.routeId);
}

export async function listRouteVersions(opts: { ctx: OrgContext; routeId: string }) {
  const { ctx, routeId } = opts;
  await loadDetail(ctx.db, ctx.org.id, routeId);
  const versions = await ctx.db.routeVersion.findMany({
    where: { routeId, orgId: ctx.org.id },
    orderBy: { version: "desc" },
    take: 100,
    select: { version: true, createdAt: true, createdById: true, config: true },
  });
  const authors = new Map(
    (
      await ctx.db.user.findMany({
        where: { id: { in: versions.flatMap((v) => (v.createdById ? [v.createdById] : [])) } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.id, u.email]),
  );
  return versions.map(({ createdById, config, ...v }) => ({
    ...v,
    config: config as unknown as RouteConfig,
    createdBy: createdById ? (authors.get(createdById) ?? null) : null,
  }));
}

/** Targets must be this organization's agents: another organization's agent id is not found. */
async function assertAgentsInOrg(tx: Tx, orgId: string, config: RouteConfig) {
  const ids = config.targets.map((t) => t.agentId);
  if (ids.length === 0) return;
  const found = new Set((await tx.agent.findMany({ where: { orgId, id: { in: ids } }, select: { id: true } })).map((a) => a.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw notFound(`Agent ${missing}`);
}

async function assertFree(tx: Tx, orgId: string, config: RouteConfig, exceptRouteId?: string) {
  const clash = await tx.route.findFirst({
    where: { orgId, OR: [{ slug: config.slug }, { alias: config.alias }], NOT: exceptRouteId ? { id: exceptRouteId } : undefined },
    select: { slug: true, alias: true },
  });
  if (clash?.slug === config.slug) throw conflict(`A route with the slug "${config.slug}" already exists here`, "slug");
  if (clash) throw conflict(`The alias "${config.alias}" is already served by another route`, "alias");
}

function columns(config: RouteConfig) {
  const { targets: _targets, headerConditions, description, requiredSkill, ...rest } = config;
  return {
    ...rest,
    description: description ?? null,
    requiredSkill: requiredSkill ?? null,
    headerConditions: headerConditions as Prisma.InputJsonValue,
  };
}

async function writeTargets(tx: Tx, orgId: string, routeId: string, config: RouteConfig) {
  await tx.routeTarget.deleteMany({ where: { routeId } });
  await tx.routeTarget.createMany({
    data: config.targets.map((t) => ({ orgId, routeId, agentId: t.agentId, weight: t.weight, priority: t.priority, model: t.model ?? null })),
  });
}

async function writeVersion(tx: Tx, ctx: OrgContext, routeId: string, version: number, config: RouteConfig) {
  await tx.routeVersion.create({
    data: { orgId: ctx.org.id, routeId, version, config: config as unknown as Prisma.InputJsonValue, createdById: ctx.user.id },
  });
}

const uniqueViolation = (error: unknown, config: RouteConfig) => {
  if ((error as { code?: string }).code === "P2002") {
    return conflict(`A route with the slug "${config.slug}" or the alias "${config.alias}" already exists here`, "alias");
  }
  return error;
};

/**
 * Creates a route inside the caller's transaction (a template applied from the marketplace creates
 * its route and counts the use in one transaction). Returns the new route's id.
 */
export async function insertRoute(tx: Tx, ctx: OrgContext, config: RouteConfig): Promise<string> {
  await assertAgentsInOrg(tx, ctx.org.id, config);
  await assertFree(tx, ctx.org.id, config);
  const route = await tx.route.create({ data: { orgId: ctx.org.id, ...columns(config), version: 1 }, select: { id: true } });
  await writeTargets(tx, ctx.org.id, route.id, config);
  await writeVersion(tx, ctx, route.id, 1, config);
  await recordAudit(tx, {
    orgId: ctx.org.id,
    actor: ctx.user,
    action: "route.created",
    targetType: "route",
    targetId: route.id,
    after: config as unknown as Prisma.InputJsonValue,
  });
  return route.id;
}

/** A unique-index violation while creating or saving a route, as the 409 a person can act on. */
export function routeConflict(error: unknown, config: RouteConfig): unknown {
  return uniqueViolation(error, config);
}

export async function createRoute(opts: { ctx: OrgContext; config: RouteConfig }) {
  const { ctx, config } = opts;
  return ctx.db
    .$transaction(async (tx) => loadDetail(tx, ctx.org.id, await insertRoute(tx, ctx, config)))
    .catch((error: unknown) => {
      throw uniqueViolation(error, config);
    });
}

/**
 * Saves a new version. `expectedVersion` is the version the editor loaded: if someone saved in
 * between, the save is refused instead of silently overwriting their change.
 */
export async function updateRoute(opts: { ctx: OrgContext; routeId: string; expectedVersion: number; config: RouteConfig }) {
  const { ctx, routeId, expectedVersion, config } = opts;
  return ctx.db
    .$transaction(async (tx) => {
      const current = await loadDetail(tx, ctx.org.id, routeId);
      await assertAgentsInOrg(tx, ctx.org.id, config);
      await assertFree(tx, ctx.org.id, config, routeId);
      const version = expectedVersion + 1;
      // Compare-and-set on the version: of two concurrent saves, one wins and the other is told.
      const saved = await tx.route.updateMany({ where: { id: routeId, orgId: ctx.org.id, version: expectedVersion }, data: { ...columns(config), version } });
      if (saved.count === 0) {
        throw conflict(`This route was changed by someone else (now version ${current.version}); reload it and apply your change again`);
      }
      await writeTargets(tx, ctx.org.id, routeId, config);
      await writeVersion(tx, ctx, routeId, version, config);
      await recordAudit(tx, {
        orgId: ctx.org.id,
        actor: ctx.user,
        action: "route.updated",
        targetType: "route",
        targetId: routeId,
        before: configOf(current) as unknown as Prisma.InputJsonValue,
        after: config as unknown as Prisma.InputJsonValue,
      });
      return loadDetail(tx, ctx.org.id, routeId);
    })
    .catch((error: unknown) => {
      throw uniqueViolation(error, config);
    });
}

export async function setRouteEnabled(opts: { ctx: OrgContext; routeId: string; enabled: boolean }) {
  const { ctx, routeId, enabled } = opts;
  return ctx.db.$transaction(async (tx) => {
    const current = await loadDetail(tx, ctx.org.id, routeId);
    if (current.enabled !== enabled) {
      await tx.route.update({ where: { id: routeId }, data: { enabled } });
      await recordAudit(tx, {
        orgId: ctx.org.id,
        actor: ctx.user,
        action: enabled ? "route.enabled" : "route.disabled",
        targetType: "route",
        targetId: routeId,
        before: { enabled: current.enabled },
        after: { enabled },
      });
    }
    return loadDetail(tx, ctx.org.id, routeId);
  });
}

export async function deleteRoute(opts: { ctx: OrgContext; routeId: string }) {
  const { ctx, routeId } = opts;
  return ctx.db.$transaction(async (tx) => {
    const current = await loadDetail(tx, ctx.org.id, routeId);
    await tx.route.delete({ where: { id: routeId } });
    // Keys scoped to this route lose it (a key left with no routes would mean "all routes").
    const scoped = await tx.apiKey.findMany({ where: { orgId: ctx.org.id, routeIds: { has: routeId } }, select: { id: true, routeIds: true } });
    for (const key of scoped) {
      const remaining = key.routeIds.filter((id) => id !== routeId);
      await tx.apiKey.update({
        where: { id: key.id },
        // Scoped to nothing else: revoke rather than widen it to every route.
        data: remaining.length ? { routeIds: remaining } : { routeIds: remaining, revokedAt: new Date() },
      });
    }
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "route.deleted",
      targetType: "route",
      targetId: routeId,
      before: configOf(current) as unknown as Prisma.InputJsonValue,
      after: scoped.length ? { apiKeysNarrowed: scoped.length } : undefined,
    });
    return { id: routeId };
  });
}

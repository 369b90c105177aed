import type { OrgContext } from "@/server/trpc/init";
import { notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import type { ApiKeyView } from "./schema";
import { newApiKey } from "./secret";

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  routeIds: true,
  expiresAt: true,
  rateLimitPerMinute: true,
  revokedAt: true,
  lastUsedAt: true,
  createdAt: true,
} as const;

type KeyRow = { id: string; name: string; prefix: string; routeIds: string[]; expiresAt: Date | null; rateLimitPerMinute: number | null; revokedAt: Date | null; lastUsedAt: Date | null; createdAt: Date };

function statusOf(key: KeyRow, now = new Date()): ApiKeyView["status"] {
  if (key.revokedAt) return "revoked";
  return key.expiresAt && key.expiresAt <= now ? "expired" : "active";
}

async function toViews(ctx: OrgContext, rows: KeyRow[]): Promise<ApiKeyView[]> {
  const ids = [...new Set(rows.flatMap((r) => r.routeIds))];
  const routes = new Map(
    (await ctx.db.route.findMany({ where: { orgId: ctx.org.id, id: { in: ids } }, select: { id: true, name: true } })).map((r) => [r.id, r]),
  );
  return rows.map((r) => ({
    ...r,
    routes: r.routeIds.flatMap((id) => (routes.has(id) ? [routes.get(id)!] : [])),
    status: statusOf(r),
  }));
}

export async function listApiKeys(opts: { ctx: OrgContext }) {
  const rows = await opts.ctx.db.apiKey.findMany({ where: { orgId: opts.ctx.org.id }, orderBy: { createdAt: "desc" }, select: keySelect, take: 500 });
  return toViews(opts.ctx, rows);
}

export async function createApiKey(opts: {
  ctx: OrgContext;
  name: string;
  routeIds: string[];
  expiresAt?: Date | null;
  rateLimitPerMinute?: number | null;
}) {
  const { ctx } = opts;
  const routeIds = [...new Set(opts.routeIds)];
  const { secret, prefix, hash } = newApiKey();
  const key = await ctx.db.$transaction(async (tx) => {
    // Scopes must be this organization's routes: another organization's route id is not found.
    const found = await tx.route.count({ where: { orgId: ctx.org.id, id: { in: routeIds } } });
    if (found !== routeIds.length) throw notFound("Route");
    const created = await tx.apiKey.create({
      data: {
        orgId: ctx.org.id,
        name: opts.name,
        prefix,
        hash,
        routeIds,
        expiresAt: opts.expiresAt ?? null,
        rateLimitPerMinute: opts.rateLimitPerMinute ?? null,
        createdById: ctx.user.id,
      },
      select: keySelect,
    });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "api_key.created",
      targetType: "api_key",
      targetId: created.id,
      after: { name: opts.name, prefix, routeIds, expiresAt: created.expiresAt?.toISOString() ?? null, rateLimitPerMinute: created.rateLimitPerMinute },
    });
    return created;
  });
  const [view] = await toViews(ctx, [key]);
  return { key: view!, secret };
}

export async function revokeApiKey(opts: { ctx: OrgContext; apiKeyId: string }) {
  const { ctx, apiKeyId } = opts;
  const key = await ctx.db.$transaction(async (tx) => {
    const current = await tx.apiKey.findFirst({ where: { id: apiKeyId, orgId: ctx.org.id }, select: keySelect });
    if (!current) throw notFound("API key");
    if (current.revokedAt) return current;
    const revoked = await tx.apiKey.update({ where: { id: apiKeyId }, data: { revokedAt: new Date() }, select: keySelect });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: apiKeyId,
      before: { name: current.name, prefix: current.prefix },
    });
    return revoked;
  });
  const [view] = await toViews(ctx, [key]);
  return view!;
}

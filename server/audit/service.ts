import type { Prisma } from "@/server/generated/prisma/client";
import type { OrgContext } from "@/server/trpc/init";
import type { z } from "zod";
import { notFound } from "@/server/errors/domain-error";
import type { auditListInput, AuditEventView } from "./schema";

/** Prisma's `contains` becomes ILIKE without escaping: make % and _ match themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type ListInput = z.output<typeof auditListInput>;

/** This organization's audit events, newest first, keyset-paginated by (at, id). */
export async function listAuditEvents(opts: { ctx: OrgContext; filter: ListInput }) {
  const { ctx, filter } = opts;
  const where: Prisma.AuditEventWhereInput = { orgId: ctx.org.id };
  if (filter.action) where.action = filter.action;
  if (filter.targetType) where.targetType = filter.targetType;
  if (filter.actor) where.actorEmail = { contains: escapeLike(filter.actor), mode: "insensitive" };
  if (filter.from || filter.to) where.at = { gte: filter.from, lte: filter.to };

  if (filter.cursor) {
    // Scoped to this organization: a cursor from elsewhere just matches nothing.
    const anchor = await ctx.db.auditEvent.findFirst({
      where: { id: filter.cursor, orgId: ctx.org.id },
      select: { id: true, at: true },
    });
    if (!anchor) throw notFound("Audit event for this cursor");
    // (at, id) < (anchor.at, anchor.id), written so that `at <= anchor.at` can start the index scan at
    // the anchor instead of filtering every newer row (bench/org-scope.bench.ts measures this).
    where.AND = [{ at: { lte: anchor.at } }, { OR: [{ at: { lt: anchor.at } }, { id: { lt: anchor.id } }] }];
  }

  const rows = await ctx.db.auditEvent.findMany({
    where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    select: { id: true, action: true, actorEmail: true, targetType: true, targetId: true, before: true, after: true, at: true },
  });
  const events = rows.slice(0, filter.limit) as AuditEventView[];
  return { events, nextCursor: rows.length > filter.limit ? (events.at(-1)?.id ?? null) : null };
}

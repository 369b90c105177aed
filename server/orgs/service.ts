import type { Db } from "@/server/db";
import { Prisma } from "@/server/generated/prisma/client";
import type { OrgContext } from "@/server/trpc/init";
import { conflict } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import type { OrgDetail, OrgSummary } from "./schema";

export async function listMyOrganizations(opts: { db: Db; userId: string }): Promise<OrgSummary[]> {
  const memberships = await opts.db.membership.findMany({
    where: { userId: opts.userId },
    select: { role: true, org: { select: { id: true, name: true, slug: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return memberships.map((m) => ({ ...m.org, role: m.role }));
}

export async function createOrganization(opts: {
  db: Db;
  user: { id: string; email: string };
  name: string;
  slug: string;
}): Promise<OrgSummary> {
  const { db, user, name, slug } = opts;
  const taken = await db.organization.findUnique({ where: { slug }, select: { id: true } });
  if (taken) throw conflict(`The slug "${slug}" is taken; choose another`, "slug");
  try {
    return await db.$transaction(async (tx) => {
      const org = await tx.organization.create({ data: { name, slug }, select: { id: true, name: true, slug: true } });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "OWNER" } });
      await recordAudit(tx, {
        orgId: org.id,
        actor: user,
        action: "organization.created",
        targetType: "organization",
        targetId: org.id,
        after: { name, slug },
      });
      return { ...org, role: "OWNER" as const };
    });
  } catch (error) {
    // Two creations of the same slug at once: the loser hears the same message as above.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw conflict(`The slug "${slug}" is taken; choose another`, "slug");
    }
    throw error;
  }
}

export async function getOrganization(opts: { ctx: OrgContext }): Promise<OrgDetail> {
  const { ctx } = opts;
  const org = await ctx.db.organization.findUniqueOrThrow({
    where: { id: ctx.org.id },
    select: { id: true, name: true, slug: true, allowPrivateNetworks: true },
  });
  return { ...org, role: ctx.role };
}

export async function updateOrganization(opts: { ctx: OrgContext; name?: string; allowPrivateNetworks?: boolean }): Promise<OrgDetail> {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: ctx.org.id },
      select: { name: true, allowPrivateNetworks: true },
    });
    const org = await tx.organization.update({
      where: { id: ctx.org.id },
      data: { name: opts.name, allowPrivateNetworks: opts.allowPrivateNetworks },
      select: { id: true, name: true, slug: true, allowPrivateNetworks: true },
    });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "organization.updated",
      targetType: "organization",
      targetId: ctx.org.id,
      before,
      after: { name: org.name, allowPrivateNetworks: org.allowPrivateNetworks },
    });
    return { ...org, role: ctx.role };
  });
}

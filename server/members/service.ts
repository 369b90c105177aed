import type { Tx } from "@/server/db";
import type { Role } from "@/server/generated/prisma/enums";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, forbidden, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { roleLabel } from "@/server/auth/roles";
import type { MemberView } from "./schema";

const memberSelect = {
  id: true,
  role: true,
  createdAt: true,
  user: { select: { id: true, name: true, email: true } },
} as const;

export async function listMembers(opts: { ctx: OrgContext }): Promise<MemberView[]> {
  const { ctx } = opts;
  const rows = await ctx.db.membership.findMany({
    where: { orgId: ctx.org.id },
    select: memberSelect,
    orderBy: [{ createdAt: "asc" }],
  });
  return rows.map((m) => ({ id: m.id, role: m.role, joinedAt: m.createdAt, user: m.user, isYou: m.user.id === ctx.user.id }));
}

/**
 * Locks the organization's owner rows for the rest of the transaction and counts them, so two
 * concurrent demotions cannot both see "another owner is left" and leave the organization ownerless.
 */
async function lockOwnerCount(tx: Tx, orgId: string): Promise<number> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Membership" WHERE "orgId" = ${orgId} AND role = 'OWNER' FOR UPDATE`;
  return owners.length;
}

async function findMember(tx: Tx, ctx: OrgContext, memberId: string) {
  // Scoped by organization: another organization's member id is simply not found.
  const member = await tx.membership.findFirst({ where: { id: memberId, orgId: ctx.org.id }, select: memberSelect });
  if (!member) throw notFound("Member");
  return member;
}

/** Only owners may create owners or touch an owner's membership. */
function assertMayManage(ctx: OrgContext, targetRole: Role, newRole?: Role) {
  if (ctx.role !== "OWNER" && (targetRole === "OWNER" || newRole === "OWNER")) {
    throw forbidden("Only an owner can grant, change or remove the Owner role");
  }
}

export async function changeMemberRole(opts: { ctx: OrgContext; memberId: string; role: Role }) {
  const { ctx, memberId, role } = opts;
  return ctx.db.$transaction(async (tx) => {
    const member = await findMember(tx, ctx, memberId);
    assertMayManage(ctx, member.role, role);
    if (member.role === role) return { id: member.id, role };
    if (member.role === "OWNER" && (await lockOwnerCount(tx, ctx.org.id)) <= 1) {
      throw badRequest("An organization always keeps at least one owner: make someone else an owner first");
    }
    await tx.membership.update({ where: { id: member.id }, data: { role } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "member.role_changed",
      targetType: "member",
      targetId: member.id,
      before: { email: member.user.email, role: member.role },
      after: { email: member.user.email, role },
    });
    return { id: member.id, role };
  });
}

export async function removeMember(opts: { ctx: OrgContext; memberId: string }) {
  const { ctx, memberId } = opts;
  return ctx.db.$transaction(async (tx) => {
    const member = await findMember(tx, ctx, memberId);
    if (member.user.id === ctx.user.id) throw badRequest("To remove yourself, leave the organization instead");
    assertMayManage(ctx, member.role);
    if (member.role === "OWNER" && (await lockOwnerCount(tx, ctx.org.id)) <= 1) {
      throw badRequest("An organization always keeps at least one owner");
    }
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "member.removed",
      targetType: "member",
      targetId: member.id,
      before: { email: member.user.email, role: member.role },
    });
    return { id: member.id };
  });
}

export async function leaveOrganization(opts: { ctx: OrgContext }) {
  const { ctx } = opts;
  return ctx.db.$transaction(async (tx) => {
    const member = await findMember(tx, ctx, ctx.membershipId);
    if (member.role === "OWNER" && (await lockOwnerCount(tx, ctx.org.id)) <= 1) {
      throw badRequest(
        `You are the only owner of ${ctx.org.name}: make another member an owner before you leave (${roleLabel.OWNER} role)`,
      );
    }
    await tx.membership.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "member.left",
      targetType: "member",
      targetId: member.id,
      before: { email: member.user.email, role: member.role },
    });
    return { id: member.id };
  });
}

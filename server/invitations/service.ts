import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import type { Role } from "@/server/generated/prisma/enums";
import type { OrgContext } from "@/server/trpc/init";
import { badRequest, conflict, forbidden, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { env } from "@/server/env";
import type { InvitationStatus, InvitationView } from "./schema";
import { sendInvitationEmail } from "./mailer";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function statusOf(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  return inv.expiresAt <= now ? "expired" : "pending";
}

const invitationSelect = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
  invitedBy: { select: { name: true, email: true } },
} as const;

type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  invitedBy: { name: string | null; email: string } | null;
};

function toView(inv: InvitationRow): InvitationView {
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    status: statusOf(inv),
    expiresAt: inv.expiresAt,
    createdAt: inv.createdAt,
    invitedBy: inv.invitedBy ? (inv.invitedBy.name ?? inv.invitedBy.email) : null,
  };
}

export function invitationUrl(token: string): string {
  const base = (env().AUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return `${base}/invite/${token}`;
}

/** Pending and expired invitations (accepted and revoked ones live on in the audit log). */
export async function listInvitations(opts: { ctx: OrgContext }): Promise<InvitationView[]> {
  const rows = await opts.ctx.db.invitation.findMany({
    where: { orgId: opts.ctx.org.id, acceptedAt: null, revokedAt: null },
    select: invitationSelect,
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map(toView);
}

export async function createInvitation(opts: { ctx: OrgContext; email: string; role: Role; now?: Date }) {
  const { ctx, email, role } = opts;
  const now = opts.now ?? new Date();
  if (role === "OWNER" && ctx.role !== "OWNER") throw forbidden("Only an owner can invite another owner");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + env().HELIX_INVITATION_TTL_HOURS * 3_600_000);

  const invitation = await ctx.db.$transaction(async (tx) => {
    // Serialises invitations to one address in one organization, so a double submit leaves one live link.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`invitation:${ctx.org.id}:${email}`}))`;
    const member = await tx.membership.findFirst({
      where: { orgId: ctx.org.id, user: { email } },
      select: { id: true },
    });
    if (member) throw conflict(`${email} is already a member of ${ctx.org.name}`, "email");
    // A new invitation for the same address replaces the pending one, so only the newest link works.
    const replaced = await tx.invitation.updateMany({
      where: { orgId: ctx.org.id, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const created = await tx.invitation.create({
      data: { orgId: ctx.org.id, email, role, tokenHash: hashToken(token), invitedById: ctx.user.id, expiresAt },
      select: invitationSelect,
    });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "invitation.created",
      targetType: "invitation",
      targetId: created.id,
      after: { email, role, expiresAt: expiresAt.toISOString(), replacedPending: replaced.count },
    });
    return created;
  });

  const url = invitationUrl(token);
  const mail = await sendInvitationEmail({ to: email, orgName: ctx.org.name, inviter: ctx.user.email, url });
  return { invitation: toView(invitation), url, emailed: mail.emailed, emailError: mail.error };
}

export async function revokeInvitation(opts: { ctx: OrgContext; invitationId: string }) {
  const { ctx, invitationId } = opts;
  return ctx.db.$transaction(async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: invitationId, orgId: ctx.org.id }, select: invitationSelect });
    if (!inv) throw notFound("Invitation");
    const status = statusOf(inv);
    if (status === "accepted") throw badRequest("This invitation was already accepted; remove the member instead");
    if (status === "revoked") return toView(inv);
    const updated = await tx.invitation.update({
      where: { id: inv.id },
      data: { revokedAt: new Date() },
      select: invitationSelect,
    });
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: inv.id,
      before: { email: inv.email, role: inv.role },
    });
    return toView(updated);
  });
}

async function findByToken(db: Db, token: string) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { ...invitationSelect, orgId: true, org: { select: { name: true, slug: true } } },
  });
  if (!inv) throw notFound("Invitation");
  return inv;
}

/** What an invitation link offers, for the accept page (the token is the credential). */
export async function previewInvitation(opts: { db: Db; token: string }) {
  const inv = await findByToken(opts.db, opts.token);
  return {
    orgName: inv.org.name,
    email: inv.email,
    role: inv.role,
    invitedBy: inv.invitedBy ? (inv.invitedBy.name ?? inv.invitedBy.email) : null,
    status: statusOf(inv),
    expiresAt: inv.expiresAt,
  };
}

export async function acceptInvitation(opts: { db: Db; user: { id: string; email: string }; token: string; now?: Date }) {
  const { db, user, token } = opts;
  const now = opts.now ?? new Date();
  const inv = await findByToken(db, token);
  const status = statusOf(inv, now);
  if (status === "revoked") throw badRequest("This invitation was withdrawn; ask for a new one");
  if (status === "accepted") throw badRequest("This invitation has already been used");
  if (status === "expired") {
    throw badRequest(`This invitation expired on ${inv.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC; ask for a new one`);
  }
  if (inv.email !== user.email.toLowerCase()) {
    throw forbidden(`This invitation is for ${inv.email}, but you are signed in as ${user.email}; sign in with that address`);
  }
  return db.$transaction(async (tx) => {
    // Conditional update: of two concurrent accepts, only one finds the invitation still open.
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: now },
    });
    if (claimed.count === 0) throw badRequest("This invitation has already been used");
    const existing = await tx.membership.findUnique({
      where: { orgId_userId: { orgId: inv.orgId, userId: user.id } },
      select: { id: true },
    });
    if (!existing) {
      const membership = await tx.membership.create({
        data: { orgId: inv.orgId, userId: user.id, role: inv.role },
        select: { id: true },
      });
      await recordAudit(tx, {
        orgId: inv.orgId,
        actor: user,
        action: "member.joined",
        targetType: "member",
        targetId: membership.id,
        after: { email: user.email, role: inv.role, invitationId: inv.id },
      });
    }
    return { orgSlug: inv.org.slug, orgName: inv.org.name };
  });
}

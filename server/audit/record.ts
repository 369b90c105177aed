import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { AuditAction } from "./actions";

export interface AuditEntry {
  orgId: string;
  actor: { id: string; email: string } | null;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
}

/** Writes one audit event. Call it with the transaction client of the change it describes. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      orgId: entry.orgId,
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: entry.before ?? undefined,
      after: entry.after ?? undefined,
    },
  });
}

import type { Prisma } from "@/server/generated/prisma/client";
import type { Tx } from "@/server/db";
import type { AuditAction } from "./actions";
import { chainHash, lockChain, readChainHead, SEAL_BATCH, sealUnchained, toChainJson } from "./chain";

export interface AuditEntry {
  orgId: string;
  actor: { id: string; email: string } | null;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
}

/**
 * Writes one audit event. Call it with the transaction client of the change it describes, as the
 * last write of that transaction: it appends to the organization's hash chain (server/audit/chain.ts)
 * under a lock that other writers of the same organization's log wait on until the transaction ends.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await lockChain(tx, entry.orgId);
  const read = await readChainHead(tx, entry.orgId);
  const head = read.hasUnchained ? (await sealUnchained(tx, entry.orgId, read.head, SEAL_BATCH)).head : read.head;

  const seq = head.seq + 1;
  // Written exactly as hashed: JSON as Postgres will return it, and `at` chosen here rather than by
  // the column default.
  const before = toChainJson(entry.before);
  const after = toChainJson(entry.after);
  const content = {
    orgId: entry.orgId,
    seq,
    actorEmail: entry.actor?.email ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before,
    after,
    at: read.now.toISOString(),
  };
  await tx.auditEvent.create({
    data: {
      orgId: entry.orgId,
      actorId: entry.actor?.id ?? null,
      actorEmail: content.actorEmail,
      action: entry.action,
      targetType: entry.targetType,
      targetId: content.targetId,
      before: before ?? undefined,
      after: after ?? undefined,
      at: read.now,
      seq,
      prevHash: head.hash,
      hash: chainHash(head.hash, content),
    },
  });
}

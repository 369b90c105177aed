import type { Prisma } from "@/server/generated/prisma/client";
import type { OrgContext } from "@/server/trpc/init";
import { conflict, notFound } from "@/server/errors/domain-error";
import { recordAudit } from "@/server/audit/record";
import { enqueueDataSubjectRequest } from "./jobs";
import { requestResult, type RequestKind, type RequestView } from "./schema";

/** The list shows the most recent requests; older ones stay in the database and the audit log. */
export const LIST_LIMIT = 100;

export const requestSelect = {
  id: true,
  subject: true,
  kind: true,
  status: true,
  requestedByEmail: true,
  result: true,
  error: true,
  createdAt: true,
  completedAt: true,
} as const satisfies Prisma.DataSubjectRequestSelect;
type RequestRow = Prisma.DataSubjectRequestGetPayload<{ select: typeof requestSelect }>;

export function toRequestView(row: RequestRow): RequestView {
  const result = requestResult.safeParse(row.result);
  return { ...row, result: result.success ? result.data : null };
}

const kindWord: Record<RequestKind, string> = { EXPORT: "An export", ERASE: "An erasure" };

/**
 * Records the request and queues its job in one transaction. The audit event names the kind, not
 * the subject: the audit log is append-only, and the identifier is personal data that belongs in
 * the request's row only.
 */
export async function createRequest(opts: { ctx: OrgContext; subject: string; kind: RequestKind }): Promise<RequestView> {
  const { ctx, subject, kind } = opts;
  return ctx.db.$transaction(async (tx) => {
    const open = await tx.dataSubjectRequest.findFirst({
      where: { orgId: ctx.org.id, subject, kind, status: { in: ["PENDING", "RUNNING"] } },
      select: { id: true },
    });
    if (open) throw conflict(`${kindWord[kind]} for this subject is already under way; wait for it to finish.`, "subject");
    const row = await tx.dataSubjectRequest.create({
      data: { orgId: ctx.org.id, subject, kind, requestedById: ctx.user.id, requestedByEmail: ctx.user.email },
      select: requestSelect,
    });
    await enqueueDataSubjectRequest(tx, row.id);
    await recordAudit(tx, {
      orgId: ctx.org.id,
      actor: ctx.user,
      action: "data_subject_request.created",
      targetType: "data_subject_request",
      targetId: row.id,
      after: { kind },
    });
    return toRequestView(row);
  });
}

export async function listRequests(opts: { ctx: OrgContext }): Promise<RequestView[]> {
  const { ctx } = opts;
  const rows = await ctx.db.dataSubjectRequest.findMany({
    where: { orgId: ctx.org.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: LIST_LIMIT,
    select: requestSelect,
  });
  return rows.map(toRequestView);
}

export async function getRequest(opts: { ctx: OrgContext; requestId: string }): Promise<RequestView> {
  const { ctx, requestId } = opts;
  const row = await ctx.db.dataSubjectRequest.findFirst({ where: { id: requestId, orgId: ctx.org.id }, select: requestSelect });
  if (!row) throw notFound("Data-subject request");
  return toRequestView(row);
}

import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { Db } from "@/server/db";
import type { Context } from "@/server/trpc/context";
import { createCallerFactory, orgProcedure, router } from "@/server/trpc/init";
import { toTRPCError } from "@/server/trpc/errors";

// The export is a file an auditor can check without us: JSON Lines, one event per line in chain
// order, each with its position, both hashes and every field the hash covers (see chain.ts and
// scripts/verify-audit-export.mjs). Events not sealed into the chain yet follow, with null seq and
// hashes, so the file holds every event and an offline check flags them as the console would.

/** One exported event. `actorId` is informative only: the hash covers `actorEmail`. */
export interface AuditExportLine {
  seq: number | null;
  id: string;
  at: string;
  orgId: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string | null;
  hash: string | null;
}

const exportSelect = {
  id: true,
  seq: true,
  at: true,
  orgId: true,
  actorId: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  before: true,
  after: true,
  prevHash: true,
  hash: true,
} as const;

type ExportRow = { [K in keyof AuditExportLine]: K extends "at" ? Date : AuditExportLine[K] };

function line(row: ExportRow): string {
  const out: AuditExportLine = { ...row, at: row.at.toISOString() };
  return `${JSON.stringify(out)}\n`;
}

/** Every event of the organization as export lines, read in keyset batches (memory stays flat). */
export async function* auditExportLines(opts: { db: Db; orgId: string; batchSize?: number }): AsyncGenerator<string> {
  const { db, orgId } = opts;
  const take = opts.batchSize ?? 1000;
  let lastSeq: number | null = null;
  for (;;) {
    const rows: ExportRow[] = await db.auditEvent.findMany({
      where: { orgId, seq: lastSeq === null ? { not: null } : { gt: lastSeq } },
      orderBy: { seq: "asc" },
      take,
      select: exportSelect,
    });
    for (const row of rows) yield line(row);
    if (rows.length < take) break;
    lastSeq = rows.at(-1)!.seq;
  }
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows: ExportRow[] = await db.auditEvent.findMany({
      where: { orgId, seq: null, ...(after ? { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] } : {}) },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      take,
      select: exportSelect,
    });
    for (const row of rows) yield line(row);
    if (rows.length < take) break;
    const last = rows.at(-1)!;
    after = { at: last.at, id: last.id };
  }
}

// The same procedure ladder as the API decides who may export (signed in, ADMIN or above, member of
// this organization, otherwise NOT_FOUND); this router only exists to be called from the route handler.
const exportGate = router({
  open: orgProcedure("ADMIN").query(({ ctx }) => ctx.org),
});
const gateCaller = createCallerFactory(exportGate);

function errorResponse(error: unknown): Response {
  const mapped = toTRPCError(error) ?? (error instanceof TRPCError ? error : null);
  if (!mapped) throw error;
  // A malformed slug names no organization.
  const status = mapped.code === "BAD_REQUEST" ? 404 : getHTTPStatusCodeFromError(mapped);
  const message = status === 404 ? "Organization not found" : mapped.message;
  return Response.json({ error: message }, { status, headers: { "cache-control": "no-store" } });
}

/** `GET /api/orgs/<slug>/audit/export`: the organization's audit log as a JSON Lines download. */
export async function exportAuditLog(opts: { ctx: Context; orgSlug: string }): Promise<Response> {
  let org: { id: string; slug: string };
  try {
    org = await gateCaller(opts.ctx).open({ orgSlug: opts.orgSlug });
  } catch (error) {
    return errorResponse(error);
  }
  const lines = auditExportLines({ db: opts.ctx.db, orgId: org.id });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    // Chunks of about 64 KB rather than one per line.
    async pull(controller) {
      let chunk = "";
      while (chunk.length < 65_536) {
        const next = await lines.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${org.slug}-${day}.jsonl"`,
      "cache-control": "no-store",
    },
  });
}

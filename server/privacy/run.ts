/**
 * Carries out a data-subject request (the job of ./jobs). Everything is scoped to the request's
 * organization: the same subject identifier in another organization is another person's data.
 *
 * EXPORT counts what is stored about the subject up to now (the snapshot) and completes; the file
 * itself is produced when it is downloaded (./export), from the same queries.
 *
 * ERASE removes the link between the subject and what the gateway recorded, in bounded
 * transactions of `batchSize` rows:
 *   - telemetry.gateway_events: `subject` set to NULL. The rows stay (without the identifier they
 *     are pseudonymous request records), so the rollups, which a late row can make the rollup job
 *     recompute from raw rows, keep counting them: aggregates do not change.
 *   - telemetry.feedback on those requests (and any feedback still carrying the subject): the
 *     free-text `label` and `subject` set to NULL; the score stays, because the quality rollups are
 *     recomputed from feedback rows in the same way and would otherwise shrink.
 *   - The rollup tables hold no subject and are not touched.
 * Each batch updates the request's counts in the same transaction, so a run that dies midway is
 * finished by the next one (pg-boss retries the job) with exact counts, and two runs of the same
 * request take turns on the request's row. Data-subject requests themselves are kept: they are the
 * record that the request was made and carried out.
 */
import type { Prisma } from "@/server/generated/prisma/client";
import type { Db, Tx } from "@/server/db";
import { recordAudit } from "@/server/audit/record";
import { requestResult, type RequestResult } from "./schema";

/** Rows per erase transaction. */
export const ERASE_BATCH_SIZE = 5_000;
/** A batch transaction's time limit: generous, a batch normally takes well under a second. */
const BATCH_TIMEOUT_MS = 120_000;

export interface RunOptions {
  db: Db;
  requestId: string;
  batchSize?: number;
  /** No retry follows this run: a failure marks the request FAILED (otherwise the job is retried). */
  finalAttempt?: boolean;
  /** Tests: stop an erase after this many batches, as a worker that dies would. */
  stopAfterBatches?: number;
}

export type RunOutcome = { ran: false } | { ran: true; status: "COMPLETED" | "FAILED" | "RUNNING"; result: RequestResult };

interface RequestRow {
  id: string;
  orgId: string;
  subject: string;
  kind: "EXPORT" | "ERASE";
  createdAt: Date;
  requestedById: string | null;
  requestedByEmail: string | null;
}

const zero = (): RequestResult => ({ requests: 0, attempts: 0, feedback: 0 });

/** Counts already recorded on the request (a previous run's progress), or zero. */
function progressOf(result: Prisma.JsonValue | null): RequestResult {
  const parsed = requestResult.safeParse(result);
  return parsed.success ? parsed.data : zero();
}

/** The worker's entry point. Requests that are missing, completed or failed are left alone. */
export async function unsafeRunDataSubjectRequest(opts: RunOptions): Promise<RunOutcome> {
  const { db, requestId } = opts;
  const started = await db.dataSubjectRequest.updateMany({ where: { id: requestId, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "RUNNING" } });
  if (started.count === 0) return { ran: false };
  const request = await db.dataSubjectRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: { id: true, orgId: true, subject: true, kind: true, createdAt: true, requestedById: true, requestedByEmail: true },
  });
  try {
    if (request.kind === "EXPORT") return await runExport(db, request);
    return await runErase(db, request, opts);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!opts.finalAttempt) {
      await db.dataSubjectRequest.updateMany({ where: { id: requestId, status: "RUNNING" }, data: { error: `A run failed and will be retried: ${message}`.slice(0, 1000) } });
      throw error;
    }
    const progress = progressOf((await db.dataSubjectRequest.findUnique({ where: { id: requestId }, select: { result: true } }))?.result ?? null);
    await db.$transaction(async (tx) => {
      const failed = await tx.dataSubjectRequest.updateMany({
        where: { id: requestId, status: "RUNNING" },
        data: { status: "FAILED", error: message.slice(0, 1000), completedAt: new Date() },
      });
      if (failed.count === 1) {
        await recordAudit(tx, {
          orgId: request.orgId,
          actor: null,
          action: "data_subject_request.failed",
          targetType: "data_subject_request",
          targetId: requestId,
          after: { kind: request.kind, error: message.slice(0, 300), ...progress },
        });
      }
    });
    return { ran: true, status: "FAILED", result: progress };
  }
}

/** Marks the request completed with its result and audits it, once even if two runs race. */
async function complete(tx: Tx, request: RequestRow, result: RequestResult): Promise<boolean> {
  const done = await tx.dataSubjectRequest.updateMany({
    where: { id: request.id, status: "RUNNING" },
    data: { status: "COMPLETED", result: result as Prisma.InputJsonValue, error: null, completedAt: new Date() },
  });
  if (done.count === 0) return false;
  await recordAudit(tx, {
    orgId: request.orgId,
    actor: null,
    action: "data_subject_request.completed",
    targetType: "data_subject_request",
    targetId: request.id,
    // Counts only: the audit log is append-only, so the identifier stays in the request's row.
    after: { kind: request.kind, requestedBy: request.requestedByEmail, ...result },
  });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Export

/** The subject's gateway rows up to the snapshot: the filter shared by the count and the file. */
export const SUBJECT_EVENTS_WHERE = `org_id = $1 AND subject = $2 AND ingested_at <= $3::timestamptz`;

/** Feedback on the subject's requests, or feedback that still carries the subject itself. */
export const SUBJECT_FEEDBACK_WHERE = `f.org_id = $1 AND f.at <= $3::timestamptz AND (f.subject = $2 OR f.request_id IN (
  SELECT e.request_id FROM telemetry.gateway_events e WHERE e.org_id = $1 AND e.subject = $2 AND e.ingested_at <= $3::timestamptz))`;

export async function countSubjectRecords(db: Db | Tx, orgId: string, subject: string, snapshotAt: string) {
  const [events] = await db.$queryRawUnsafe<{ requests: number; attempts: number }[]>(
    `SELECT count(*) FILTER (WHERE kind = 'request')::int AS requests, count(*) FILTER (WHERE kind = 'attempt')::int AS attempts
       FROM telemetry.gateway_events WHERE ${SUBJECT_EVENTS_WHERE}`,
    orgId,
    subject,
    snapshotAt,
  );
  const [feedback] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM telemetry.feedback f WHERE ${SUBJECT_FEEDBACK_WHERE}`, orgId, subject, snapshotAt);
  return { requests: events?.requests ?? 0, attempts: events?.attempts ?? 0, feedback: feedback?.n ?? 0 };
}

async function runExport(db: Db, request: RequestRow): Promise<RunOutcome> {
  // The database's clock, as ingested_at is; to the millisecond, which errs on the early side.
  const [clock] = await db.$queryRawUnsafe<{ now: Date }[]>(`SELECT now() AS now`);
  const snapshotAt = clock!.now.toISOString();
  const counts = await countSubjectRecords(db, request.orgId, request.subject, snapshotAt);
  const priorRequests = await db.dataSubjectRequest.count({
    where: { orgId: request.orgId, subject: request.subject, id: { not: request.id }, createdAt: { lte: request.createdAt } },
  });
  const result: RequestResult = { ...counts, priorRequests, snapshotAt };
  await db.$transaction((tx) => complete(tx, request, result));
  return { ran: true, status: "COMPLETED", result };
}

// ---------------------------------------------------------------------------------------------
// Erase

interface Cursor {
  at: string;
  id: string;
}

/**
 * One bounded transaction: the next `limit` gateway rows of the subject after `cursor` (in the
 * order of the (org_id, at) index, so a pass reads the organization's rows once), their feedback,
 * and the progress on the request. Returns null when another run completed the request meanwhile.
 */
async function eraseBatch(db: Db, request: RequestRow, cursor: Cursor | null, limit: number) {
  return db.$transaction(
    async (tx) => {
      // Two runs of one request (a retry while a stalled run wakes up) take turns here.
      const [row] = await tx.$queryRawUnsafe<{ status: string; result: Prisma.JsonValue | null }[]>(
        `SELECT status::text AS status, result FROM "DataSubjectRequest" WHERE id = $1 FOR UPDATE`,
        request.id,
      );
      if (row?.status !== "RUNNING") return null;
      const progress = progressOf(row.result);
      // `at >=` besides the row comparison, so the (org_id, at) index and partition pruning apply;
      // ids compare bytewise (COLLATE "C"), as the cursor is picked below.
      const after = cursor ? `AND at >= $4::timestamptz AND (at, id COLLATE "C") > ($4::timestamptz, $5::text COLLATE "C")` : "";
      const events = await tx.$queryRawUnsafe<{ id: string; at: string; kind: string; request_id: string }[]>(
        `WITH batch AS (
           SELECT id, at FROM telemetry.gateway_events
            WHERE org_id = $1 AND subject = $2 ${after}
            ORDER BY at, id COLLATE "C" LIMIT $3
         )
         UPDATE telemetry.gateway_events e SET subject = NULL
           FROM batch b
          WHERE e.id = b.id AND e.at = b.at AND e.org_id = $1 AND e.subject = $2
         RETURNING e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, e.kind, e.request_id`,
        request.orgId,
        request.subject,
        limit,
        ...(cursor ? [cursor.at, cursor.id] : []),
      );
      const requestIds = [...new Set(events.map((e) => e.request_id))];
      let feedback = 0;
      if (requestIds.length) {
        feedback += await tx.$executeRawUnsafe(
          `UPDATE telemetry.feedback SET label = NULL, subject = NULL
            WHERE org_id = $1 AND request_id = ANY($2::text[]) AND (label IS NOT NULL OR subject IS NOT NULL)`,
          request.orgId,
          requestIds,
        );
      } else {
        // The gateway rows are done; feedback whose request rows are gone (raw retention) may still name the subject.
        feedback += await tx.$executeRawUnsafe(
          `UPDATE telemetry.feedback f SET label = NULL, subject = NULL
             FROM (SELECT id FROM telemetry.feedback WHERE org_id = $1 AND subject = $2 LIMIT $3) b
            WHERE f.id = b.id`,
          request.orgId,
          request.subject,
          limit,
        );
      }
      const next: RequestResult = {
        requests: progress.requests + events.filter((e) => e.kind === "request").length,
        attempts: progress.attempts + events.filter((e) => e.kind === "attempt").length,
        feedback: progress.feedback + feedback,
        batches: (progress.batches ?? 0) + 1,
      };
      await tx.dataSubjectRequest.update({ where: { id: request.id }, data: { result: next as Prisma.InputJsonValue } });
      // Fixed-width UTC text with microseconds: compares like the timestamps it stands for.
      const last = events.reduce<Cursor | null>((max, e) => (!max || e.at > max.at || (e.at === max.at && e.id > max.id) ? { at: e.at, id: e.id } : max), null);
      return { events: events.length, feedback, result: next, last };
    },
    { timeout: BATCH_TIMEOUT_MS, maxWait: 60_000 },
  );
}

async function runErase(db: Db, request: RequestRow, opts: RunOptions): Promise<RunOutcome> {
  const limit = opts.batchSize ?? ERASE_BATCH_SIZE;
  let batches = 0;
  let result = progressOf(null);
  // Passes over the subject's rows in time order; a pass that erased something is followed by
  // another from the start, for rows that arrived behind the cursor (a gateway replaying its spool).
  for (;;) {
    let cursor: Cursor | null = null;
    let erasedThisPass = 0;
    for (;;) {
      if (opts.stopAfterBatches !== undefined && batches >= opts.stopAfterBatches) return { ran: true, status: "RUNNING", result };
      const batch = await eraseBatch(db, request, cursor, limit);
      batches++;
      if (!batch) return { ran: false }; // another run of the request finished it meanwhile
      result = batch.result;
      erasedThisPass += batch.events + batch.feedback;
      if (batch.events === 0 && batch.feedback === 0) break;
      if (batch.last) cursor = batch.last;
    }
    if (erasedThisPass === 0 || cursor === null) break;
  }
  await db.$transaction((tx) => complete(tx, request, result));
  return { ran: true, status: "COMPLETED", result };
}

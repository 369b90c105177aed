/**
 * Quality feedback on answers: a score from 0 (bad) to 1 (good) for one request of the gateway,
 * found by its request id or trace id, stored in telemetry.feedback and rolled up per minute and
 * hour by ./rollup. One feedback per request: a new one replaces the earlier.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DomainError } from "@/server/errors/domain-error";
import { inTransaction, ROLLUP_STATE, sqlOf, type SqlDb } from "./rollup";

/** How far back a request can be found by its request id, and by its trace id (a scan of the organization's rows). */
export const FEEDBACK_WINDOW_DAYS = 7;
export const TRACE_LOOKUP_HOURS = 24;

const id = (name: string) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .min(1, `${name} must not be empty`)
    .max(128, `${name} has at most 128 characters`);

/** The body of POST /v1/feedback. */
export const feedbackBody = z
  .object({
    request_id: id("request_id").optional(),
    trace_id: id("trace_id")
      .transform((s) => s.toLowerCase())
      .optional(),
    score: z.union([z.number().min(0).max(1), z.boolean()], {
      error: "score must be a number from 0 (bad) to 1 (good), or true / false for thumbs up / down",
    }),
    label: z.string({ error: "label must be a string" }).max(100, "label has at most 100 characters").nullish(),
  })
  .refine((b) => b.request_id !== undefined || b.trace_id !== undefined, {
    message: "Send the request_id (x-helix-request-id response header) or trace_id (x-helix-trace-id) of the answer.",
    path: ["request_id"],
  });
export type FeedbackBody = z.infer<typeof feedbackBody>;

export interface RecordFeedbackOptions {
  db: SqlDb;
  orgId: string;
  requestId?: string;
  traceId?: string;
  /** 0..1, or thumbs up (true = 1) / down (false = 0). */
  score: number | boolean;
  label?: string | null;
  /** Routes the caller may use; null = every route of the organization. */
  routeIds?: string[] | null;
}

export interface RecordedFeedback {
  id: string;
  requestId: string;
  traceId: string;
  score: number;
  /** Whether it replaced earlier feedback on the same request. */
  replaced: boolean;
}

interface RequestRow {
  request_id: string;
  trace_id: string;
  route_id: string | null;
  agent_id: string | null;
  api_key_id: string | null;
  subject: string | null;
}

async function findRequest(opts: RecordFeedbackOptions): Promise<RequestRow | undefined> {
  const sql = sqlOf(opts.db);
  const routeIds = opts.routeIds && opts.routeIds.length > 0 ? opts.routeIds : null;
  const columns = "request_id, trace_id, route_id, agent_id, api_key_id, subject";
  if (opts.requestId !== undefined) {
    const [row] = await sql.rows<RequestRow>(
      `SELECT ${columns} FROM telemetry.gateway_events
        WHERE request_id = $1 AND org_id = $2 AND kind = 'request' AND at >= now() - $3::int * interval '1 day'
          AND ($4::text IS NULL OR trace_id = $4) AND ($5::text[] IS NULL OR route_id = ANY($5::text[]))
        LIMIT 1`,
      [opts.requestId, opts.orgId, FEEDBACK_WINDOW_DAYS, opts.traceId ?? null, routeIds],
    );
    return row;
  }
  // No index on trace ids: the organization's last day, newest first, by (org_id, at).
  const [row] = await sql.rows<RequestRow>(
    `SELECT ${columns} FROM telemetry.gateway_events
      WHERE org_id = $1 AND at >= now() - $2::int * interval '1 hour' AND trace_id = $3 AND kind = 'request'
        AND ($4::text[] IS NULL OR route_id = ANY($4::text[]))
      ORDER BY at DESC LIMIT 1`,
    [opts.orgId, TRACE_LOOKUP_HOURS, opts.traceId ?? "", routeIds],
  );
  return row;
}

/**
 * Stores feedback for a request of the organization (NOT_FOUND for an unknown request or another
 * organization's). Feedback already rolled up that this replaces is subtracted from the quality
 * rollups in the same transaction; a share lock on the quality watermark keeps a rollup run out
 * meanwhile, and the new row's `at` (taken after the lock) is after the watermark, so the next run
 * counts it.
 */
export async function recordFeedback(opts: RecordFeedbackOptions): Promise<RecordedFeedback> {
  const request = await findRequest(opts);
  if (!request) {
    throw new DomainError(
      "NOT_FOUND",
      opts.requestId !== undefined
        ? `No request with that request id in this organization (feedback is accepted for ${FEEDBACK_WINDOW_DAYS} days).`
        : `No request with that trace id in this organization in the last ${TRACE_LOOKUP_HOURS} hours (feedback by trace id is accepted for ${TRACE_LOOKUP_HOURS} hours, by request_id for ${FEEDBACK_WINDOW_DAYS} days).`,
      { field: opts.requestId !== undefined ? "request_id" : "trace_id" },
    );
  }
  const score = typeof opts.score === "boolean" ? (opts.score ? 1 : 0) : opts.score;
  const feedbackId = randomUUID();
  const replaced = await inTransaction(
    opts.db,
    async (sql) => {
      await sql.exec(`INSERT INTO telemetry.rollup_state (name, watermark) VALUES ($1, '-infinity') ON CONFLICT (name) DO NOTHING`, [ROLLUP_STATE.quality]);
      const [state] = await sql.rows<{ w: string }>(`SELECT watermark::text AS w FROM telemetry.rollup_state WHERE name = $1 FOR SHARE`, [ROLLUP_STATE.quality]);
      // One writer per request at a time, so two concurrent posts cannot both insert.
      await sql.rows(`SELECT count(*)::int AS n FROM (SELECT pg_advisory_xact_lock(hashtext('telemetry.feedback'), hashtext($1::text || '/' || $2::text))) l`, [
        opts.orgId,
        request.request_id,
      ]);
      const old = await sql.rows<{ score: number; at: string; route_id: string | null; agent_id: string | null; rolled: boolean }>(
        `DELETE FROM telemetry.feedback WHERE org_id = $1 AND request_id = $2
         RETURNING score, at::text AS at, route_id, agent_id, at <= $3::timestamptz AS rolled`,
        [opts.orgId, request.request_id, state!.w],
      );
      for (const o of old.filter((r) => r.rolled)) {
        for (const [table, unit] of [
          ["quality_minute", "minute"],
          ["quality_hour", "hour"],
          ["quality_day", "day"],
        ] as const) {
          const key = `org_id = $1 AND bucket = date_trunc('${unit}', $2::timestamptz, 'UTC') AND route_id = $3 AND agent_id = $4`;
          const params = [opts.orgId, o.at, o.route_id ?? "", o.agent_id ?? ""];
          await sql.exec(`UPDATE telemetry.${table} SET feedback_count = feedback_count - 1, score_sum = score_sum - $5::float8 WHERE ${key}`, [...params, o.score]);
          await sql.exec(`DELETE FROM telemetry.${table} WHERE ${key} AND feedback_count <= 0`, params);
        }
      }
      await sql.exec(
        `INSERT INTO telemetry.feedback (id, org_id, request_id, trace_id, route_id, agent_id, api_key_id, score, label, at, subject)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::float8, $9, clock_timestamp(), $10)`,
        [feedbackId, opts.orgId, request.request_id, request.trace_id, request.route_id, request.agent_id, request.api_key_id, score, opts.label ?? null, request.subject],
      );
      return old.length > 0;
    },
    30_000,
  );
  return { id: feedbackId, requestId: request.request_id, traceId: request.trace_id, score, replaced };
}

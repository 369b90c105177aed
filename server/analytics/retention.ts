/**
 * Raw telemetry retention. Each organization keeps its raw rows (telemetry.gateway_events) for
 * telemetry.retention.raw_days, 30 without a row; rollups are kept. Hourly, runRetention
 *  1. drops the daily partitions older than the longest retention of any organization (a DROP TABLE,
 *     nothing to vacuum), then
 *  2. deletes, in batches of short statements, the older rows of organizations that keep less.
 */
import { z } from "zod";
import { badRequest } from "@/server/errors/domain-error";
import { inTransaction, sqlOf, type SqlDb } from "./rollup";

export const DEFAULT_RAW_DAYS = 30;
export const rawDaysSchema = z
  .number({ error: "days must be a number" })
  .int("days must be a whole number")
  .min(1, "Raw events are kept for at least 1 day")
  .max(3650, "Raw events are kept for at most 3650 days (10 years)");

export interface RawRetention {
  days: number;
  /** No explicit setting: the default applies. */
  isDefault: boolean;
}

export async function getRawRetention(opts: { db: SqlDb; orgId: string }): Promise<RawRetention> {
  const [row] = await sqlOf(opts.db).rows<{ raw_days: number }>(`SELECT raw_days FROM telemetry.retention WHERE org_id = $1`, [opts.orgId]);
  return row ? { days: row.raw_days, isDefault: false } : { days: DEFAULT_RAW_DAYS, isDefault: true };
}

/**
 * Sets how many days the organization's raw events are kept (1..3650; BAD_REQUEST otherwise).
 * Returns the setting before and after, for the caller's audit event (pass a transaction client to
 * write both in one transaction).
 */
export async function setRawRetention(opts: { db: SqlDb; orgId: string; days: number }): Promise<{ before: RawRetention; after: RawRetention }> {
  const parsed = rawDaysSchema.safeParse(opts.days);
  if (!parsed.success) throw badRequest(parsed.error.issues[0]!.message, "days");
  const before = await getRawRetention(opts);
  await sqlOf(opts.db).exec(
    `INSERT INTO telemetry.retention (org_id, raw_days) VALUES ($1, $2::int) ON CONFLICT (org_id) DO UPDATE SET raw_days = EXCLUDED.raw_days`,
    [opts.orgId, parsed.data],
  );
  return { before, after: { days: parsed.data, isDefault: false } };
}

export interface RetentionOptions {
  db: SqlDb;
  /** The clock (tests); default the database's now(). */
  now?: Date;
  /** Rows per DELETE statement; default 10 000. */
  batchSize?: number;
  /** Statements per organization and run at most, so one run stays bounded; default 1 000. */
  maxBatches?: number;
}

export interface RetentionResult {
  /** Longest retention of any organization (days): partitions older than that were dropped. */
  maxDays: number;
  droppedPartitions: string[];
  deletedRows: number;
}

const PARTITION = /^gateway_events_p(\d{4})(\d{2})(\d{2})$/;

export async function runRetention(opts: RetentionOptions): Promise<RetentionResult> {
  const sql = sqlOf(opts.db);
  const now = opts.now?.toISOString() ?? null;
  const batchSize = opts.batchSize ?? 10_000;
  const maxBatches = opts.maxBatches ?? 1_000;

  const [max] = await sql.rows<{ days: number }>(`SELECT greatest($1::int, coalesce(max(raw_days), 0))::int AS days FROM telemetry.retention`, [DEFAULT_RAW_DAYS]);
  const maxDays = max!.days;
  const [clock] = await sql.rows<{ cutoff: Date | string }>(`SELECT (coalesce($1::timestamptz, now()) - $2::int * interval '1 day')::text AS cutoff`, [now, maxDays]);
  const cutoffMs = Date.parse(String(clock!.cutoff));

  // 1. Whole days past every organization's retention.
  const parts = await sql.rows<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'telemetry.gateway_events'::regclass ORDER BY c.relname`,
  );
  const droppedPartitions: string[] = [];
  for (const { name } of parts) {
    const m = PARTITION.exec(name);
    if (!m) continue;
    const dayEnd = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
    if (dayEnd > cutoffMs) continue;
    // A brief exclusive lock on the parent: give up for this hour rather than queue behind a long reader.
    await inTransaction(opts.db, async (tx) => {
      await tx.exec(`SET LOCAL lock_timeout = '5s'`);
      await tx.exec(`DROP TABLE IF EXISTS telemetry."${name}"`);
    });
    droppedPartitions.push(name);
  }

  // 2. Organizations that keep less than the longest retention, oldest rows first in batches.
  const orgs = await sql.rows<{ org_id: string; days: number }>(
    `SELECT o.id AS org_id, coalesce(r.raw_days, $1::int)::int AS days
       FROM "Organization" o LEFT JOIN telemetry.retention r ON r.org_id = o.id
      WHERE coalesce(r.raw_days, $1::int) < $2::int
     UNION
     SELECT org_id, raw_days FROM telemetry.retention WHERE raw_days < $2::int`,
    [DEFAULT_RAW_DAYS, maxDays],
  );
  let deletedRows = 0;
  for (const org of orgs) {
    for (let i = 0; i < maxBatches; i++) {
      const n = await sql.exec(
        `DELETE FROM telemetry.gateway_events e
          USING (SELECT id, at FROM telemetry.gateway_events
                  WHERE org_id = $1 AND at < coalesce($2::timestamptz, now()) - $3::int * interval '1 day' LIMIT $4::int) d
          WHERE e.id = d.id AND e.at = d.at AND e.org_id = $1`,
        [org.org_id, now, org.days, batchSize],
      );
      deletedRows += n;
      if (n < batchSize) break;
    }
  }
  return { maxDays, droppedPartitions, deletedRows };
}

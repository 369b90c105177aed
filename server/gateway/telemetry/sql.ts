import pg from "pg";
import type { TelemetryRecord } from "../types";
import { dayLiteral } from "./record";

/**
 * The SQL of telemetry.gateway_events (migration 20261125172500_gateway_telemetry): one INSERT per
 * batch, partition upkeep, and a count for tests and diagnostics.
 */

type Queryable = Pick<pg.Pool | pg.Client, "query">;

/**
 * One statement per batch whatever its size: every column goes as one array parameter and unnest
 * turns them back into rows, so the statement text (and its plan) is the same for every batch.
 * `at` travels as epoch milliseconds (int8) and becomes a timestamptz in SQL, exactly, whatever the
 * session's time zone.
 */
const INSERT_SQL = `
INSERT INTO telemetry.gateway_events (
  id, kind, request_id, at, org_id, api_key_id, route_id, agent_id, protocol, model, stream, status,
  error_class, latency_ms, ttft_ms, tokens_in, tokens_out, cost_usd, attempt, retry, failover,
  trace_id, subject, policy_decisions, plugin_calls
)
SELECT
  id, kind, request_id, timestamptz 'epoch' + at_ms * interval '1 millisecond', org_id, api_key_id,
  route_id, agent_id, protocol, model, stream, status, error_class, latency_ms, ttft_ms, tokens_in,
  tokens_out, cost_usd, attempt, retry, failover, trace_id, subject, policy_decisions::jsonb,
  plugin_calls::jsonb
FROM unnest(
  $1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[],
  $9::text[], $10::text[], $11::bool[], $12::int4[], $13::text[], $14::int4[], $15::int4[],
  $16::int4[], $17::int4[], $18::float8[], $19::int4[], $20::bool[], $21::bool[], $22::text[],
  $23::text[], $24::text[], $25::text[]
) AS t(
  id, kind, request_id, at_ms, org_id, api_key_id, route_id, agent_id, protocol, model, stream,
  status, error_class, latency_ms, ttft_ms, tokens_in, tokens_out, cost_usd, attempt, retry,
  failover, trace_id, subject, policy_decisions, plugin_calls
)
ON CONFLICT DO NOTHING`;

/** Inserts normalized records; returns how many were new (replayed duplicates are not counted). */
export async function insertEvents(db: Queryable, records: readonly TelemetryRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const columns = (pick: (r: TelemetryRecord) => unknown) => records.map(pick);
  const result = await db.query(INSERT_SQL, [
    columns((r) => r.id),
    columns((r) => r.kind),
    columns((r) => r.requestId),
    columns((r) => r.at),
    columns((r) => r.orgId),
    columns((r) => r.apiKeyId),
    columns((r) => r.routeId),
    columns((r) => r.agentId),
    columns((r) => r.protocol),
    columns((r) => r.model),
    columns((r) => r.stream),
    columns((r) => r.status),
    columns((r) => r.errorClass),
    columns((r) => r.latencyMs),
    columns((r) => r.ttftMs),
    columns((r) => r.tokensIn),
    columns((r) => r.tokensOut),
    columns((r) => r.costUsd),
    columns((r) => r.attempt),
    columns((r) => r.retry),
    columns((r) => r.failover),
    columns((r) => r.traceId),
    columns((r) => r.subject),
    columns((r) => r.policyDecisions),
    columns((r) => r.pluginCalls),
  ]);
  return result.rowCount ?? 0;
}

/** Creates the missing daily partitions for `days` UTC days from `fromDay` (days since the epoch). */
export async function ensurePartitions(db: Queryable, fromDay: number, days: number): Promise<number> {
  const result = await db.query<{ created: number }>("SELECT telemetry.ensure_partitions($1::date, $2) AS created", [
    dayLiteral(fromDay),
    days,
  ]);
  return result.rows[0]?.created ?? 0;
}

/**
 * An error of the rows themselves (SQLSTATE class 22 data exception, 23 integrity violation):
 * sending the same rows again fails again.
 */
export function isRowError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && /^(22|23)/.test(error.code ?? "");
}

/**
 * Postgres answered and refused the statement (permission denied, missing table, a row error), as
 * opposed to: could not be reached, went away, timed out, too many connections, starting or
 * stopping (SQLSTATE classes 08, 53, 57, 58), which are worth retrying as they are.
 */
export function isStatementError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && !/^(08|53|57|58)/.test(error.code ?? "");
}

/** Counts telemetry rows, optionally of one organization and/or kind. For tests and diagnostics. */
export async function countGatewayEvents(
  connectionString: string,
  where: { orgId?: string; kind?: "request" | "attempt" } = {},
): Promise<number> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM telemetry.gateway_events
       WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text IS NULL OR kind = $2)`,
      [where.orgId ?? null, where.kind ?? null],
    );
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

import { Prisma } from "@/server/generated/prisma/client";
import { db } from "@/server/db";
import { bucketOf, emptyHistogram } from "./histogram";

// Writes rollup rows directly, for tests of whatever reads them (analytics, alerts, anomaly scans)
// without running the gateway or the rollup job.

export interface RollupRowInput {
  orgId: string;
  bucket: Date;
  routeId?: string;
  agentId?: string;
  apiKeyId?: string;
  /** HTTP class of the answers: 2 (default), 4 or 5. */
  statusClass?: 2 | 4 | 5;
  /** Defaults to the number of latencies when they are given as a list, else 1. */
  requests?: number;
  /** 5xx answers; defaults to all requests when statusClass is 5, else 0. */
  errors?: number;
  errorsByClass?: Record<string, number>;
  streams?: number;
  retries?: number;
  failovers?: number;
  tokensIn?: number;
  tokensOut?: number;
  costUsd?: number;
  /** One latency for every request (default 100 ms), or one per request. */
  latencyMs?: number | number[];
  /** Time to first token: one for every request, or one per streamed request; none by default. */
  ttftMs?: number | number[];
}

export interface QualityRowInput {
  orgId: string;
  bucket: Date;
  routeId?: string;
  agentId?: string;
  /** Scores 0..1, one per feedback. */
  scores: number[];
}

/** A histogram of `values` (or of `count` times one value) in the shared log-scale buckets. */
export function histogramOf(values: number | number[], count = 1): number[] {
  const h = emptyHistogram();
  const list = Array.isArray(values) ? values : new Array<number>(count).fill(values);
  for (const v of list) h[bucketOf(v)]!++;
  return h;
}

/** Epoch milliseconds as a timestamptz, exact whatever the session's time zone. */
const at = (d: Date) => Prisma.sql`(timestamptz 'epoch' + ${d.getTime()}::int8 * interval '1 millisecond')`;

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function rollupValues(r: RollupRowInput): Prisma.Sql {
  const requests = r.requests ?? (Array.isArray(r.latencyMs) ? r.latencyMs.length : 1);
  const latencies = Array.isArray(r.latencyMs) ? r.latencyMs : new Array<number>(requests).fill(r.latencyMs ?? 100);
  const ttfts = r.ttftMs === undefined ? [] : Array.isArray(r.ttftMs) ? r.ttftMs : new Array<number>(requests).fill(r.ttftMs);
  const statusClass = r.statusClass ?? 2;
  return Prisma.sql`(
    ${at(r.bucket)}, ${r.orgId}, ${r.routeId ?? ""}, ${r.agentId ?? ""}, ${r.apiKeyId ?? ""}, ${statusClass}::smallint,
    ${requests}::int, ${r.errors ?? (statusClass === 5 ? requests : 0)}::int, ${JSON.stringify(r.errorsByClass ?? {})}::jsonb,
    ${r.streams ?? ttfts.length}::int, ${r.retries ?? 0}::int, ${r.failovers ?? 0}::int,
    ${r.tokensIn ?? 0}::int8, ${r.tokensOut ?? 0}::int8, ${r.costUsd ?? 0}::float8,
    ${Math.round(sum(latencies))}::int8, ${histogramOf(latencies)}::int[],
    ${ttfts.length}::int, ${Math.round(sum(ttfts))}::int8, ${histogramOf(ttfts)}::int[]
  )`;
}

async function insertRollup(table: "rollup_minute" | "rollup_hour" | "rollup_day", rows: RollupRowInput[]) {
  if (rows.length === 0) return;
  await db().$executeRaw`
    INSERT INTO ${Prisma.raw(`telemetry.${table}`)} (
      bucket, org_id, route_id, agent_id, api_key_id, status_class, requests, errors, errors_by_class,
      streams, retries, failovers, tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_hist,
      ttft_count, ttft_sum_ms, ttft_hist
    ) VALUES ${Prisma.join(rows.map(rollupValues), ", ")}`;
}

/** Inserts per-minute rollup rows (bucket should be a whole minute). */
export const insertRollupMinute = (rows: RollupRowInput[]) => insertRollup("rollup_minute", rows);
/** Inserts per-hour rollup rows (bucket should be a whole hour). */
export const insertRollupHour = (rows: RollupRowInput[]) => insertRollup("rollup_hour", rows);
/** Inserts per-day rollup rows (bucket should be a UTC midnight). */
export const insertRollupDay = (rows: RollupRowInput[]) => insertRollup("rollup_day", rows);

async function insertQuality(table: "quality_minute" | "quality_hour" | "quality_day", rows: QualityRowInput[]) {
  if (rows.length === 0) return;
  const values = rows.map(
    (r) => Prisma.sql`(${at(r.bucket)}, ${r.orgId}, ${r.routeId ?? ""}, ${r.agentId ?? ""}, ${r.scores.length}::int, ${sum(r.scores)}::float8)`,
  );
  await db().$executeRaw`
    INSERT INTO ${Prisma.raw(`telemetry.${table}`)} (bucket, org_id, route_id, agent_id, feedback_count, score_sum)
    VALUES ${Prisma.join(values, ", ")}`;
}

export const insertQualityMinute = (rows: QualityRowInput[]) => insertQuality("quality_minute", rows);
export const insertQualityHour = (rows: QualityRowInput[]) => insertQuality("quality_hour", rows);
export const insertQualityDay = (rows: QualityRowInput[]) => insertQuality("quality_day", rows);

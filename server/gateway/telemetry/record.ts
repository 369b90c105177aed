import { randomUUID } from "node:crypto";
import type { TelemetryRecord } from "../types";

/**
 * Turns whatever the gateway hands to `record()` into a row Postgres will accept, once, on the way
 * in: what is buffered, spooled and replayed is this normalized record, so a replay inserts exactly
 * the values (and above all the same id and `at`) of the first attempt. Normalizing is idempotent.
 *
 * Why bother: a batch is one INSERT, and one bad value (a NUL byte in a client's `user`, a NaN
 * latency, a timestamp past year 9999) would fail the whole batch again on every replay.
 */

const MAX_TEXT = 1024;
const INT_MAX = 2_147_483_647;
const INT_MIN = -2_147_483_648;
/** 9999-12-31T23:59:59.999Z: beyond it a Date cannot be printed as an ISO string. */
const MAX_AT = 253_402_300_799_999;
export const DAY_MS = 86_400_000;

function text(value: unknown): string {
  const s = typeof value === "string" ? value : value == null ? "" : String(value);
  // Postgres text cannot hold NUL.
  const clean = s.includes("\u0000") ? s.replaceAll("\u0000", "") : s;
  return clean.length > MAX_TEXT ? clean.slice(0, MAX_TEXT) : clean;
}

function nullableText(value: unknown): string | null {
  return value == null ? null : text(value);
}

/** JSON text Postgres will accept as jsonb (a spooled record may have been damaged), or null. */
function jsonText(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  try {
    JSON.parse(value);
  } catch {
    return null;
  }
  // jsonb refuses \u0000 escapes, as text columns refuse NUL.
  return value.includes("\\u0000") ? null : value;
}

function int(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return 0;
  // `+ 0` turns -0 into 0 (here and below), so a value reads the same after a JSON round trip.
  return Math.min(INT_MAX, Math.max(INT_MIN, Math.round(n))) + 0;
}

function nullableInt(value: unknown): number | null {
  return value == null ? null : int(value);
}

function nullableFloat(value: unknown): number | null {
  if (value == null) return null;
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n + 0 : null;
}

function epochMs(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) && n >= 0 && n <= MAX_AT ? Math.trunc(n) + 0 : Date.now();
}

/** A record every column of telemetry.gateway_events accepts. Never throws. */
export function normalizeRecord(r: Partial<Record<keyof TelemetryRecord, unknown>>): TelemetryRecord {
  const id = text(r.id) || randomUUID();
  const kind = r.kind === "attempt" ? "attempt" : "request";
  return {
    id,
    kind,
    requestId: text(r.requestId) || (kind === "request" ? id : ""),
    at: epochMs(r.at),
    orgId: text(r.orgId),
    apiKeyId: nullableText(r.apiKeyId),
    routeId: nullableText(r.routeId),
    agentId: nullableText(r.agentId),
    protocol: text(r.protocol),
    model: nullableText(r.model),
    stream: r.stream === true,
    status: int(r.status),
    errorClass: nullableText(r.errorClass) as TelemetryRecord["errorClass"],
    latencyMs: int(r.latencyMs),
    ttftMs: nullableInt(r.ttftMs),
    tokensIn: int(r.tokensIn),
    tokensOut: int(r.tokensOut),
    costUsd: nullableFloat(r.costUsd),
    attempt: int(r.attempt),
    retry: r.retry === true,
    failover: r.failover === true,
    traceId: text(r.traceId),
    subject: nullableText(r.subject),
    policyDecisions: jsonText(r.policyDecisions),
    pluginCalls: jsonText(r.pluginCalls),
  };
}

/** The UTC day (days since the epoch) a record's partition is for. */
export function utcDay(epochMillis: number): number {
  return Math.floor(epochMillis / DAY_MS);
}

/** A UTC day as the `date` literal Postgres expects ("2026-11-25"). */
export function dayLiteral(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

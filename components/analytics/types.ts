/*
 * The shapes the analytics API answers with, as the prepare functions need them. Structural on
 * purpose: the tRPC outputs are assignable to these, and unit tests can build them by hand.
 */

export type Resolution = "minute" | "hour" | "day";

export interface Summary {
  requests: number;
  errors: number;
  /** 0..1, null without requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** 0..1, null without feedback. */
  quality: number | null;
  feedbackCount: number;
  retries: number;
  failovers: number;
}

export const METRICS = ["requests", "errors", "errorRate", "p50", "p95", "p99", "ttftP50", "ttftP95", "tokens", "cost", "quality"] as const;
export type Metric = (typeof METRICS)[number];

export interface SeriesPoint {
  t: number;
  value: number | null;
}

export interface Series {
  key: string;
  label: string;
  points: readonly SeriesPoint[];
}

export interface TimeSeriesResult {
  resolution: Resolution;
  stepMs: number;
  series: readonly Series[];
}

export interface BreakdownRow {
  id: string;
  name: string;
  requests: number;
  share: number;
  errorRate: number | null;
  p95Ms: number | null;
  ttftP95Ms: number | null;
  costUsd: number;
  quality: number | null;
  previousRequests: number;
}

export interface HeatmapResult {
  cells: readonly { weekday: number; hour: number; requests: number }[];
  max: number;
}

export type Severity = "info" | "warning" | "critical";

export interface Recommendation {
  id: string;
  kind: string;
  severity: Severity;
  title: string;
  detail: string;
  evidence: Record<string, number | string>;
  routeId?: string | null;
  agentId?: string | null;
}

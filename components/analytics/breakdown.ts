import { computeDelta, type KpiDelta } from "./kpis";
import { formatValue } from "./format";
import type { BreakdownRow } from "./types";

export interface BreakdownTableRow {
  id: string;
  name: string;
  /** The drill-down page, keeping the window and filters; null for rows without one (an unknown agent). */
  href: string | null;
  requests: string;
  requestsValue: number;
  /** Share of all requests, 0–100, for a bar. */
  sharePct: number;
  share: string;
  errorRate: string;
  /** Error rate worth a second look (5% or more). */
  errorRateHigh: boolean;
  p95: string;
  ttftP95: string;
  cost: string;
  quality: string;
  /** Requests compared with the previous window. */
  trend: KpiDelta | null;
}

const HIGH_ERROR_RATE = 0.05;

/**
 * Rows of a "top agents" / "top routes" table. `hrefFor` gives the drill-down link of an id (the
 * caller knows the page and the query string to keep); ids the API marks as unknown get none.
 */
export function prepareBreakdown(rows: readonly BreakdownRow[], hrefFor: (id: string) => string | null): BreakdownTableRow[] {
  return rows.map((r) => {
    const share = Number.isFinite(r.share) ? Math.min(1, Math.max(0, r.share)) : 0;
    return {
      id: r.id,
      name: r.name || "Unknown",
      href: r.id ? hrefFor(r.id) : null,
      requests: formatValue("count", r.requests),
      requestsValue: r.requests,
      sharePct: Math.round(share * 1000) / 10,
      share: formatValue("ratio", share),
      errorRate: formatValue("ratio", r.errorRate),
      errorRateHigh: r.errorRate !== null && r.errorRate >= HIGH_ERROR_RATE,
      p95: formatValue("ms", r.p95Ms),
      ttftP95: formatValue("ms", r.ttftP95Ms),
      cost: formatValue("usd", r.costUsd),
      quality: formatValue("ratio", r.quality),
      trend: computeDelta("count", "neutral", r.requests, r.previousRequests),
    };
  });
}

import type { Metric } from "./types";

/** How a metric's values read: a count, milliseconds, a share (0..1) or US dollars. */
export type Unit = "count" | "ms" | "ratio" | "usd";

export const metricUnit: Record<Metric, Unit> = {
  requests: "count",
  errors: "count",
  errorRate: "ratio",
  p50: "ms",
  p95: "ms",
  p99: "ms",
  ttftP50: "ms",
  ttftP95: "ms",
  tokens: "count",
  cost: "usd",
  quality: "ratio",
};

export const metricLabel: Record<Metric, string> = {
  requests: "Requests",
  errors: "Errors",
  errorRate: "Error rate",
  p50: "p50 latency",
  p95: "p95 latency",
  p99: "p99 latency",
  ttftP50: "TTFT p50",
  ttftP95: "TTFT p95",
  tokens: "Tokens",
  cost: "Cost",
  quality: "Quality",
};

/** Counting metrics: an empty bucket means none happened (0); for the rest it means "no data" (a gap). */
export const isAdditive = (metric: Metric) => metricUnit[metric] === "count" || metricUnit[metric] === "usd";

const EM_DASH = "—";

/** 950, 1,234, 12.3k, 4.5M — `compact` for axes and cards, full otherwise. */
export function formatCount(n: number, compact = false): string {
  if (!compact || Math.abs(n) < 10_000) return Math.round(n).toLocaleString("en-US");
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** "42 ms", "1.3 s", "12 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A share 0..1 as "12.3%" ("0%", "100%", "<0.1%"). */
export function formatRatio(r: number): string {
  const pct = r * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  if (pct > 0 && pct < 0.1) return "<0.1%";
  return `${pct.toFixed(pct < 10 ? 2 : 1).replace(/\.?0+$/, "")}%`;
}

/** "$12.34", "$0.0042", "$1.2k": enough digits that small per-request costs do not read as $0.00. */
export function formatUsd(usd: number, compact = false): string {
  const abs = Math.abs(usd);
  if (abs === 0) return "$0";
  if (compact && abs >= 10_000) return `$${new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(usd)}`;
  if (abs >= 1) return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01) return `$${usd.toFixed(3).replace(/0$/, "")}`;
  if (abs >= 0.0001) return `$${usd.toFixed(4)}`;
  return "<$0.0001";
}

/** A value in its unit, or an em dash when unknown. */
export function formatValue(unit: Unit, value: number | null | undefined, compact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return EM_DASH;
  switch (unit) {
    case "count":
      return formatCount(value, compact);
    case "ms":
      return formatMs(value);
    case "ratio":
      return formatRatio(value);
    case "usd":
      return formatUsd(value, compact);
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** "14:05" in UTC: the same text on the server and in any browser. */
export function formatClock(t: number): string {
  const d = new Date(t);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "Nov 25" in UTC. */
export function formatDay(t: number): string {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** "Nov 25, 14:05 UTC": a bucket in a tooltip. */
export function formatInstant(t: number): string {
  return `${formatDay(t)}, ${formatClock(t)} UTC`;
}

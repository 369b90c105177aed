import { formatLatency, formatUtc } from "./time";

export interface HealthCheck {
  at: Date;
  ok: boolean;
  latencyMs: number | null;
  error: string | null;
}

export interface HealthTick {
  key: string;
  ok: boolean;
  /** Bar height in percent: latency relative to the slowest passing check; failures are full height. */
  heightPct: number;
  title: string;
}

export interface HealthTimeline {
  /** Oldest first, as a timeline reads. */
  ticks: HealthTick[];
  total: number;
  passed: number;
  failed: number;
  /** Share of passing checks, 0–100, or null without checks. */
  passRatePct: number | null;
  medianLatencyMs: number | null;
  summary: string;
}

const MIN_HEIGHT = 25;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Turns `agent.health` checks (newest first) into the tick row and its one-line summary. */
export function prepareHealthTimeline(checksNewestFirst: readonly HealthCheck[]): HealthTimeline {
  const checks = [...checksNewestFirst].reverse();
  const latencies = checks.filter((c) => c.ok && c.latencyMs !== null).map((c) => c.latencyMs!);
  const slowest = Math.max(1, ...latencies);
  const ticks = checks.map((c, i) => ({
    key: `${c.at.getTime()}-${i}`,
    ok: c.ok,
    heightPct: !c.ok || c.latencyMs === null ? 100 : Math.round(MIN_HEIGHT + ((100 - MIN_HEIGHT) * c.latencyMs) / slowest),
    title: `${formatUtc(c.at)} · ${c.ok ? `passed · ${formatLatency(c.latencyMs)}` : `failed${c.error ? ` · ${c.error}` : ""}`}`,
  }));
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  const passRatePct = checks.length ? Math.round((passed / checks.length) * 1000) / 10 : null;
  const medianLatencyMs = median(latencies);
  const summary =
    checks.length === 0
      ? "No health checks yet."
      : `Last ${checks.length} ${checks.length === 1 ? "check" : "checks"}: ${passed} passed, ${failed} failed` +
        (medianLatencyMs !== null ? `; median latency ${formatLatency(medianLatencyMs)}.` : ".");
  return { ticks, total: checks.length, passed, failed, passRatePct, medianLatencyMs, summary };
}

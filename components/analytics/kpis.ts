import { formatValue, type Unit } from "./format";
import type { Summary } from "./types";

export type KpiKey = "requests" | "errorRate" | "p95" | "ttftP95" | "cost" | "quality";
/** Whether a rise is good news, bad news or neither. */
export type Polarity = "higherIsBetter" | "lowerIsBetter" | "neutral";
export type DeltaTone = "good" | "bad" | "neutral";
export type DeltaDirection = "up" | "down" | "flat";

export interface KpiDelta {
  direction: DeltaDirection;
  tone: DeltaTone;
  /** "+12.3%", "−4%", "+1.2 pp", "0%". */
  text: string;
  /** For screen readers and titles: "up 12.3% from 1,000". */
  description: string;
}

export interface Kpi {
  key: KpiKey;
  label: string;
  /** The current value, formatted ("—" when unknown). */
  value: string;
  /** One short line under the value (e.g. "12 errors", "from 40 ratings"). */
  detail: string | null;
  /** Null when there is nothing to compare with. */
  delta: KpiDelta | null;
}

interface KpiSpec {
  key: KpiKey;
  label: string;
  unit: Unit;
  polarity: Polarity;
  pick: (s: Summary) => number | null;
  detail?: (s: Summary) => string | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

const SPECS: KpiSpec[] = [
  { key: "requests", label: "Requests", unit: "count", polarity: "neutral", pick: (s) => s.requests, detail: (s) => (s.failovers ? plural(s.failovers, "failover") : null) },
  { key: "errorRate", label: "Error rate", unit: "ratio", polarity: "lowerIsBetter", pick: (s) => s.errorRate, detail: (s) => plural(s.errors, "error") },
  { key: "p95", label: "Latency p95", unit: "ms", polarity: "lowerIsBetter", pick: (s) => s.p95Ms, detail: (s) => (s.p50Ms === null ? null : `p50 ${formatValue("ms", s.p50Ms)}`) },
  { key: "ttftP95", label: "TTFT p95", unit: "ms", polarity: "lowerIsBetter", pick: (s) => s.ttftP95Ms, detail: (s) => (s.ttftP50Ms === null ? "no streams" : `p50 ${formatValue("ms", s.ttftP50Ms)}`) },
  { key: "cost", label: "Cost", unit: "usd", polarity: "lowerIsBetter", pick: (s) => s.costUsd, detail: (s) => `${formatValue("count", s.tokensIn + s.tokensOut, true)} tokens` },
  { key: "quality", label: "Quality", unit: "ratio", polarity: "higherIsBetter", pick: (s) => s.quality, detail: (s) => (s.feedbackCount ? `from ${plural(s.feedbackCount, "rating")}` : "no feedback yet") },
];

// Changes smaller than this read as "no change" (0.05% relative, 0.05 percentage points).
const FLAT = 0.0005;

function tone(polarity: Polarity, direction: DeltaDirection): DeltaTone {
  if (direction === "flat" || polarity === "neutral") return "neutral";
  return (direction === "up") === (polarity === "higherIsBetter") ? "good" : "bad";
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text}` : text);

/**
 * Change from the previous window. Shares (error rate, quality) change in percentage points, since
 * "error rate +200%" for 0.1% → 0.3% says less than "+0.2 pp"; everything else in percent of the
 * previous value, which needs a previous value above zero.
 */
export function computeDelta(unit: Unit, polarity: Polarity, current: number | null, previous: number | null): KpiDelta | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous)) return null;
  let change: number;
  let text: string;
  let description: string;
  if (unit === "ratio") {
    change = current - previous;
    const pp = Math.round(Math.abs(change) * 1000) / 10;
    text = signed(Math.abs(change) < FLAT ? 0 : change, `${pp < 10 ? pp.toFixed(1) : pp.toFixed(0)} pp`);
    description = `${Math.abs(change) < FLAT ? "unchanged" : change > 0 ? "up" : "down"} ${pp.toFixed(1)} percentage points from ${formatValue(unit, previous)}`;
  } else {
    if (previous <= 0) return null;
    change = (current - previous) / previous;
    const pct = Math.abs(change) * 100;
    const pctText = `${pct < 10 ? pct.toFixed(1).replace(/\.0$/, "") : Math.round(pct).toLocaleString("en-US")}%`;
    text = signed(Math.abs(change) < FLAT ? 0 : change, pctText);
    description = `${Math.abs(change) < FLAT ? "unchanged" : change > 0 ? "up" : "down"} ${pctText} from ${formatValue(unit, previous)}`;
  }
  const direction: DeltaDirection = Math.abs(change) < FLAT ? "flat" : change > 0 ? "up" : "down";
  if (direction === "flat") text = unit === "ratio" ? "0 pp" : "0%";
  return { direction, tone: tone(polarity, direction), text, description };
}

/** The six headline numbers of a window, each with its change from the window before. */
export function prepareKpis(current: Summary, previous: Summary | null): Kpi[] {
  return SPECS.map((spec) => {
    const value = spec.pick(current);
    // Without any traffic before, every comparison would be against nothing.
    const before = previous && previous.requests > 0 ? spec.pick(previous) : null;
    return {
      key: spec.key,
      label: spec.label,
      value: formatValue(spec.unit, value, true),
      detail: spec.detail ? spec.detail(current) : null,
      delta: computeDelta(spec.unit, spec.polarity, value, before),
    };
  });
}

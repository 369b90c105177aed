import { formatClock, formatDay, formatInstant, isAdditive, metricUnit, type Unit } from "./format";
import type { Metric, Resolution, Series } from "./types";

/** Series colors: the theme's chart variables (each has a dark-mode value), in a fixed order. */
export const SERIES_COLORS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"] as const;

/** The nth series color; past the palette, the palette again mixed toward the text color. */
export function seriesColor(index: number): string {
  const base = SERIES_COLORS[index % SERIES_COLORS.length]!;
  const round = Math.floor(index / SERIES_COLORS.length);
  if (round === 0) return base;
  return `color-mix(in oklch, ${base} ${Math.max(30, 100 - round * 35)}%, var(--foreground))`;
}

/** A row of the chart: the bucket's start and one value per series (null: no data there). */
export type ChartRow = { t: number; band?: [number, number] | null; mark?: number | null } & { [dataKey: `s${number}`]: number | null };

export interface ChartSeries {
  key: string;
  /** The row property holding this series' values ("s0", "s1", …). */
  dataKey: `s${number}`;
  /** Drawn dashed (a forecast rather than a measurement). */
  dashed?: boolean;
  label: string;
  color: string;
}

export interface TimeSeriesModel {
  rows: ChartRow[];
  series: ChartSeries[];
  unit: Unit;
  resolution: Resolution;
  xDomain: [number, number];
  xTicks: number[];
  /** Whether the x labels are times of day ("14:00") or days ("Nov 25"); always days for day buckets. */
  xTickFormat: "clock" | "day";
  /** The y axis starts at zero; a share with only zeros gets a small fixed top instead of 0–400%. */
  yDomain: [number, number | "auto"];
  /** No value anywhere (or only zeros of a counting metric): show the empty state instead. */
  empty: boolean;
  hasBand: boolean;
  hasMarks: boolean;
}

export interface PrepareTimeSeriesInput {
  metric: Metric;
  resolution: Resolution;
  stepMs: number;
  /** The window asked for (ms since the epoch). */
  from: number;
  to: number;
  series: readonly Series[];
  /** An expected range per bucket (anomaly detection), drawn behind the lines. */
  band?: readonly { t: number; lower: number; upper: number }[];
  /** Points to call out (anomalies). */
  marks?: readonly { t: number; value: number }[];
  /**
   * Keys in the order their colors should go, so the same route keeps its color on every chart
   * of a page. Keys not listed come after, in the order given.
   */
  colorOrder?: readonly string[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Tick spacings that read well, smallest first; the first giving at most MAX_TICKS ticks wins.
const TICK_STEPS = [MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
const MAX_TICKS = 8;
// Beyond this many buckets the series are drawn as given rather than filled bucket by bucket.
const MAX_FILLED_BUCKETS = 5_000;

const STEP_MS: Record<Resolution, number> = { minute: MINUTE, hour: HOUR, day: DAY };

/**
 * Evenly spaced x ticks on round UTC times (whole hours, midnights) inside [from, to]; never closer
 * than one bucket, so day buckets get ticks on midnights only.
 */
export function xTicksFor(from: number, to: number, maxTicks = MAX_TICKS, resolution: Resolution = "minute"): number[] {
  const span = Math.max(0, to - from);
  const step = TICK_STEPS.find((s) => s >= STEP_MS[resolution] && span / s <= maxTicks) ?? Math.max(DAY, Math.ceil(span / maxTicks / DAY) * DAY);
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** "14:00" for windows up to two days (ticks within a day), "Nov 25" beyond or for day buckets. */
export function xTickFormatFor(from: number, to: number, resolution: Resolution = "minute"): "clock" | "day" {
  return resolution !== "day" && to - from <= 2 * DAY ? "clock" : "day";
}

export function formatXTick(format: "clock" | "day", t: number): string {
  return format === "clock" ? formatClock(t) : formatDay(t);
}

/** The bucket in a tooltip: "Nov 25, 14:05 UTC" (minute), "Nov 25, 14:00 UTC" (hour) or "Nov 25 (UTC)" (day). */
export function formatBucket(t: number, resolution: Resolution = "minute"): string {
  switch (resolution) {
    case "day":
      return `${formatDay(t)} (UTC)`;
    case "hour":
    case "minute":
      return formatInstant(t);
  }
}

function orderSeries(series: readonly Series[], colorOrder: readonly string[] | undefined): Series[] {
  if (!colorOrder) return [...series];
  const rank = (key: string) => {
    const i = colorOrder.indexOf(key);
    return i === -1 ? colorOrder.length : i;
  };
  return series.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.key) - rank(b.s.key) || a.i - b.i).map(({ s }) => s);
}

/**
 * Turns `analytics.timeseries` answers into one chart: a row per bucket across the whole window
 * (missing buckets are zero for counting metrics and gaps — null — for the rest), one line per
 * series with its color, and the x ticks for the window.
 */
export function prepareTimeSeries(input: PrepareTimeSeriesInput): TimeSeriesModel {
  const { metric, resolution, from, to } = input;
  const stepMs = input.stepMs > 0 ? input.stepMs : STEP_MS[resolution];
  const unit = metricUnit[metric];
  const ordered = orderSeries(input.series, input.colorOrder);
  const series: ChartSeries[] = ordered.map((s, i) => ({ key: s.key, dataKey: `s${i}`, label: s.label, color: seriesColor(i) }));
  const fill = isAdditive(metric) ? 0 : null;

  // Every bucket of the window, so a quiet stretch shows as zero (or a gap) instead of a straight
  // line drawn across it; plus any timestamp the answers carry that is off that grid.
  const times = new Set<number>();
  const first = Math.floor(from / stepMs) * stepMs;
  if ((to - first) / stepMs <= MAX_FILLED_BUCKETS) for (let t = first; t < to; t += stepMs) times.add(t);
  for (const s of ordered) for (const p of s.points) times.add(p.t);
  for (const b of input.band ?? []) times.add(b.t);
  for (const m of input.marks ?? []) times.add(m.t);
  const sorted = [...times].filter((t) => Number.isFinite(t)).sort((a, b) => a - b);

  const byTime = new Map<number, ChartRow>(sorted.map((t) => [t, { t, ...Object.fromEntries(series.map((s) => [s.dataKey, fill])) } as ChartRow]));
  ordered.forEach((s, i) => {
    for (const p of s.points) {
      const row = byTime.get(p.t);
      if (row) row[`s${i}`] = p.value === null || !Number.isFinite(p.value) ? null : p.value;
    }
  });
  for (const b of input.band ?? []) {
    const row = byTime.get(b.t);
    if (row) row.band = [Math.min(b.lower, b.upper), Math.max(b.lower, b.upper)];
  }
  for (const m of input.marks ?? []) {
    const row = byTime.get(m.t);
    if (row) row.mark = m.value;
  }

  const rows = sorted.map((t) => byTime.get(t)!);
  const values = rows.flatMap((r) => series.map((s) => r[s.dataKey]));
  const empty = series.length === 0 || values.every((v) => v === null || (fill === 0 && v === 0));
  return {
    rows,
    series,
    unit,
    resolution,
    // Buckets start on whole steps, so the first may begin a little before the window.
    xDomain: [Math.min(from, sorted[0] ?? from), Math.max(to, sorted.at(-1) ?? to)],
    xTicks: xTicksFor(from, to, MAX_TICKS, resolution),
    xTickFormat: xTickFormatFor(from, to, resolution),
    yDomain: [0, unit === "ratio" && !values.some((v) => typeof v === "number" && v > 0) ? 0.05 : "auto"],
    empty,
    hasBand: Boolean(input.band?.length),
    hasMarks: Boolean(input.marks?.length),
  };
}

/** Several one-series answers (p95 and p99, say) as one answer with a series each, labelled. */
export function combineSeries(parts: readonly { label: string; key: string; series: readonly Series[] }[]): Series[] {
  return parts.flatMap((part) => {
    // A metric without groupBy answers with one series; anything else keeps its own labels.
    if (part.series.length <= 1) return part.series.map((s) => ({ ...s, key: part.key, label: part.label }));
    return part.series.map((s) => ({ ...s, key: `${part.key}:${s.key}`, label: `${part.label} · ${s.label}` }));
  });
}

/** A value with no value on either side: a line cannot show it, so the chart draws a dot. */
export function isIsolatedPoint(rows: readonly ChartRow[], index: number, dataKey: `s${number}`): boolean {
  const value = rows[index]?.[dataKey];
  if (value === null || value === undefined) return false;
  const before = index > 0 ? rows[index - 1]![dataKey] : null;
  const after = index < rows.length - 1 ? rows[index + 1]![dataKey] : null;
  return (before === null || before === undefined) && (after === null || after === undefined);
}

/** One sentence for screen readers: what the chart shows and its latest values. */
export function describeChart(title: string, model: TimeSeriesModel, format: (value: number | null) => string): string {
  if (model.empty) return `${title}: no data in this range.`;
  const latest = model.series.map((s) => {
    const last = [...model.rows].reverse().find((r) => r[s.dataKey] !== null);
    return `${s.label} ${format(last?.[s.dataKey] ?? null)}`;
  });
  return `${title} over time, ${model.series.length} ${model.series.length === 1 ? "series" : "series"}. Latest: ${latest.join(", ")}.`;
}

import { formatCount } from "./format";
import type { HeatmapResult } from "./types";

export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/** Intensity steps above zero; 0 is "no requests". */
export const HEATMAP_LEVELS = 4;

export interface HeatmapCell {
  weekday: number;
  hour: number;
  requests: number;
  /** 0 (none) .. HEATMAP_LEVELS (busiest). */
  level: number;
  /** "Tuesday 14:00–15:00 UTC: 1,234 requests". */
  label: string;
}

export interface HeatmapModel {
  /** Seven rows, Monday first, of 24 cells each, midnight first. */
  rows: { weekday: number; label: string; cells: HeatmapCell[] }[];
  max: number;
  total: number;
  empty: boolean;
  /** The busiest hour, for a one-line summary ("Busiest: Tuesday 14:00 UTC"). */
  busiest: HeatmapCell | null;
  /** One line per level for the legend: "1–25", "26–50"… */
  legend: { level: number; label: string }[];
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Level for a count: 0 for none; otherwise in even steps of the busiest hour, at least 1. */
export function heatLevel(requests: number, max: number): number {
  if (!(requests > 0) || !(max > 0)) return 0;
  return Math.min(HEATMAP_LEVELS, Math.max(1, Math.ceil((requests / max) * HEATMAP_LEVELS)));
}

/** Turns `analytics.heatmap` into all 168 hours of the week (missing ones are zero), with levels. */
export function prepareHeatmap(result: HeatmapResult): HeatmapModel {
  const counts = new Map<number, number>();
  for (const c of result.cells) {
    if (!Number.isInteger(c.weekday) || !Number.isInteger(c.hour) || c.weekday < 0 || c.weekday > 6 || c.hour < 0 || c.hour > 23) continue;
    const k = c.weekday * 24 + c.hour;
    counts.set(k, (counts.get(k) ?? 0) + Math.max(0, c.requests));
  }
  const max = Math.max(0, ...counts.values());
  let total = 0;
  let busiest: HeatmapCell | null = null;
  const rows = WEEKDAYS.map((label, weekday) => ({
    weekday,
    label,
    cells: Array.from({ length: 24 }, (_, hour) => {
      const requests = counts.get(weekday * 24 + hour) ?? 0;
      total += requests;
      const cell: HeatmapCell = {
        weekday,
        hour,
        requests,
        level: heatLevel(requests, max),
        label: `${WEEKDAY_NAMES[weekday]} ${pad(hour)}:00–${pad((hour + 1) % 24)}:00 UTC: ${formatCount(requests)} ${requests === 1 ? "request" : "requests"}`,
      };
      if (requests > 0 && (!busiest || requests > busiest.requests)) busiest = cell;
      return cell;
    }),
  }));
  const legend = Array.from({ length: HEATMAP_LEVELS + 1 }, (_, level) => {
    if (level === 0) return { level, label: "0" };
    const low = Math.floor((max * (level - 1)) / HEATMAP_LEVELS) + 1;
    const high = Math.floor((max * level) / HEATMAP_LEVELS);
    return { level, label: low >= high ? formatCount(high, true) : `${formatCount(low, true)}–${formatCount(high, true)}` };
  }).filter((entry) => entry.level === 0 || max > 0);
  return { rows, max, total, empty: total === 0, busiest, legend };
}

export function describeHour(cell: HeatmapCell): string {
  return `${WEEKDAY_NAMES[cell.weekday]} ${pad(cell.hour)}:00 UTC`;
}

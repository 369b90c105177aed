/*
 * The analytics pages keep their whole state in the URL (?range=24h&route=…, or ?from=…&to=… for
 * a custom window), so a view can be bookmarked, shared and reloaded. These functions are the one
 * translation between the URL and the API's input. The server page resolves the window once (it
 * owns "now") and hands the concrete times to the browser, so the prefetched queries are exactly
 * the ones the browser asks for.
 */

export const RANGE_PRESETS = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export const DEFAULT_PRESET: RangePreset = "24h";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const presetMs: Record<RangePreset, number> = {
  "15m": 15 * MINUTE,
  "1h": HOUR,
  "6h": 6 * HOUR,
  "24h": DAY,
  "7d": 7 * DAY,
  "30d": 30 * DAY,
};

export const presetLabel: Record<RangePreset, string> = {
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
};

/** The longest custom window the pages ask for (what hourly rollups keep comfortably). */
export const MAX_CUSTOM_MS = 90 * DAY;
const MIN_CUSTOM_MS = MINUTE;

export type RangeSpec = { kind: "preset"; preset: RangePreset } | { kind: "custom"; from: Date; to: Date };

export interface AnalyticsParams {
  range: RangeSpec;
  routeId: string | null;
  agentId: string | null;
  keyId: string | null;
}

/** URLSearchParams (or Next.js' read-only kind) in the browser, the page's `searchParams` on the server. */
export type ParamSource = Pick<URLSearchParams, "get"> | Record<string, string | string[] | undefined>;

const isSearchParams = (source: ParamSource): source is Pick<URLSearchParams, "get"> => typeof source.get === "function";

function read(source: ParamSource, key: string): string {
  const value = isSearchParams(source) ? source.get(key) : source[key];
  return ((Array.isArray(value) ? value[0] : value) ?? "").trim();
}

// Database ids (cuid) and the like; anything else is ignored rather than sent to the server.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const id = (value: string) => (ID_PATTERN.test(value) ? value : null);

// Full ISO 8601 timestamps only: Date.parse accepts too many shapes.
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
function isoDate(value: string): Date | null {
  if (!ISO_PATTERN.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const isPreset = (value: string): value is RangePreset => (RANGE_PRESETS as readonly string[]).includes(value);

/** Reads the state from a URL; anything missing, malformed or out of bounds falls back to the last 24 hours. */
export function parseAnalyticsParams(source: ParamSource): AnalyticsParams {
  const filters = { routeId: id(read(source, "route")), agentId: id(read(source, "agent")), keyId: id(read(source, "key")) };
  const preset = read(source, "range");
  if (isPreset(preset)) return { range: { kind: "preset", preset }, ...filters };
  const from = isoDate(read(source, "from"));
  const to = isoDate(read(source, "to"));
  if (from && to) {
    const span = to.getTime() - from.getTime();
    if (span >= MIN_CUSTOM_MS && span <= MAX_CUSTOM_MS) return { range: { kind: "custom", from, to }, ...filters };
  }
  return { range: { kind: "preset", preset: DEFAULT_PRESET }, ...filters };
}

/** The query string for a state ("" or "?…"), leaving out the default range. */
export function analyticsSearch(p: AnalyticsParams): string {
  const out = new URLSearchParams();
  if (p.range.kind === "custom") {
    out.set("from", p.range.from.toISOString());
    out.set("to", p.range.to.toISOString());
  } else if (p.range.preset !== DEFAULT_PRESET) {
    out.set("range", p.range.preset);
  }
  if (p.routeId) out.set("route", p.routeId);
  if (p.agentId) out.set("agent", p.agentId);
  if (p.keyId) out.set("key", p.keyId);
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** A new state from the current one and some changes, normalized the way a URL would be. */
export function nextAnalyticsParams(current: AnalyticsParams, changes: Partial<AnalyticsParams>): AnalyticsParams {
  return parseAnalyticsParams(new URLSearchParams(analyticsSearch({ ...current, ...changes })));
}

export interface ResolvedRange {
  /** Milliseconds since the epoch: plain numbers cross from the server page to the browser unchanged. */
  from: number;
  to: number;
}

/**
 * The concrete window for a state as seen at `now`. A preset ends at the end of the current
 * minute, so the minute in progress is included and a reload within it asks the same question.
 * A custom window ending in the future is clipped to that point.
 */
export function resolveRange(spec: RangeSpec, now: number): ResolvedRange {
  const end = Math.ceil(now / MINUTE) * MINUTE || MINUTE;
  if (spec.kind === "preset") return { from: end - presetMs[spec.preset], to: end };
  const to = Math.min(spec.to.getTime(), end);
  const from = Math.min(spec.from.getTime(), to - MIN_CUSTOM_MS);
  return { from, to };
}

/** The input every analytics procedure takes, for a state and its resolved window. */
export function toAnalyticsInput(orgSlug: string, p: Pick<AnalyticsParams, "routeId" | "agentId" | "keyId">, range: ResolvedRange) {
  return {
    orgSlug,
    from: new Date(range.from),
    to: new Date(range.to),
    ...(p.routeId ? { routeId: p.routeId } : {}),
    ...(p.agentId ? { agentId: p.agentId } : {}),
    ...(p.keyId ? { keyId: p.keyId } : {}),
  };
}

/** "Last 24 hours", or "2026-11-20 08:00 – 2026-11-21 08:00 UTC" for a custom window. */
export function describeRange(spec: RangeSpec): string {
  if (spec.kind === "preset") return presetLabel[spec.preset];
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  return `${fmt(spec.from)} – ${fmt(spec.to)} UTC`;
}

/** "the previous 24 hours": what the deltas compare with. */
export function describePreviousRange(spec: RangeSpec, range: ResolvedRange): string {
  if (spec.kind === "preset") return `the ${presetLabel[spec.preset].replace(/^Last /, "previous ")}`;
  return `the ${formatSpan(range.to - range.from)} before`;
}

/** "15 minutes", "6 hours", "3 days", "1 day 6 hours". */
export function formatSpan(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (ms < HOUR) return plural(Math.max(1, Math.round(ms / MINUTE)), "minute");
  if (ms < DAY) return plural(Math.round(ms / HOUR), "hour");
  const days = Math.floor(ms / DAY);
  const hours = Math.round((ms - days * DAY) / HOUR);
  return hours ? `${plural(days, "day")} ${plural(hours, "hour")}` : plural(days, "day");
}

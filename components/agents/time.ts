const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  // unit, its length in seconds, the age from which the next larger unit reads better
  ["second", 1, 45],
  ["minute", MINUTE, 45 * MINUTE],
  ["hour", HOUR, 22 * HOUR],
  ["day", DAY, 26 * DAY],
  ["month", 30 * DAY, 320 * DAY],
  ["year", 365 * DAY, Infinity],
];

/** "just now", "5 minutes ago", "yesterday", "in 2 hours" — `date` as seen at `now` (ms since epoch). */
export function formatRelativeTime(date: Date, now: number): string {
  const seconds = (date.getTime() - now) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 10) return "just now";
  const sign = seconds < 0 ? -1 : 1;
  for (const [unit, length, next] of UNITS) {
    // Round half away from zero, so 90 minutes ago is "2 hours ago" like 90 minutes ahead is "in 2 hours".
    if (abs < next) return relative.format(sign * Math.round(abs / length), unit);
  }
  return relative.format(sign * Math.round(abs / (365 * DAY)), "year");
}

/** The same text on server and browser, whatever their time zones: "2026-11-25 15:34 UTC". */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "42 ms", "1.3 s", or an em dash when unknown. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** `timestamp,value` CSV for the anomaly CLI: header optional, ISO 8601 or epoch seconds/ms. */

export class InputError extends Error {}

export interface CsvPoint {
  /** The timestamp as written, echoed in the output. */
  raw: string;
  t: number;
  value: number;
}

/** Epoch numbers below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;

export function parseTimestamp(text: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return Math.abs(n) < SECONDS_BELOW ? n * 1000 : n;
  }
  // ISO 8601 only: a date first, so Date.parse's lenient formats ("March 5") are refused.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s)) return null;
  const ms = Date.parse(/[T ]\d{2}:\d{2}/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? `${s.replace(" ", "T")}Z` : s.replace(" ", "T"));
  return Number.isFinite(ms) ? ms : null;
}

export function parseCsv(text: string): CsvPoint[] {
  const out: CsvPoint[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const cells = line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    const lineNo = i + 1;
    if (cells.length !== 2) {
      throw new InputError(`line ${lineNo}: expected 2 columns "timestamp,value", got ${cells.length}: ${line.slice(0, 80)}`);
    }
    const [tsText, valueText] = cells as [string, string];
    const t = parseTimestamp(tsText);
    const value = valueText === "" ? NaN : Number(valueText);
    if (out.length === 0 && t === null && !Number.isFinite(value)) continue; // header
    if (t === null) throw new InputError(`line ${lineNo}: timestamp "${tsText.slice(0, 40)}" is neither ISO 8601 nor epoch seconds/ms`);
    if (!Number.isFinite(value)) throw new InputError(`line ${lineNo}: value "${valueText.slice(0, 40)}" is not a number`);
    out.push({ raw: tsText, t, value });
  }
  return out;
}

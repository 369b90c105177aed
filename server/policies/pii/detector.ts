import { RE2JS, type Matcher } from "re2js";
import { BUILT_IN_DETECTORS, BUILT_IN_PII_KINDS, type BuiltInDetector, type BuiltInPiiKind } from "./builtins";
import { compileCustomPattern, type CustomPattern, type CustomPiiMatcher } from "./custom";
import { Program, type LiveSpec } from "./program";

export interface PiiMatch {
  kind: string;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
}

/**
 * Overlaps are settled left to right: the match that starts first wins; of two starting at the
 * same place the longer; of two equal spans the more specific kind, in this order, then the
 * organization's patterns in the order given.
 */
const PRIORITY: readonly BuiltInPiiKind[] = ["EMAIL", "IBAN", "CARD", "SSN", "IP", "PHONE"];

export interface PiiDetector {
  /** The kinds it finds, in tie-break order. */
  readonly kinds: readonly string[];
  /** Kinds asked for that are neither built in nor among the given patterns (ignored). */
  readonly unknownKinds: readonly string[];
  /** Given patterns that failed validation (ignored), with the reason. */
  readonly rejected: readonly { name: string; message: string }[];
  /** @internal */ readonly builtIns: readonly BuiltInDetector[];
  /** @internal */ readonly custom: readonly CustomPiiMatcher[];
  /** @internal Liveness programs, built-ins first, then custom, and how far each may reach. */
  readonly live: readonly LiveSpec[];
  /** @internal */ readonly windows: readonly number[];
}

let builtInLive: Record<BuiltInPiiKind, LiveSpec> | null = null;

function liveSpecOf(kind: BuiltInPiiKind): LiveSpec {
  builtInLive ??= Object.fromEntries(
    BUILT_IN_PII_KINDS.map((k) => {
      const d = BUILT_IN_DETECTORS[k];
      return [k, { program: Program.of(RE2JS.compile(d.liveness)), canStart: d.canStart }];
    }),
  ) as Record<BuiltInPiiKind, LiveSpec>;
  return builtInLive[kind];
}

export interface DetectorOptions {
  /** Built-in kinds and/or organization pattern names; "ALL" (or a list holding it) = every kind. */
  kinds: readonly string[] | "ALL";
  /** The organization's patterns; only those named in `kinds` (or all, for "ALL") are used. */
  custom?: readonly CustomPattern[];
}

/** Compiles a detector once; reuse it for any number of texts and streams. */
export function createDetector(options: DetectorOptions): PiiDetector {
  const all = options.kinds === "ALL" || options.kinds.includes("ALL");
  const wanted = new Set(all ? [] : options.kinds);
  const builtIns = PRIORITY.filter((k) => all || wanted.has(k)).map((k) => BUILT_IN_DETECTORS[k]);
  const custom: CustomPiiMatcher[] = [];
  const rejected: { name: string; message: string }[] = [];
  const seen = new Set<string>();
  for (const p of options.custom ?? []) {
    if (seen.has(p.name) || !(all || wanted.has(p.name))) continue;
    seen.add(p.name);
    const compiled = compileCustomPattern(p);
    if (compiled.ok) custom.push(compiled.matcher);
    else rejected.push({ name: p.name, message: compiled.message });
  }
  const known = new Set<string>([...BUILT_IN_PII_KINDS, ...seen]);
  return {
    kinds: [...builtIns.map((b) => b.kind), ...custom.map((c) => c.name)],
    unknownKinds: [...wanted].filter((k) => !known.has(k)),
    rejected,
    builtIns,
    custom,
    live: [...builtIns.map((b) => liveSpecOf(b.kind)), ...custom.map((c) => ({ program: c.program }))],
    windows: [...builtIns.map((b) => b.window), ...custom.map((c) => c.maxLength + 1)],
  };
}

interface CustomCursor {
  matcher: CustomPiiMatcher;
  re: Matcher | null;
  /** The leftmost-longest match at or after the last position asked; null = none; undefined = not looked yet. */
  next: { start: number; end: number } | null | undefined;
}

/** The cursor's next match at or after `pos` (looked up once per position it passes). */
function nextMatchOf(c: CustomCursor, text: string, pos: number): { start: number; end: number } | null | undefined {
  if (c.next === null || (c.next !== undefined && c.next.start >= pos)) return c.next;
  c.re ??= c.matcher.re.matcher(text);
  c.next = pos <= text.length && c.re.find(pos) ? { start: c.re.start(), end: c.re.end() } : null;
  return c.next;
}

const ALWAYS = () => true;

/**
 * Appends to `out` the matches that start in [from, to) of `text`, settled as PRIORITY says, and
 * returns the end of the last one (or `from`). Only the text, never the position of `to`, decides
 * a match; callers pass a `to` short of the text's end when the rest is not settled yet. `customMayMatch`
 * may skip organization patterns known not to match there.
 */
export function resolveMatches(
  detector: PiiDetector,
  text: string,
  from: number,
  to: number,
  out: PiiMatch[],
  customMayMatch: (index: number) => boolean = ALWAYS,
): number {
  const cursors: CustomCursor[] = [];
  for (let i = 0; i < detector.custom.length; i++) if (customMayMatch(i)) cursors.push({ matcher: detector.custom[i]!, re: null, next: undefined });
  let lastEnd = from;
  let pos = from;
  while (pos < to) {
    let customStart = to;
    for (const c of cursors) {
      const next = nextMatchOf(c, text, pos);
      if (next && next.start < customStart) customStart = next.start;
    }
    let start = -1;
    let end = -1;
    let kind = "";
    for (let s = pos; s <= customStart && s < to && start < 0; s++) {
      for (const b of detector.builtIns) {
        const e = b.matchAt(text, s);
        if (e > end) [start, end, kind] = [s, e, b.kind];
      }
      if (s === customStart) {
        for (const c of cursors) {
          if (c.next && c.next.start === s && c.next.end > end) [start, end, kind] = [s, c.next.end, c.matcher.name];
        }
      }
    }
    if (start < 0) break;
    out.push({ kind, start, end });
    lastEnd = end;
    pos = end;
  }
  return lastEnd;
}

/** The PII in `text`: sorted, non-overlapping. */
export function findPii(detector: PiiDetector, text: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  resolveMatches(detector, text, 0, text.length, out);
  return out;
}

/** The kinds of PII found in `text`, each once, in the order first found. */
export function piiKinds(detector: PiiDetector, text: string): string[] {
  return [...new Set(findPii(detector, text).map((m) => m.kind))];
}

/** Writes text[from, to) with each match replaced by [KIND], counting kinds into `counts`. */
export function renderMasked(text: string, from: number, to: number, matches: readonly PiiMatch[], counts: Record<string, number>): string {
  let out = "";
  let at = from;
  for (const m of matches) {
    out += text.slice(at, m.start) + `[${m.kind}]`;
    counts[m.kind] = (counts[m.kind] ?? 0) + 1;
    at = m.end;
  }
  return out + text.slice(at, to);
}

/** `text` with every match replaced by [KIND] (e.g. [EMAIL]), and how many of each kind were masked. */
export function maskText(detector: PiiDetector, text: string): { text: string; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  return { text: renderMasked(text, 0, text.length, findPii(detector, text), counts), counts };
}

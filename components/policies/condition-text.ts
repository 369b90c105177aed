/**
 * Pointing at the part of a condition an error is about. The server gives character offsets
 * (`start`, `end`); the editor marks that range in a layer under the textarea and prints the
 * offending line with a caret line under it, as compilers do.
 */

export interface MarkedText {
  before: string;
  marked: string;
  after: string;
  /** The range is empty (e.g. "unexpected end"): a caret is drawn at `before`'s end instead. */
  caret: boolean;
}

function clamp(text: string, start: number, end: number): [number, number] {
  const s = Math.max(0, Math.min(Number.isFinite(start) ? Math.trunc(start) : 0, text.length));
  const e = Math.max(s, Math.min(Number.isFinite(end) ? Math.trunc(end) : s, text.length));
  return [s, e];
}

/** The text split around the range; an empty range marks the character at `start` when there is one. */
export function markRange(text: string, start: number, end: number): MarkedText {
  const [s, e0] = clamp(text, start, end);
  let e = e0;
  if (e === s && s < text.length && text[s] !== "\n") e = s + 1;
  return { before: text.slice(0, s), marked: text.slice(s, e), after: text.slice(e), caret: e === s };
}

export interface ErrorSnippet {
  /** 1-based. */
  lineNumber: number;
  line: string;
  /** Spaces (tabs kept, so it lines up) then carets under the range on that line. */
  caret: string;
}

/** The line the range starts on, and a caret line under the part of it the range covers. */
export function errorSnippet(text: string, start: number, end: number): ErrorSnippet {
  const [s, e] = clamp(text, start, end);
  const lineStart = text.lastIndexOf("\n", s - 1) + 1;
  const nl = text.indexOf("\n", s);
  const lineEnd = nl === -1 ? text.length : nl;
  const line = text.slice(lineStart, lineEnd);
  const lead = line.slice(0, s - lineStart).replace(/[^\t]/g, " ");
  const width = Math.max(1, Math.min(e, lineEnd) - s);
  return { lineNumber: text.slice(0, lineStart).split("\n").length, line, caret: lead + "^".repeat(width) };
}

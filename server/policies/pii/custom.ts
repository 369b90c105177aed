import { RE2JS, RE2JSException, RE2JSSyntaxException } from "re2js";
import { BUILT_IN_PII_KINDS } from "./builtins";
import { MAX_CUSTOM_MATCH_LENGTH, MAX_NAME_LENGTH, MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE } from "./limits";
import { Program } from "./program";

// Organization-defined PII kinds: an RE2 pattern (linear-time matching, so a hostile pattern cannot
// backtrack catastrophically) under an UPPER_SNAKE name.
//
// Every match must be bounded: the stream masker holds back text that could still become a match,
// and a pattern such as \w+ could swallow a whole answer. Rather than silently capping such a
// pattern (which would change what it means), it is REJECTED with a message asking for an explicit
// bound ({1,40} instead of +). The longest match, derived from the compiled program, must be at
// most MAX_CUSTOM_MATCH_LENGTH characters.


const NAME = /^[A-Z][A-Z0-9_]*$/;

export interface CustomPattern {
  name: string;
  pattern: string;
}

/** A compiled organization pattern, ready for a detector. */
export interface CustomPiiMatcher {
  readonly name: string;
  readonly pattern: string;
  /** Longest match in UTF-16 code units. */
  readonly maxLength: number;
  /** Leftmost-longest matching (the detector's rule for every kind). */
  readonly re: RE2JS;
  readonly program: Program;
}

export type CompileResult =
  | { ok: true; matcher: CustomPiiMatcher }
  | {
      ok: false;
      /** Which input the problem is about. */
      field: "name" | "pattern";
      message: string;
      /** 0-based position in the pattern the problem is at, when there is one. */
      index?: number;
    };

const fail = (field: "name" | "pattern", message: string, index?: number): CompileResult => ({ ok: false, field, message, ...(index === undefined ? {} : { index }) });

function suggestName(name: string): string {
  const upper = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^[_0-9]+|_+$/g, "")
    .slice(0, MAX_NAME_LENGTH);
  return upper || "EMPLOYEE_ID";
}

export function checkName(name: string): CompileResult | null {
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) return fail("name", `A name has 1–${MAX_NAME_LENGTH} characters`);
  if (!NAME.test(name)) {
    return fail("name", `A name is UPPER_SNAKE_CASE: capital letters, digits and underscores, starting with a letter (e.g. ${suggestName(name)})`);
  }
  if ((BUILT_IN_PII_KINDS as readonly string[]).includes(name) || name === "ALL") {
    return fail("name", `${name} is a built-in PII kind; give your pattern another name (e.g. ${name}_INTERNAL)`);
  }
  return null;
}

/** Lexical positions in an RE2 pattern: escapes, \Q…\E and character classes skipped. */
function* tokens(pattern: string): Generator<{ char: string; index: number }> {
  let i = 0;
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "\\") {
      if (pattern[i + 1] === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      i++;
      if (pattern[i] === "^") i++;
      if (pattern[i] === "]") i++; // a leading ] is a literal
      continue;
    }
    yield { char: c, index: i };
    i++;
  }
}

/** The first `*`, `+` or `{n,}` in the pattern: where an unbounded repetition most likely is. */
function firstUnboundedRepeat(pattern: string): number | undefined {
  for (const { char, index } of tokens(pattern)) {
    if (char === "*" || char === "+") return index;
    if (char === "{" && /^\{\d+,\}/.test(pattern.slice(index))) return index;
  }
  return undefined;
}

/** Where RE2's complaint is: it names the offending fragment, not its position. */
function syntaxErrorIndex(pattern: string, error: string, fragment: string | null): number | undefined {
  if (error.startsWith("missing closing )")) {
    const open: number[] = [];
    for (const { char, index } of tokens(pattern)) {
      if (char === "(") open.push(index);
      else if (char === ")") open.pop();
    }
    return open.length ? open[open.length - 1] : pattern.length;
  }
  if (error.startsWith("unexpected )")) {
    let depth = 0;
    for (const { char, index } of tokens(pattern)) {
      if (char === "(") depth++;
      else if (char === ")" && --depth < 0) return index;
    }
    return undefined;
  }
  if (error.startsWith("trailing backslash")) return pattern.length - 1;
  if (error.startsWith("duplicate capture group name") && fragment) {
    const at = pattern.lastIndexOf(`<${fragment}>`);
    return at < 0 ? undefined : Math.max(0, pattern.lastIndexOf("(", at));
  }
  if (!fragment) return undefined;
  const at = pattern.indexOf(fragment);
  return at < 0 ? undefined : at;
}

const HINTS: [RegExp, string][] = [
  [/^missing closing \)/, " (the group opened here is never closed)"],
  [/^invalid named capture/, " (lookbehind and lookahead are not supported by RE2)"],
  [/^invalid or unsupported Perl syntax/, " (lookahead, lookbehind and backreferences are not supported by RE2)"],
  [/^invalid escape sequence/, " (backreferences such as \\1 are not supported by RE2)"],
];

function describeSyntaxError(pattern: string, e: RE2JSSyntaxException): CompileResult {
  const error = e.error || e.message;
  const fragment = typeof e.input === "string" ? e.input : null;
  const index = syntaxErrorIndex(pattern, error, fragment);
  const hint = HINTS.find(([re]) => re.test(error))?.[1] ?? "";
  const where = index === undefined ? "" : ` at character ${index + 1}`;
  const what = fragment && fragment !== pattern ? ` in “${fragment}”` : "";
  return fail("pattern", `The pattern is not valid RE2 syntax${where}: ${error}${what}${hint}`, index);
}

/**
 * Validates an organization pattern the way it is checked when saved, and compiles it. The name must
 * be UPPER_SNAKE_CASE (1–40) and not a built-in kind; the pattern at most 500 characters of valid RE2
 * syntax that cannot match empty text and whose longest match is bounded (≤ 256 characters).
 */
export function compileCustomPattern(input: CustomPattern): CompileResult {
  const nameProblem = checkName(input.name);
  if (nameProblem) return nameProblem;
  const pattern = input.pattern;
  if (pattern.length === 0) return fail("pattern", "Enter a pattern (RE2 syntax, e.g. EMP-[0-9]{6})");
  if (pattern.length > MAX_PATTERN_LENGTH) return fail("pattern", `A pattern has at most ${MAX_PATTERN_LENGTH} characters (this one has ${pattern.length})`);

  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, RE2JS.LONGEST_MATCH);
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return describeSyntaxError(pattern, error);
    if (error instanceof RE2JSException) return fail("pattern", `The pattern cannot be compiled: ${error.message}`);
    throw error;
  }

  // Throws UnsupportedProgramError if re2js changed its internals: a bug to fix here, not the user's.
  const program = Program.of(re);
  if (program.size > MAX_PROGRAM_SIZE) {
    return fail("pattern", `The pattern is too complex (${program.size} instructions compiled, at most ${MAX_PROGRAM_SIZE}); use smaller repetition counts`);
  }
  const { minRunes, maxUnits } = program.shape();
  if (minRunes === null) return fail("pattern", "The pattern can never match any text");
  if (minRunes === 0) {
    return fail("pattern", "The pattern matches empty text, so it would match everywhere; make sure it needs at least one character (e.g. [0-9]{6} instead of [0-9]*)");
  }
  if (maxUnits === null) {
    const index = firstUnboundedRepeat(pattern);
    const where = index === undefined ? "" : ` (character ${index + 1})`;
    return fail(
      "pattern",
      `The pattern can match text of any length${where}: bound every repetition, e.g. [A-Z]{1,20} instead of [A-Z]+ or \\w{1,40} instead of \\w*, so streamed answers can be masked without waiting for the end`,
      index,
    );
  }
  if (maxUnits > MAX_CUSTOM_MATCH_LENGTH) {
    return fail("pattern", `The pattern can match up to ${maxUnits} characters; at most ${MAX_CUSTOM_MATCH_LENGTH} are allowed (lower the repetition counts)`);
  }
  return { ok: true, matcher: { name: input.name, pattern, maxLength: maxUnits, re, program } };
}

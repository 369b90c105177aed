import type { RE2JS } from "re2js";
import { isWord } from "./chars";

// The compiled program of an RE2 pattern (re2js' Thompson NFA), read for two things re2js does not
// offer: its shape (shortest and longest match length, so organization patterns can be bounded), and
// prefix liveness ("could the text since position s still grow into a match?"), which the stream
// masker needs to know what to hold back. Matching itself stays with re2js.
//
// re2js does not export its program; `re2Input.prog` is read defensively below, and the unit tests
// fail loudly if a new version changes it (re2js is pinned in package.json for that reason).

const OP = { ALT: 1, ALT_MATCH: 2, CAPTURE: 3, EMPTY_WIDTH: 4, FAIL: 5, MATCH: 6, NOP: 7, RUNE: 8, RUNE1: 9, RUNE_ANY: 10, RUNE_ANY_NOT_NL: 11 } as const;

// Empty-width assertion flags, as RE2 numbers them.
const BEGIN_LINE = 1;
const END_LINE = 2;
const BEGIN_TEXT = 4;
const END_TEXT = 8;
const WORD_BOUNDARY = 16;
const NO_WORD_BOUNDARY = 32;

interface RawInst {
  op: number;
  out: number;
  arg: number;
  runes: ArrayLike<number>;
  matchRune(rune: number): boolean;
}

export class UnsupportedProgramError extends Error {
  override name = "UnsupportedProgramError";
}

/** The flags that hold between `prev` and `next` (code points, -1 for none). */
export function emptyFlags(prev: number, next: number): number {
  let flags = 0;
  if (prev < 0) flags |= BEGIN_TEXT | BEGIN_LINE;
  else if (prev === 10) flags |= BEGIN_LINE;
  if (next < 0) flags |= END_TEXT | END_LINE;
  else if (next === 10) flags |= END_LINE;
  flags |= isWord(prev) !== isWord(next) ? WORD_BOUNDARY : NO_WORD_BOUNDARY;
  return flags;
}

export class Program {
  readonly size: number;
  readonly start: number;
  private readonly insts: RawInst[];
  /** Closures by pc * 64 + flags, computed on first use. */
  private readonly closures: (Int32Array | undefined)[] = [];
  /** For ASCII runes, by flags * 128 + rune: 1 = nothing starts with it, 2 = something may. */
  private readonly deadStart = new Uint8Array(64 * 128);
  private readonly mark: Int32Array;
  private markGen = 0;

  private constructor(insts: RawInst[], start: number) {
    this.insts = insts;
    this.start = start;
    this.size = insts.length;
    this.mark = new Int32Array(insts.length);
  }

  /** The program of a compiled pattern; throws UnsupportedProgramError for what it cannot follow. */
  static of(re: RE2JS): Program {
    const prog = (re as unknown as { re2Input?: { prog?: { inst?: unknown; start?: unknown } } }).re2Input?.prog;
    const insts = prog?.inst;
    if (!prog || !Array.isArray(insts) || typeof prog.start !== "number" || prog.start < 0 || prog.start >= insts.length) {
      throw new UnsupportedProgramError("re2js no longer exposes its compiled program; update server/policies/pii/program.ts");
    }
    for (const inst of insts as RawInst[]) {
      const ok =
        inst &&
        typeof inst.op === "number" &&
        typeof inst.out === "number" &&
        typeof inst.arg === "number" &&
        typeof inst.matchRune === "function" &&
        inst.op >= OP.ALT &&
        inst.op <= OP.RUNE_ANY_NOT_NL;
      if (!ok) throw new UnsupportedProgramError(`re2js program instruction not understood (op ${String(inst?.op)}); update server/policies/pii/program.ts`);
    }
    return new Program(insts as RawInst[], prog.start);
  }

  op(pc: number): number {
    return this.insts[pc]!.op;
  }

  out(pc: number): number {
    return this.insts[pc]!.out;
  }

  isMatch(pc: number): boolean {
    return this.insts[pc]!.op === OP.MATCH;
  }

  matches(pc: number, rune: number): boolean {
    const inst = this.insts[pc]!;
    switch (inst.op) {
      case OP.RUNE_ANY:
        return true;
      case OP.RUNE_ANY_NOT_NL:
        return rune !== 10;
      case OP.RUNE1:
        return inst.runes[0] === rune;
      default:
        return inst.matchRune(rune);
    }
  }

  /** Instructions reached from `pc` without reading a character when `flags` hold: rune and match instructions only. */
  closure(pc: number, flags: number): Int32Array {
    const key = pc * 64 + flags;
    const cached = this.closures[key];
    if (cached) return cached;
    const gen = ++this.markGen;
    const found: number[] = [];
    const stack = [pc];
    while (stack.length) {
      const at = stack.pop()!;
      if (this.mark[at] === gen) continue;
      this.mark[at] = gen;
      const inst = this.insts[at]!;
      switch (inst.op) {
        case OP.ALT:
        case OP.ALT_MATCH:
          stack.push(inst.arg, inst.out);
          break;
        case OP.CAPTURE:
        case OP.NOP:
          stack.push(inst.out);
          break;
        case OP.EMPTY_WIDTH:
          if ((inst.arg & ~flags) === 0) stack.push(inst.out);
          break;
        case OP.FAIL:
          break;
        default:
          found.push(at);
      }
    }
    const result = Int32Array.from(found);
    this.closures[key] = result;
    return result;
  }

  /** Whether no match can start with `rune` where `flags` hold (and the empty match is not one either). */
  startIsDead(rune: number, flags: number): boolean {
    const key = rune < 128 ? flags * 128 + rune : -1;
    if (key >= 0 && this.deadStart[key] !== 0) return this.deadStart[key] === 1;
    const closure = this.closure(this.start, flags);
    let dead = true;
    for (let j = 0; j < closure.length && dead; j++) {
      const pc = closure[j]!;
      if (this.isMatch(pc) || this.matches(pc, rune)) dead = false;
    }
    if (key >= 0) this.deadStart[key] = dead ? 1 : 2;
    return dead;
  }

  /** Successors of an instruction in the program graph (reading a character or not). */
  private successors(pc: number): number[] {
    const inst = this.insts[pc]!;
    switch (inst.op) {
      case OP.ALT:
      case OP.ALT_MATCH:
        return [inst.out, inst.arg];
      case OP.MATCH:
      case OP.FAIL:
        return [];
      default:
        return [inst.out];
    }
  }

  /** UTF-16 code units one rune instruction can consume: 2 when it accepts runes beyond U+FFFF. */
  private units(pc: number): number {
    const inst = this.insts[pc]!;
    if (inst.op === OP.RUNE_ANY || inst.op === OP.RUNE_ANY_NOT_NL) return 2;
    if (inst.op !== OP.RUNE && inst.op !== OP.RUNE1) return 0;
    let max = 0;
    for (let i = 0; i < inst.runes.length; i++) max = Math.max(max, inst.runes[i]!);
    return max > 0xffff ? 2 : 1;
  }

  /**
   * Shortest match in characters (runes; 0 = it can match empty text, assertions counted as
   * passable), longest match in UTF-16 code units (null = unbounded), and the program size.
   */
  shape(): { minRunes: number | null; maxUnits: number | null } {
    const n = this.size;
    const succ = Array.from({ length: n }, (_, pc) => this.successors(pc));
    // Useful instructions: reachable from the start and able to reach a match.
    const forward = new Uint8Array(n);
    const stack = [this.start];
    while (stack.length) {
      const pc = stack.pop()!;
      if (forward[pc]) continue;
      forward[pc] = 1;
      for (const s of succ[pc]!) stack.push(s);
    }
    const pred: number[][] = Array.from({ length: n }, () => []);
    for (let pc = 0; pc < n; pc++) if (forward[pc]) for (const s of succ[pc]!) pred[s]!.push(pc);
    const useful = new Uint8Array(n);
    for (let pc = 0; pc < n; pc++) if (forward[pc] && this.isMatch(pc)) stack.push(pc);
    while (stack.length) {
      const pc = stack.pop()!;
      if (useful[pc]) continue;
      useful[pc] = 1;
      for (const p of pred[pc]!) if (forward[p]) stack.push(p);
    }
    if (!useful[this.start]) return { minRunes: null, maxUnits: 0 };

    // Shortest: 0-1 breadth-first search, a rune instruction costs 1.
    const dist = new Array<number>(n).fill(Infinity);
    dist[this.start] = 0;
    const deque: number[] = [this.start];
    let minRunes: number | null = null;
    while (deque.length) {
      const pc = deque.shift()!;
      if (this.isMatch(pc)) {
        minRunes = minRunes === null ? dist[pc]! : Math.min(minRunes, dist[pc]!);
        continue;
      }
      const step = this.units(pc) > 0 ? 1 : 0;
      for (const s of succ[pc]!) {
        if (useful[s] && dist[pc]! + step < dist[s]!) {
          dist[s] = dist[pc]! + step;
          if (step === 0) deque.unshift(s);
          else deque.push(s);
        }
      }
    }

    // Longest: strongly connected components (Kosaraju, iterative); a cycle through a rune
    // instruction means unbounded, otherwise the longest path over the component graph.
    const order: number[] = [];
    const seen = new Uint8Array(n);
    for (let root = 0; root < n; root++) {
      if (!useful[root] || seen[root]) continue;
      const frames: [number, number][] = [[root, 0]];
      seen[root] = 1;
      while (frames.length) {
        const frame = frames[frames.length - 1]!;
        const next = succ[frame[0]]!;
        if (frame[1] < next.length) {
          const s = next[frame[1]++]!;
          if (useful[s] && !seen[s]) {
            seen[s] = 1;
            frames.push([s, 0]);
          }
        } else {
          order.push(frame[0]);
          frames.pop();
        }
      }
    }
    const comp = new Int32Array(n).fill(-1);
    const comps: number[][] = [];
    for (let k = order.length - 1; k >= 0; k--) {
      const root = order[k]!;
      if (comp[root] !== -1) continue;
      const members: number[] = [];
      const id = comps.length;
      const todo = [root];
      comp[root] = id;
      while (todo.length) {
        const pc = todo.pop()!;
        members.push(pc);
        for (const p of pred[pc]!) {
          if (useful[p] && comp[p] === -1) {
            comp[p] = id;
            todo.push(p);
          }
        }
      }
      comps.push(members);
    }
    // Components come out in topological order of the program graph; walk them backwards.
    const longest = new Array<number>(comps.length).fill(0);
    for (let id = comps.length - 1; id >= 0; id--) {
      const members = comps[id]!;
      const cyclic = members.length > 1 || succ[members[0]!]!.includes(members[0]!);
      let weight = 0;
      for (const pc of members) {
        const u = this.units(pc);
        if (u > 0 && cyclic) return { minRunes, maxUnits: null };
        weight = Math.max(weight, u);
      }
      let best = members.some((pc) => this.isMatch(pc)) ? 0 : -Infinity;
      for (const pc of members) for (const s of succ[pc]!) if (useful[s] && comp[s] !== id) best = Math.max(best, longest[comp[s]!]!);
      longest[id] = weight + best;
    }
    return { minRunes, maxUnits: longest[comp[this.start]!]! };
  }
}

export interface LiveSpec {
  program: Program;
  /** Whether a match may start at `i` of `text`, judged by the characters before it; omitted: anywhere. */
  canStart?: (text: string, i: number) => boolean;
}

/**
 * Prefix liveness for several programs at once, fed a stream one code point at a time (a Pike VM
 * without captures). For each program it keeps the partial matches still alive and where each
 * began; of two partial matches in the same program state only the earlier start is kept, since
 * their futures are identical. Feeding is amortised O(states alive) per character: nothing is
 * re-read.
 */
export class LiveTracker {
  private readonly specs: LiveSpec[];
  private pcs: number[][];
  private starts: number[][];
  /** Scratch arrays the next step writes into (swapped with pcs/starts after each step). */
  private spare: number[][];
  private spareStarts: number[][];
  /** Per program, the end of the last complete match seen (absolute), or -1. */
  readonly lastMatchEnd: number[];
  private readonly seenRune: Int32Array[];
  private readonly seenNext: Int32Array[];
  private gen = 0;

  constructor(specs: LiveSpec[]) {
    this.specs = specs;
    this.pcs = specs.map(() => []);
    this.starts = specs.map(() => []);
    this.spare = specs.map(() => []);
    this.spareStarts = specs.map(() => []);
    this.lastMatchEnd = specs.map(() => -1);
    this.seenRune = specs.map((s) => new Int32Array(s.program.size));
    this.seenNext = specs.map((s) => new Int32Array(s.program.size));
  }

  /**
   * Reads `text[from, to)`; `base` is the absolute offset of `text[0]`. `text[from - 1]` must be the
   * real preceding character (or `base + from` must be 0), and `to` must not split a surrogate pair.
   */
  feed(text: string, base: number, from: number, to: number): void {
    let i = from;
    while (i < to) {
      const abs = base + i;
      const prev = abs === 0 ? -1 : text.charCodeAt(i - 1);
      const rune = text.codePointAt(i)!;
      const flags = emptyFlags(prev, rune);
      for (let k = 0; k < this.specs.length; k++) this.step(k, text, i, abs, rune, flags);
      i += rune > 0xffff ? 2 : 1;
    }
  }

  private step(k: number, text: string, i: number, abs: number, rune: number, flags: number): void {
    const { program, canStart } = this.specs[k]!;
    const pcs = this.pcs[k]!;
    const starts = this.starts[k]!;
    const startHere = !canStart || canStart(text, i);
    // Nothing alive and nothing can start here: the common case in ordinary prose.
    if (pcs.length === 0 && (!startHere || program.startIsDead(rune, flags))) return;
    const gen = ++this.gen;
    const nextPcs = this.spare[k]!;
    const nextStarts = this.spareStarts[k]!;
    if (nextPcs.length) {
      nextPcs.length = 0;
      nextStarts.length = 0;
    }
    // Earlier starts first, so a shared state keeps the earliest start.
    for (let t = 0; t < pcs.length; t++) this.advance(k, program, pcs[t]!, starts[t]!, abs, rune, flags, gen, nextPcs, nextStarts);
    if (startHere) this.advance(k, program, program.start, abs, abs, rune, flags, gen, nextPcs, nextStarts);
    // Double-buffered: this step's input becomes the next step's scratch.
    this.spare[k] = pcs;
    this.spareStarts[k] = starts;
    this.pcs[k] = nextPcs;
    this.starts[k] = nextStarts;
  }

  // A method, not a closure made per step: creating functions per character is what a stream pays for most.
  private advance(k: number, program: Program, pc: number, start: number, abs: number, rune: number, flags: number, gen: number, nextPcs: number[], nextStarts: number[]): void {
    const seenRune = this.seenRune[k]!;
    const seenNext = this.seenNext[k]!;
    const closure = program.closure(pc, flags);
    for (let j = 0; j < closure.length; j++) {
      const rp = closure[j]!;
      if (seenRune[rp] === gen) continue;
      seenRune[rp] = gen;
      if (program.isMatch(rp)) {
        this.lastMatchEnd[k] = abs;
        continue;
      }
      if (program.matches(rp, rune)) {
        const out = program.out(rp);
        if (seenNext[out] !== gen) {
          seenNext[out] = gen;
          nextPcs.push(out);
          nextStarts.push(start);
        }
      }
    }
  }

  /** The earliest start (absolute) of a partial match of program `k` still alive, or null. */
  earliestLive(k: number): number | null {
    const starts = this.starts[k]!;
    return starts.length ? starts[0]! : null;
  }

  /**
   * Moves the start of partial matches that began before `abs` up to `abs` (the text before it has
   * been settled). They are kept rather than dropped: a later start in the same state was merged
   * into them, and may still be alive.
   */
  rebase(abs: number): void {
    for (const starts of this.starts) {
      for (let t = 0; t < starts.length && starts[t]! < abs; t++) starts[t] = abs;
    }
  }
}

import { isHighSurrogate, isLowSurrogate } from "./chars";
import { renderMasked, resolveMatches, type PiiDetector, type PiiMatch } from "./detector";
import { LiveTracker } from "./program";

/** Characters kept before the unsettled text: the left context the detectors look at (≤ 2). */
const CONTEXT = 2;

/**
 * Masks PII in a stream delivered in arbitrary chunks: the concatenated output equals
 * `maskText(detector, wholeInput).text` for every way of splitting the input.
 *
 * Hold-back rule. After each chunk the masker emits everything before the earliest position that
 * is not settled yet and holds back the rest. A position s is unsettled when, for some kind, a
 * match could still start at s and reach the end of what has arrived: the text since s is a prefix
 * of that kind's language (its liveness pattern; for organization patterns the pattern itself) and
 * s satisfies the kind's left-context rule — and s is within the kind's window of the end (its
 * longest match plus one character of lookahead), since older starts cannot reach the end. Every
 * earlier position is settled: whatever arrives next cannot create, extend, shorten or veto a match
 * starting there. So "hello " is emitted whole, "call 555-" holds back "555-", and "mail
 * bob@exa" holds back "bob@exa". When a settled match already runs past that position, the cut
 * moves to its end (nothing after it can overlap it), so a held-back token is never split. A cut
 * never splits a surrogate pair. (Partial matches that began before a cut are kept, moved to the
 * cut: a later start merged into the same automaton state may still be alive. This can hold back a
 * little more than the minimum after a masked match, never less.)
 *
 * Cost: each character is stepped once through the liveness automata (amortised O(live partial
 * matches) per character, no re-scanning of held text), and the settled text is scanned once by
 * the detectors with lookahead bounded by the longest match, so a stream costs O(length) overall.
 */
export class StreamMasker {
  private readonly detector: PiiDetector;
  private readonly tracker: LiveTracker;
  /** Raw text from `base`: up to CONTEXT emitted characters, then the held-back text. */
  private buffer = "";
  private base = 0;
  /** Absolute offset up to which output has been emitted. */
  private emitted = 0;
  /** Absolute offset up to which the liveness automata have read. */
  private fed = 0;
  private ended = false;
  private readonly counts_: Record<string, number> = {};

  /** Whether organization pattern i matched anywhere since the last cut (built once, not per chunk). */
  private readonly customMatchedSinceCut = (i: number) => this.tracker.lastMatchEnd[this.detector.builtIns.length + i]! > this.emitted;

  constructor(detector: PiiDetector) {
    this.detector = detector;
    this.tracker = new LiveTracker([...detector.live]);
  }

  /** How many matches of each kind have been masked so far. */
  get counts(): Readonly<Record<string, number>> {
    return this.counts_;
  }

  /** Characters received but not emitted yet. */
  get held(): number {
    return this.base + this.buffer.length - this.emitted;
  }

  push(chunk: string): string {
    if (this.ended) throw new Error("StreamMasker: push() after end()");
    if (!chunk) return "";
    this.buffer += chunk;
    const end = this.base + this.buffer.length;
    // A trailing high surrogate waits for its pair before the automata read it.
    let feedTo = end;
    if (isHighSurrogate(this.buffer.charCodeAt(this.buffer.length - 1))) feedTo--;
    if (feedTo > this.fed) {
      this.tracker.feed(this.buffer, this.base, this.fed - this.base, feedTo - this.base);
      this.fed = feedTo;
    }

    let settled = this.fed;
    for (let k = 0; k < this.detector.live.length; k++) {
      const live = this.tracker.earliestLive(k);
      if (live !== null) settled = Math.min(settled, Math.max(live, end - this.detector.windows[k]!));
    }
    if (settled <= this.emitted) return "";

    const matches: PiiMatch[] = [];
    // Organization patterns matched nowhere since the last cut need not be run.
    const lastEnd = resolveMatches(this.detector, this.buffer, this.emitted - this.base, settled - this.base, matches, this.customMatchedSinceCut);
    let cut = Math.max(settled, lastEnd + this.base);
    if (cut > lastEnd + this.base && cut < end && isHighSurrogate(this.buffer.charCodeAt(cut - this.base - 1)) && isLowSurrogate(this.buffer.charCodeAt(cut - this.base))) cut--;
    if (cut <= this.emitted) return "";
    return this.emit(cut, matches);
  }

  /** Emits what is still held back, masked, and closes the stream. */
  end(): string {
    if (this.ended) return "";
    this.ended = true;
    const to = this.base + this.buffer.length;
    if (to <= this.emitted) return "";
    const matches: PiiMatch[] = [];
    resolveMatches(this.detector, this.buffer, this.emitted - this.base, this.buffer.length, matches);
    return this.emit(to, matches);
  }

  private emit(cut: number, matches: PiiMatch[]): string {
    const out = renderMasked(this.buffer, this.emitted - this.base, cut - this.base, matches, this.counts_);
    this.emitted = cut;
    this.tracker.rebase(cut);
    const keep = Math.max(0, cut - this.base - CONTEXT);
    this.buffer = this.buffer.slice(keep);
    this.base += keep;
    return out;
  }
}

/**
 * How a fleet agent misbehaves: latency, injected errors, streaming pace, and being down.
 * Every random draw comes from a small seeded PRNG owned by the agent, so a test that fixes the
 * seed sees the same latencies and the same sequence of failures on every run.
 */
import { z } from "zod";

export interface Behaviour {
  /** Median of the answer latency (a log-normal fitted to the median and the p99). */
  latencyMedianMs: number;
  /** 99th percentile of the answer latency; must be >= the median. */
  latencyP99Ms: number;
  /** Share of work requests (0..1) answered with HTTP 500 and the protocol's error shape. */
  errorRate: number;
  /** Streams: time between the request and the first content token. */
  ttftMs: number;
  /** Streams: pace of the tokens after the first one; 0 means no pacing (as fast as possible). */
  tokensPerSecond: number;
  /** The agent's listener is closed (connection refused). Mirrors stopAgent/startAgent. */
  down?: boolean;
  /**
   * Also apply latency and errorRate to the cheap health probes (OpenAI `GET /v1/models`, the A2A
   * agent card, MCP `initialize`/`ping`/`tools/list`). Off by default: probes answer at once.
   */
  affectsProbes?: boolean;
}

const ms = z.number().finite().min(0).max(600_000);

/** A complete, consistent behaviour. */
export const behaviourSchema = z
  .object({
    latencyMedianMs: ms,
    latencyP99Ms: ms,
    errorRate: z.number().min(0).max(1),
    ttftMs: ms,
    tokensPerSecond: z.number().finite().min(0).max(1_000_000),
    down: z.boolean().optional(),
    affectsProbes: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.latencyP99Ms >= b.latencyMedianMs, {
    message: "latencyP99Ms must be greater than or equal to latencyMedianMs",
    path: ["latencyP99Ms"],
  });

/** A patch as accepted by `configure()` and the control API (checked again after merging). */
export const behaviourPatchSchema = z
  .object({
    latencyMedianMs: ms,
    latencyP99Ms: ms,
    errorRate: z.number().min(0).max(1),
    ttftMs: ms,
    tokensPerSecond: z.number().finite().min(0).max(1_000_000),
    down: z.boolean(),
    affectsProbes: z.boolean(),
  })
  .partial()
  .strict();

export const DEFAULT_BEHAVIOUR: Behaviour = {
  latencyMedianMs: 40,
  latencyP99Ms: 250,
  errorRate: 0,
  ttftMs: 60,
  tokensPerSecond: 40,
};

/** Merges a patch into a behaviour; throws a readable Error when the result is invalid. */
export function mergeBehaviour(current: Behaviour, patch: Partial<Behaviour>): Behaviour {
  const checkedPatch = behaviourPatchSchema.safeParse(patch);
  if (!checkedPatch.success) throw new Error(formatIssues(checkedPatch.error));
  const merged = behaviourSchema.safeParse({ ...current, ...checkedPatch.data });
  if (!merged.success) throw new Error(formatIssues(merged.error));
  return merged.data;
}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

/** FNV-1a, for turning an agent id into a seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z_99 = 2.3263478740408408;

/** Parameters of the log-normal whose median and 99th percentile are the given values. */
export function logNormalParams(medianMs: number, p99Ms: number): { mu: number; sigma: number } {
  if (medianMs <= 0) return { mu: -Infinity, sigma: 0 };
  const mu = Math.log(medianMs);
  const sigma = p99Ms > medianMs ? (Math.log(p99Ms) - mu) / Z_99 : 0;
  return { mu, sigma };
}

/** Per-agent behaviour state: the current settings and the agent's own random stream. */
export class BehaviourController {
  private current: Behaviour;
  private readonly rng: () => number;

  constructor(initial: Behaviour, seed: number) {
    this.current = mergeBehaviour(initial, {});
    this.rng = createRng(seed);
  }

  get behaviour(): Behaviour {
    return { ...this.current };
  }

  /** Validates and applies a patch; returns the new behaviour. */
  update(patch: Partial<Behaviour>): Behaviour {
    this.current = mergeBehaviour(this.current, patch);
    return this.behaviour;
  }

  /** One latency draw in milliseconds (capped at 10 × p99 so a tail draw cannot hang a test). */
  sampleLatencyMs(): number {
    const { latencyMedianMs, latencyP99Ms } = this.current;
    const { mu, sigma } = logNormalParams(latencyMedianMs, latencyP99Ms);
    if (!Number.isFinite(mu)) return 0;
    const z = this.standardNormal();
    return Math.min(Math.exp(mu + sigma * z), 10 * Math.max(latencyP99Ms, latencyMedianMs));
  }

  /** Whether this request should fail (one draw per call, even at rate 0 or 1, to keep streams aligned). */
  shouldFail(): boolean {
    const draw = this.rng();
    return draw < this.current.errorRate;
  }

  /** Milliseconds between two streamed tokens (0 when pacing is off). */
  tokenIntervalMs(): number {
    const tps = this.current.tokensPerSecond;
    return tps > 0 ? 1000 / tps : 0;
  }

  get ttftMs(): number {
    return this.current.ttftMs;
  }

  get affectsProbes(): boolean {
    return this.current.affectsProbes === true;
  }

  /**
   * Applies the behaviour to one incoming request before it is answered: waits a latency draw
   * (work requests; probes only with `affectsProbes`; streams wait `ttftMs` themselves) and rolls
   * for an injected failure. Resolves to false when the request must fail.
   */
  async admit(kind: "probe" | "work" | "stream", signal?: AbortSignal): Promise<boolean> {
    if (kind === "probe" && !this.affectsProbes) return true;
    if (kind !== "stream") await sleep(this.sampleLatencyMs(), signal);
    return !this.shouldFail();
  }

  /** Box–Muller on the agent's PRNG. */
  private standardNormal(): number {
    const u1 = Math.max(this.rng(), Number.MIN_VALUE);
    const u2 = this.rng();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** Resolves after `ms` milliseconds, or at once (rejecting) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason ?? new Error("aborted"));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

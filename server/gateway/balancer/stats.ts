/**
 * Per-agent latency and load, the input of the latency-aware strategies (power of two choices
 * over peak-EWMA cost, as in Finagle and Linkerd). Each agent has two estimates: time to first
 * token, which is what a streaming client waits for, and total latency, which is what a
 * non-streaming client waits for; plus the number of attempts it is serving right now.
 *
 * A failure counts as a very slow answer (at least twice the current estimate, at least one
 * second), so the balancer steers away from a failing agent before its breaker trips, and drifts
 * back as the penalty decays. An agent never observed is priced at the median of the observed
 * agents, so a new agent gets a fair share of traffic instead of none or all of it.
 */
import { DEFAULT_DECAY_MS, DEFAULT_PRIOR_MS, PeakEwma } from "./peak-ewma";

export type LatencySignal = "ttft" | "total";

export interface LatencySample {
  signal: LatencySignal;
  ms: number;
}

/** One agent as /metrics shows it; a latency is null until the agent has been observed. */
export interface AgentLatency {
  ttftMs: number | null;
  totalMs: number | null;
  inflight: number;
}

export interface AgentStatsOptions {
  /** Decay time constant of the estimates (ms). */
  decayMs?: number;
  /** The price of an unobserved agent while no agent at all has been observed (ms). */
  defaultMs?: number;
  /** The least latency a failure counts as (ms). */
  failurePenaltyMs?: number;
  /** Repeated failures double the estimate up to this (ms), so it can decay again within minutes. */
  maxFailurePenaltyMs?: number;
  /** How long the median used for unobserved agents is reused before it is computed again (ms). */
  priorRefreshMs?: number;
}

interface AgentEntry {
  ttft: PeakEwma;
  total: PeakEwma;
  inflight: number;
}

interface Prior {
  value: number;
  at: number;
  stale: boolean;
}

export class AgentStats {
  private readonly agents = new Map<string, AgentEntry>();
  private readonly decayMs: number;
  private readonly defaultMs: number;
  private readonly failurePenaltyMs: number;
  private readonly maxFailurePenaltyMs: number;
  private readonly priorRefreshMs: number;
  private readonly priors: Record<LatencySignal, Prior> = {
    ttft: { value: 0, at: 0, stale: true },
    total: { value: 0, at: 0, stale: true },
  };
  /** Reused for the median so pricing an unobserved agent does not allocate. */
  private readonly scratch: number[] = [];

  constructor(opts: AgentStatsOptions = {}) {
    this.decayMs = opts.decayMs ?? DEFAULT_DECAY_MS;
    this.defaultMs = opts.defaultMs ?? DEFAULT_PRIOR_MS;
    this.failurePenaltyMs = opts.failurePenaltyMs ?? 1_000;
    this.maxFailurePenaltyMs = opts.maxFailurePenaltyMs ?? 60_000;
    this.priorRefreshMs = opts.priorRefreshMs ?? 1_000;
    // Checked here rather than when the first agent is seen, in the middle of a request.
    if (!(this.decayMs > 0) || !Number.isFinite(this.decayMs)) throw new RangeError(`decayMs must be a positive number, got ${this.decayMs}`);
  }

  /** An attempt to the agent begins. Every start is ended by one finish, fail or release. */
  start(agentId: string): void {
    this.entry(agentId).inflight += 1;
  }

  /** The attempt succeeded: records its latency and ends it. */
  finish(agentId: string, sample: LatencySample, now: number): void {
    const e = this.entry(agentId);
    this.end(e);
    this.record(e, sample.signal, sample.ms, now);
  }

  /** Records a latency without ending an attempt (e.g. the time to first token of a stream still running). */
  observe(agentId: string, sample: LatencySample, now: number): void {
    this.record(this.entry(agentId), sample.signal, sample.ms, now);
  }

  /** The attempt failed: ends it and records a penalty latency on both estimates. */
  fail(agentId: string, now: number): void {
    const e = this.entry(agentId);
    this.end(e);
    this.penalize(e, "ttft", now);
    this.penalize(e, "total", now);
  }

  /** The attempt ended without a verdict (the client went away): ends it, records nothing. */
  release(agentId: string): void {
    const e = this.agents.get(agentId);
    if (e) this.end(e);
  }

  /** Attempts to the agent in progress. */
  inflight(agentId: string): number {
    return this.agents.get(agentId)?.inflight ?? 0;
  }

  /** The latency estimate (ms) at `now`, without the inflight penalty. */
  estimate(agentId: string, signal: LatencySignal, now: number): number {
    const e = this.agents.get(agentId);
    const ewma = e?.[signal];
    if (ewma?.observed) return ewma.estimate(now);
    return this.prior(signal, now);
  }

  /** The balancing cost at `now`: estimate × (inflight + 1). Lower is better. */
  cost(agentId: string, signal: LatencySignal, now: number): number {
    return this.estimate(agentId, signal, now) * (this.inflight(agentId) + 1);
  }

  /** Drops what is known about an agent (it left the configuration). */
  forget(agentId: string): void {
    if (this.agents.delete(agentId)) {
      this.priors.ttft.stale = true;
      this.priors.total.stale = true;
    }
  }

  /** Every known agent's estimates at `now` and inflight count, for /metrics. */
  snapshot(now: number): Record<string, AgentLatency> {
    const out: Record<string, AgentLatency> = {};
    for (const [id, e] of this.agents) {
      out[id] = {
        ttftMs: e.ttft.observed ? e.ttft.estimate(now) : null,
        totalMs: e.total.observed ? e.total.estimate(now) : null,
        inflight: e.inflight,
      };
    }
    return out;
  }

  private entry(agentId: string): AgentEntry {
    let e = this.agents.get(agentId);
    if (!e) {
      e = { ttft: new PeakEwma(this.decayMs), total: new PeakEwma(this.decayMs), inflight: 0 };
      this.agents.set(agentId, e);
    }
    return e;
  }

  private end(e: AgentEntry): void {
    if (e.inflight > 0) e.inflight -= 1;
  }

  private record(e: AgentEntry, signal: LatencySignal, ms: number, now: number): void {
    const ewma = e[signal];
    if (!ewma.observed) this.priors[signal].stale = true;
    ewma.observe(ms, now);
  }

  private penalize(e: AgentEntry, signal: LatencySignal, now: number): void {
    const ewma = e[signal];
    const current = ewma.observed ? ewma.estimate(now) : this.prior(signal, now);
    // Doubling makes repeated failures count more; the cap keeps the penalty from outliving the
    // problem by hours, but a penalty is never below the estimate it replaces.
    const doubled = Math.min(current * 2, Math.max(this.maxFailurePenaltyMs, current));
    this.record(e, signal, Math.max(this.failurePenaltyMs, doubled), now);
  }

  /** The median of the observed agents' estimates, reused for priorRefreshMs. */
  private prior(signal: LatencySignal, now: number): number {
    const p = this.priors[signal];
    if (!p.stale && now >= p.at && now - p.at < this.priorRefreshMs) return p.value;
    const values = this.scratch;
    values.length = 0;
    for (const e of this.agents.values()) {
      const ewma = e[signal];
      if (ewma.observed) values.push(ewma.estimate(now));
    }
    let value = this.defaultMs;
    if (values.length > 0) {
      values.sort((a, b) => a - b);
      const mid = values.length >> 1;
      value = values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    }
    values.length = 0;
    p.value = value;
    p.at = now;
    p.stale = false;
    return value;
  }
}

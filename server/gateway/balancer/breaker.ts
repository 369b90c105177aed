/**
 * Circuit breakers per agent: consecutive-failure outlier ejection with exponential back-off and
 * half-open probes, as in Envoy's outlier detection and Finagle's failure accrual.
 *
 * closed → `failureThreshold` failures in a row → open for `cooldownMs × 2^(ejections − 1)`, at
 * most 10 × cooldownMs → half-open: one probe request at a time is let through. The probe's
 * success closes the breaker; its failure opens it again for twice as long. The ejection count,
 * which sets the back-off, is kept after closing and reset only after a streak of successes
 * (default 5), so an agent that flaps between working and failing is kept out longer each time.
 *
 * Agents are shared by routes while the thresholds come from each route: failures are counted
 * per agent, and each caller's own configuration decides whether they are enough to eject and
 * whether the cool-down is over. Verdicts of requests that began before an ejection and end
 * during it are ignored: only the probe reopens or closes the breaker.
 */

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerConfig {
  /** Consecutive failures that eject the agent (at least 1). */
  failureThreshold: number;
  /** The first ejection's length (ms); it doubles with each ejection in a row. */
  cooldownMs: number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  ejections: number;
  /** When the open breaker turns half-open (epoch ms), by the cool-down of the last ejection. */
  reopensAt: number | null;
}

export interface CircuitBreakersOptions {
  /** Cap of the back-off as a multiple of the cool-down. */
  maxBackoffMultiplier?: number;
  /** Successes in a row after closing that forget past ejections. */
  resetAfterSuccesses?: number;
  /** A probe with no verdict after this long (ms) is presumed lost, and another is let through. */
  probeTimeoutMs?: number;
}

interface Breaker {
  ejected: boolean;
  openedAt: number;
  /** The cool-down of the route that ejected the agent, for state() and snapshot(). */
  cooldownMs: number;
  ejections: number;
  consecutiveFailures: number;
  successStreak: number;
  /** When the probe in flight was let through; -1 when none is. */
  probeAt: number;
}

export class CircuitBreakers {
  private readonly breakers = new Map<string, Breaker>();
  private readonly maxBackoffMultiplier: number;
  private readonly resetAfterSuccesses: number;
  private readonly probeTimeoutMs: number;

  constructor(opts: CircuitBreakersOptions = {}) {
    this.maxBackoffMultiplier = opts.maxBackoffMultiplier ?? 10;
    this.resetAfterSuccesses = opts.resetAfterSuccesses ?? 5;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 60_000;
  }

  /**
   * Whether an attempt may go to the agent now. Always true while closed; false while open; while
   * half-open, true for one caller at a time, whose attempt becomes the probe. Every true must be
   * followed by onSuccess, onFailure or release for that attempt.
   */
  allow(agentId: string, cfg: BreakerConfig, now: number): boolean {
    const b = this.breakers.get(agentId);
    if (!b || !b.ejected) return true;
    if (!this.probeOpen(b, cfg.cooldownMs, now)) return false;
    b.probeAt = now;
    return true;
  }

  /** What allow() would answer now, without taking the half-open probe. */
  isAvailable(agentId: string, cfg: BreakerConfig, now: number): boolean {
    const b = this.breakers.get(agentId);
    return !b || !b.ejected || this.probeOpen(b, cfg.cooldownMs, now);
  }

  onSuccess(agentId: string, _now: number): void {
    const b = this.breakers.get(agentId);
    if (!b) return;
    if (b.ejected) {
      if (b.probeAt < 0) return; // a request from before the ejection
      b.ejected = false;
      b.probeAt = -1;
      b.consecutiveFailures = 0;
      b.successStreak = 1;
    } else {
      b.consecutiveFailures = 0;
      b.successStreak += 1;
    }
    if (b.successStreak >= this.resetAfterSuccesses) b.ejections = 0;
  }

  onFailure(agentId: string, cfg: BreakerConfig, now: number): void {
    let b = this.breakers.get(agentId);
    if (!b) {
      b = { ejected: false, openedAt: 0, cooldownMs: cfg.cooldownMs, ejections: 0, consecutiveFailures: 0, successStreak: 0, probeAt: -1 };
      this.breakers.set(agentId, b);
    }
    b.successStreak = 0;
    if (b.ejected) {
      if (b.probeAt >= 0) this.eject(b, cfg, now); // the probe failed
      return;
    }
    b.consecutiveFailures += 1;
    if (b.consecutiveFailures >= Math.max(1, cfg.failureThreshold)) this.eject(b, cfg, now);
  }

  /**
   * An attempt let through by allow() ended without a verdict (the client went away): frees the
   * half-open probe slot. Harmless for an attempt that was not the probe, except that another
   * probe may then start while that one is still running.
   */
  release(agentId: string): void {
    const b = this.breakers.get(agentId);
    if (b?.ejected) b.probeAt = -1;
  }

  /** The state at `now`, by the cool-down of the route whose failure ejected the agent. */
  state(agentId: string, now: number): BreakerState {
    const b = this.breakers.get(agentId);
    if (!b || !b.ejected) return "closed";
    return now < this.reopensAt(b, b.cooldownMs) ? "open" : "half_open";
  }

  /** Drops an agent's breaker (it left the configuration). */
  forget(agentId: string): void {
    this.breakers.delete(agentId);
  }

  /** Every agent that has failed at least once since it was last forgotten, for /metrics. */
  snapshot(now: number): Record<string, BreakerSnapshot> {
    const out: Record<string, BreakerSnapshot> = {};
    for (const [id, b] of this.breakers) {
      out[id] = {
        state: this.state(id, now),
        consecutiveFailures: b.consecutiveFailures,
        ejections: b.ejections,
        reopensAt: b.ejected ? this.reopensAt(b, b.cooldownMs) : null,
      };
    }
    return out;
  }

  /** Whether an ejected agent may take a probe now: its cool-down is over and no probe is running. */
  private probeOpen(b: Breaker, cooldownMs: number, now: number): boolean {
    if (now < this.reopensAt(b, cooldownMs)) return false;
    return b.probeAt < 0 || now - b.probeAt >= this.probeTimeoutMs;
  }

  private reopensAt(b: Breaker, cooldownMs: number): number {
    const multiplier = Math.min(2 ** (b.ejections - 1), this.maxBackoffMultiplier);
    return b.openedAt + cooldownMs * multiplier;
  }

  private eject(b: Breaker, cfg: BreakerConfig, now: number): void {
    b.ejected = true;
    b.openedAt = now;
    b.cooldownMs = cfg.cooldownMs;
    b.ejections += 1;
    b.consecutiveFailures = 0;
    b.probeAt = -1;
  }
}

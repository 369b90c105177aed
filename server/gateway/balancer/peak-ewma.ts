/**
 * Peak EWMA, the latency estimate behind the load balancers of Finagle and Linkerd.
 *
 * An observation above the current estimate replaces it at once (the peak); one below it moves the
 * estimate towards it as a moving average weighted by the time since the previous observation,
 * `w = exp(-elapsed / decay)`. So a slow-down is noticed on the first slow answer, while one fast
 * answer does not erase a spike: the spike fades over a few decay periods as the agent keeps
 * answering quickly. With no observations the estimate keeps decaying (towards zero, as in both
 * originals), which is what brings an agent the balancer has been avoiding back into play: it
 * looks cheaper over time, gets tried, and its next answer resets the estimate either way.
 *
 * The cost used to choose between agents is `estimate × (inflight + 1)`: an agent already busy
 * with requests is charged for them, which spreads a burst instead of sending it all to the
 * fastest agent.
 */

export const DEFAULT_DECAY_MS = 10_000;
/** The estimate of an agent nobody has observed yet, when there is nothing better to go by. */
export const DEFAULT_PRIOR_MS = 50;

export class PeakEwma {
  private value = 0;
  private stamp = 0;
  private seen = false;

  constructor(readonly decayMs: number = DEFAULT_DECAY_MS) {
    if (!(decayMs > 0) || !Number.isFinite(decayMs)) throw new RangeError(`decayMs must be a positive number, got ${decayMs}`);
  }

  /** Whether at least one observation has been made. */
  get observed(): boolean {
    return this.seen;
  }

  /** Records one latency (ms) observed at `now` (epoch ms). Negative or non-finite values are ignored. */
  observe(ms: number, now: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    if (!this.seen) {
      this.seen = true;
      this.value = ms;
      this.stamp = now;
      return;
    }
    // A clock that steps back counts as no time passing.
    const elapsed = now > this.stamp ? now - this.stamp : 0;
    const w = Math.exp(-elapsed / this.decayMs);
    const decayed = this.value * w;
    this.value = ms > decayed ? ms : decayed + ms * (1 - w);
    if (now > this.stamp) this.stamp = now;
  }

  /** The estimate (ms) at `now`; `priorMs` until the first observation. Does not change the state. */
  estimate(now: number, priorMs: number = DEFAULT_PRIOR_MS): number {
    if (!this.seen) return priorMs;
    if (now <= this.stamp) return this.value;
    return this.value * Math.exp(-(now - this.stamp) / this.decayMs);
  }

  /** The balancing cost: the estimate times (inflight + 1). */
  cost(now: number, inflight: number, priorMs: number = DEFAULT_PRIOR_MS): number {
    return this.estimate(now, priorMs) * (inflight + 1);
  }
}

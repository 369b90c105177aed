/**
 * Retry budgets per route, as in Finagle's RetryBudget and Envoy's retry budgets: retries are
 * allowed while they stay within a percentage of the requests of the last few seconds, plus a
 * small allowance per second so that a route with little traffic can still retry.
 *
 * Per-request retry limits alone multiply load when an agent falls over (every request becomes
 * 1 + maxRetries attempts, right when the fleet can least take it); a budget caps the extra load
 * at `percent` of the traffic. The window is a ring of one-second buckets, so counting is O(window
 * buckets) and needs no timers or allocation after a route's first request.
 */

export interface RetryBudgetOptions {
  /** Length of the sliding window (ms); a whole number of buckets. */
  windowMs?: number;
  /** Bucket length (ms). */
  bucketMs?: number;
  /** Retries allowed per second of the window regardless of traffic. */
  minRetriesPerSecond?: number;
}

export interface RetryBudgetSnapshot {
  /** Requests in the window. */
  requests: number;
  /** Retries granted in the window. */
  retries: number;
}

interface Ring {
  /** Which bucket number (time / bucketMs) each slot currently holds. */
  bucket: Float64Array;
  requests: Float64Array;
  retries: Float64Array;
}

export class RetryBudget {
  private readonly rings = new Map<string, Ring>();
  private readonly bucketMs: number;
  private readonly buckets: number;
  /** minRetriesPerSecond × window seconds, in hundredths (percent units) to keep the check in integers. */
  private readonly reserve: number;
  private windowRequests = 0;
  private windowRetries = 0;

  constructor(opts: RetryBudgetOptions = {}) {
    const windowMs = opts.windowMs ?? 10_000;
    this.bucketMs = opts.bucketMs ?? 1_000;
    if (!(this.bucketMs > 0) || !(windowMs >= this.bucketMs)) throw new RangeError("The retry budget needs bucketMs > 0 and windowMs >= bucketMs");
    this.buckets = Math.round(windowMs / this.bucketMs);
    this.reserve = (opts.minRetriesPerSecond ?? 3) * ((this.buckets * this.bucketMs) / 1000) * 100;
  }

  /** A client request arrived on the route (once per request, not per attempt). */
  onRequest(routeId: string, now: number): void {
    const ring = this.ring(routeId);
    ring.requests[this.slot(ring, now)]! += 1;
  }

  /**
   * Whether one more retry fits the budget (`percent` of the window's requests, 0–100, plus the
   * allowance); when it does, the retry is counted.
   */
  tryRetry(routeId: string, percent: number, now: number): boolean {
    const ring = this.ring(routeId);
    this.sum(ring, now);
    if ((this.windowRetries + 1) * 100 > this.windowRequests * Math.max(0, percent) + this.reserve) return false;
    ring.retries[this.slot(ring, now)]! += 1;
    return true;
  }

  /** Drops a route's counters (it left the configuration). */
  forget(routeId: string): void {
    this.rings.delete(routeId);
  }

  /** Requests and retries in the window ending at `now`, per route, for /metrics. */
  snapshot(now: number): Record<string, RetryBudgetSnapshot> {
    const out: Record<string, RetryBudgetSnapshot> = {};
    for (const [id, ring] of this.rings) {
      this.sum(ring, now);
      out[id] = { requests: this.windowRequests, retries: this.windowRetries };
    }
    return out;
  }

  /** Totals of the window ending at `now` into windowRequests and windowRetries (no allocation). */
  private sum(ring: Ring, now: number): void {
    const current = Math.floor(now / this.bucketMs);
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < this.buckets; i++) {
      const age = current - ring.bucket[i]!;
      if (age >= 0 && age < this.buckets) {
        requests += ring.requests[i]!;
        retries += ring.retries[i]!;
      }
    }
    this.windowRequests = requests;
    this.windowRetries = retries;
  }

  private ring(routeId: string): Ring {
    let ring = this.rings.get(routeId);
    if (!ring) {
      ring = {
        bucket: new Float64Array(this.buckets).fill(-Infinity),
        requests: new Float64Array(this.buckets),
        retries: new Float64Array(this.buckets),
      };
      this.rings.set(routeId, ring);
    }
    return ring;
  }

  /** The slot for `now`, emptied first if it still holds an older bucket. */
  private slot(ring: Ring, now: number): number {
    const bucket = Math.floor(now / this.bucketMs);
    const i = ((bucket % this.buckets) + this.buckets) % this.buckets;
    if (ring.bucket[i] !== bucket) {
      ring.bucket[i] = bucket;
      ring.requests[i] = 0;
      ring.retries[i] = 0;
    }
    return i;
  }
}

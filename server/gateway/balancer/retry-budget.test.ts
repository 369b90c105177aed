import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RetryBudget } from "./retry-budget";

interface Load {
  /** Requests arriving in each second, spread evenly over it. */
  perSecond: number[];
  percent: number;
  maxRetries: number;
}

/** Every first attempt fails: each request retries until maxRetries or the budget says no. */
function simulate(budget: RetryBudget, { perSecond, percent, maxRetries }: Load) {
  const requests = perSecond.map(() => 0);
  const retries = perSecond.map(() => 0);
  perSecond.forEach((count, s) => {
    for (let j = 0; j < count; j++) {
      const t = s * 1_000 + Math.floor((j * 1_000) / count);
      budget.onRequest("route", t);
      requests[s]! += 1;
      for (let k = 0; k < maxRetries && budget.tryRetry("route", percent, t); k++) retries[s]! += 1;
    }
  });
  return { requests, retries };
}

const sum = (xs: number[], from: number, to: number) => xs.slice(Math.max(0, from), to + 1).reduce((a, b) => a + b, 0);

describe("RetryBudget", () => {
  it("holds sustained failing traffic to the percentage plus the allowance", () => {
    const budget = new RetryBudget({ windowMs: 10_000, minRetriesPerSecond: 3 });
    const { requests, retries } = simulate(budget, { perSecond: Array(60).fill(100), percent: 20, maxRetries: 2 });
    const total = sum(retries, 0, 59);
    expect(sum(requests, 0, 59)).toBe(6_000);
    // 20 % of 100 rps plus 3 per second is 23 retries a second, used in full since demand is 200.
    expect(total).toBeLessThanOrEqual(23 * 60);
    expect(total).toBeGreaterThanOrEqual(23 * 55);
    // A route with no budget left keeps refusing until the window moves on.
    expect(budget.tryRetry("route", 20, 59_999)).toBe(false);
    expect(budget.snapshot(59_999).route).toEqual({ requests: 1_000, retries: 230 });
  });

  it("lets a quiet route retry a few times, then refills as the window slides", () => {
    const budget = new RetryBudget({ windowMs: 10_000, minRetriesPerSecond: 3 });
    let granted = 0;
    while (budget.tryRetry("quiet", 20, 0)) granted++;
    expect(granted).toBe(30);
    expect(budget.tryRetry("quiet", 20, 9_999)).toBe(false);
    expect(budget.tryRetry("busy", 20, 9_999)).toBe(true); // routes have their own budgets
    expect(budget.tryRetry("quiet", 20, 10_000)).toBe(true);
    // Long after, nothing of the old buckets counts.
    expect(budget.snapshot(1_000_000)).toEqual({ quiet: { requests: 0, retries: 0 }, busy: { requests: 0, retries: 0 } });
    budget.forget("busy");
    expect(Object.keys(budget.snapshot(0))).toEqual(["quiet"]);
  });

  it("never grants a retry that takes the window over its budget, whatever the traffic", () => {
    const load = fc.record({
      perSecond: fc.array(fc.integer({ min: 0, max: 150 }), { minLength: 1, maxLength: 40 }),
      percent: fc.integer({ min: 0, max: 100 }),
      maxRetries: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(load, fc.integer({ min: 0, max: 5 }), (l, minPerSecond) => {
        const { requests, retries } = simulate(new RetryBudget({ windowMs: 10_000, minRetriesPerSecond: minPerSecond }), l);
        retries.forEach((r, s) => {
          if (r === 0) return;
          const window = sum(retries, s - 9, s);
          expect(window * 100).toBeLessThanOrEqual(sum(requests, s - 9, s) * l.percent + minPerSecond * 10 * 100);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("under steady load, totals stay within percent of requests plus the allowance", () => {
    const load = fc.record({
      rate: fc.integer({ min: 1, max: 200 }),
      seconds: fc.integer({ min: 1, max: 90 }),
      percent: fc.integer({ min: 0, max: 100 }),
      maxRetries: fc.integer({ min: 1, max: 5 }),
      minPerSecond: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(load, ({ rate, seconds, percent, maxRetries, minPerSecond }) => {
        const perSecond = Array<number>(seconds).fill(rate);
        const { retries } = simulate(new RetryBudget({ windowMs: 10_000, minRetriesPerSecond: minPerSecond }), { perSecond, percent, maxRetries });
        const total = sum(retries, 0, seconds - 1);
        // Each 10-second block holds at most one window's budget.
        const blocks = Math.ceil(seconds / 10);
        expect(total * 100).toBeLessThanOrEqual((rate * percent + minPerSecond * 100) * 10 * blocks);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects a window shorter than a bucket", () => {
    expect(() => new RetryBudget({ windowMs: 500, bucketMs: 1_000 })).toThrow(RangeError);
  });
});

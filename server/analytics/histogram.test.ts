import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, bucketUpperMs, emptyHistogram, HIST_BUCKETS, HIST_RELATIVE_ERROR, mergeInto, quantile } from "./histogram";

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

function histogramOf(values: number[]): number[] {
  const h = emptyHistogram();
  for (const v of values) h[bucketOf(v)]!++;
  return h;
}

describe("log-scale histogram", () => {
  it("puts every value in the bucket whose bounds hold it", () => {
    fc.assert(
      fc.property(fc.double({ min: 1.0001, max: 800_000, noNaN: true }), (ms) => {
        const i = bucketOf(ms);
        expect(ms).toBeLessThanOrEqual(bucketUpperMs(i) * (1 + 1e-12));
        expect(ms).toBeGreaterThan(bucketUpperMs(i - 1) * (1 - 1e-12));
      }),
    );
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(1e12)).toBe(HIST_BUCKETS - 1);
  });

  it("reads quantiles within the relative error bound, also after merging", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 600_000 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 600_000 }), { minLength: 0, maxLength: 300 }),
        fc.constantFrom(0.5, 0.95, 0.99),
        (a, b, q) => {
          const merged = mergeInto(histogramOf(a), histogramOf(b));
          const exact = exactQuantile([...a, ...b], q);
          const estimate = quantile(merged, q)!;
          expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(HIST_RELATIVE_ERROR + 1e-9);
        },
      ),
    );
    expect(quantile(emptyHistogram(), 0.5)).toBeNull();
  });
});

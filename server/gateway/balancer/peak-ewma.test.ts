import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRIOR_MS, PeakEwma } from "./peak-ewma";

/** Observes `ms` every `stepMs` for `durationMs`, starting after `from`; returns the last time. */
function feed(e: PeakEwma, ms: number, from: number, durationMs: number, stepMs = 100): number {
  let t = from;
  for (let i = 0; i < durationMs / stepMs; i++) {
    t += stepMs;
    e.observe(ms, t);
  }
  return t;
}

describe("PeakEwma", () => {
  it("starts at the prior and takes the first observation as it is", () => {
    const e = new PeakEwma();
    expect(e.observed).toBe(false);
    expect(e.estimate(0)).toBe(DEFAULT_PRIOR_MS);
    expect(e.estimate(0, 123)).toBe(123);
    e.observe(40, 1_000);
    expect(e.observed).toBe(true);
    expect(e.estimate(1_000, 123)).toBe(40);
  });

  it("settles on a steady latency", () => {
    const e = new PeakEwma(10_000);
    e.observe(80, 0);
    const t = feed(e, 10, 0, 60_000);
    expect(e.estimate(t)).toBeCloseTo(10 + 70 * Math.exp(-6), 6); // the old 80 fades by e per 10 s
  });

  it("jumps to a spike at once and lets it fade with the decay time", () => {
    const e = new PeakEwma(10_000);
    let t = feed(e, 10, 0, 30_000);
    t += 100;
    e.observe(500, t);
    expect(e.estimate(t)).toBe(500);

    // One fast answer barely moves it: elapsed 100 ms of a 10 s decay is a 1 % weight.
    t += 100;
    e.observe(10, t);
    expect(e.estimate(t)).toBeGreaterThan(490);

    // Then the excess over the steady latency shrinks by e every decay period: 10 + 490·e^(-t/τ).
    const spikeAt = t - 100;
    t = feed(e, 10, t, 10_000 - 100);
    expect(t - spikeAt).toBe(10_000);
    expect(e.estimate(t)).toBeCloseTo(10 + 490 * Math.exp(-1), 6);
    t = feed(e, 10, t, 20_000);
    expect(e.estimate(t)).toBeCloseTo(10 + 490 * Math.exp(-3), 6);
  });

  it("decays while unobserved without changing its state", () => {
    const e = new PeakEwma(10_000);
    e.observe(200, 0);
    expect(e.estimate(10_000)).toBeCloseTo(200 / Math.E, 9);
    expect(e.estimate(30_000)).toBeCloseTo(200 * Math.exp(-3), 9);
    expect(e.estimate(10_000)).toBeCloseTo(200 / Math.E, 9); // reading twice is the same
    expect(e.estimate(-5)).toBe(200); // a clock that steps back sees no decay
  });

  it("charges for requests in flight", () => {
    const e = new PeakEwma();
    e.observe(30, 0);
    expect(e.cost(0, 0)).toBe(30);
    expect(e.cost(0, 3)).toBe(120);
    expect(new PeakEwma().cost(0, 1, 70)).toBe(140);
  });

  it("ignores impossible observations and rejects a bad decay", () => {
    const e = new PeakEwma();
    e.observe(Number.NaN, 0);
    e.observe(-1, 0);
    e.observe(Infinity, 0);
    expect(e.observed).toBe(false);
    expect(() => new PeakEwma(0)).toThrow(RangeError);
    expect(() => new PeakEwma(Number.NaN)).toThrow(RangeError);
  });

  it("is at least the latest observation, at most the largest, and never grows while idle", () => {
    const sample = fc.record({ ms: fc.double({ min: 0, max: 60_000, noNaN: true }), gap: fc.integer({ min: 0, max: 30_000 }) });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 60_000 }), (samples, idle) => {
        const e = new PeakEwma(10_000);
        let t = 0;
        let max = 0;
        for (const { ms, gap } of samples) {
          t += gap;
          e.observe(ms, t);
          max = Math.max(max, ms);
          const now = e.estimate(t);
          expect(now).toBeGreaterThanOrEqual(ms - 1e-9);
          expect(now).toBeLessThanOrEqual(max + 1e-9);
        }
        expect(e.estimate(t + idle)).toBeLessThanOrEqual(e.estimate(t));
        expect(e.estimate(t + idle)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

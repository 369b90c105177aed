import { describe, expect, it } from "vitest";
import { createDetector, forecast, scoreSeries, update, type DetectorState } from "./detector";
import { gaussian, prng } from "./synthetic";

const MIN = 60_000;
const START = Date.UTC(2026, 0, 5);

function feed(state: DetectorState, from: number, to: number, f: (i: number) => number) {
  const out = [];
  for (let i = from; i < to; i++) out.push(update(state, START + i * MIN, f(i)));
  return out;
}

function noise(seed: number, sd: number) {
  const g = gaussian(prng(seed));
  return () => g() * sd;
}

describe("anomaly detector", () => {
  it("flags nothing on a flat noisy series after warm-up", () => {
    const n = noise(1, 1);
    const scored = scoreSeries(Array.from({ length: 3 * 1440 }, (_, i) => ({ t: START + i * MIN, value: 100 + n() })));
    expect(scored.filter((s) => s.anomaly)).toEqual([]);
    expect(Math.max(...scored.slice(1440).map((s) => s.score))).toBeLessThan(0.5);
    // Warm-up scores stay low even for odd values.
    expect(scored.slice(0, 1440).every((s) => s.score < 0.5)).toBe(true);
  });

  it("flags a big spike upwards with a band that excludes it", () => {
    const n = noise(2, 1);
    const state = createDetector();
    feed(state, 0, 2 * 1440, () => 100 + n());
    const [spike] = feed(state, 2 * 1440, 2 * 1440 + 1, () => 150);
    expect(spike!.anomaly).toBe(true);
    expect(spike!.direction).toBe("up");
    expect(spike!.score).toBeGreaterThan(0.9);
    expect(spike!.upper).toBeLessThan(150);
    expect(spike!.lower).toBeLessThan(spike!.expected);
    // The spike does not drag the model: the next normal points are normal.
    const after = feed(state, 2 * 1440 + 1, 2 * 1440 + 60, () => 100 + n());
    expect(after.filter((s) => s.anomaly)).toEqual([]);
  });

  it("flags a level shift, then re-baselines so later points are normal", () => {
    const n = noise(3, 1);
    const state = createDetector();
    feed(state, 0, 2 * 1440, () => 100 + n());
    const shifted = feed(state, 2 * 1440, 2 * 1440 + 240, () => 130 + n());
    expect(shifted[0]!.anomaly).toBe(true);
    expect(shifted[0]!.direction).toBe("up");
    expect(shifted.slice(120).filter((s) => s.anomaly)).toEqual([]);
    expect(shifted[239]!.expected).toBeCloseTo(130, 0);
  });

  it("learns daily seasonality: normal for its hour is not flagged, the same value at another hour is", () => {
    const n = noise(4, 2);
    const shape = (i: number) => 100 + 50 * Math.sin((2 * Math.PI * (i % 1440)) / 1440);
    const state = createDetector({ seasonalities: ["daily"] });
    feed(state, 0, 4 * 1440, (i) => shape(i) + n());
    const peak = 4 * 1440 + 360; // 06:00, where the shape is 150
    const trough = 4 * 1440 + 1080; // 18:00, where it is 50
    const atPeak = structuredClone(state);
    feed(atPeak, 4 * 1440, peak, (i) => shape(i) + n());
    expect(update(atPeak, START + peak * MIN, 150).anomaly).toBe(false);
    const atTrough = structuredClone(state);
    feed(atTrough, 4 * 1440, trough, (i) => shape(i) + n());
    const s = update(atTrough, START + trough * MIN, 150);
    expect(s.anomaly).toBe(true);
    expect(s.expected).toBeCloseTo(50, -1);
  });

  it("gives identical scores after a JSON round trip of the state", () => {
    const n = noise(5, 3);
    const values = Array.from({ length: 3 * 1440 }, (_, i) => 200 + 80 * Math.sin(i / 229) + n() + (i % 997 === 0 ? 60 : 0));
    const a = createDetector();
    for (let i = 0; i < 1500; i++) update(a, START + i * MIN, values[i]!);
    const b = JSON.parse(JSON.stringify(a)) as DetectorState;
    expect(b).toEqual(a);
    for (let i = 1500; i < values.length; i++) {
      expect(update(b, START + i * MIN, values[i]!)).toEqual(update(a, START + i * MIN, values[i]!));
    }
    expect(JSON.stringify(a).length).toBeLessThan(12_000);
  });

  it("forecasts with intervals that widen with horizon", () => {
    const n = noise(6, 1);
    const state = createDetector();
    // Wandering level so the horizon multipliers have something to learn.
    let w = 0;
    feed(state, 0, 4 * 1440, () => {
      w = 0.99 * w + 0.3 * n();
      return 100 + w + n();
    });
    const fc = forecast(state, state.lastT!, 2 * 1440);
    expect(fc).toHaveLength(2 * 1440);
    expect(fc[0]!.t).toBe(state.lastT! + MIN);
    // The band follows the time of day's noise, so compare the same time of day a day apart.
    const widths = fc.map((f) => f.upper - f.lower);
    for (let i = 0; i + 1440 < widths.length; i++) expect(widths[i + 1440]!).toBeGreaterThanOrEqual(widths[i]! - 1e-9);
    expect(widths[1440]!).toBeGreaterThan(widths[0]! * 1.2);
    expect(fc[100]!.expected).toBeGreaterThan(90);
    expect(fc[100]!.expected).toBeLessThan(110);
  });

  it("treats gaps as missing points, not as anomalies", () => {
    const n = noise(7, 1);
    const shape = (i: number) => 100 + 30 * Math.sin((2 * Math.PI * (i % 1440)) / 1440);
    const state = createDetector();
    feed(state, 0, 2 * 1440, (i) => shape(i) + n());
    // Three hours missing, then the series resumes where its daily shape is.
    const after = feed(state, 2 * 1440 + 180, 3 * 1440, (i) => shape(i) + n());
    expect(after.filter((s) => s.anomaly)).toEqual([]);
  });

  it("scores non-finite values as not anomalous and does not learn from them", () => {
    const state = createDetector();
    feed(state, 0, 10, () => 5);
    const before = JSON.stringify(state);
    const s = update(state, START + 10 * MIN, Number.NaN);
    expect(s.anomaly).toBe(false);
    expect(JSON.stringify(state)).toBe(before);
  });
});

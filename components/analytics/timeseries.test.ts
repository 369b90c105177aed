import { describe, expect, it } from "vitest";
import { combineSeries, describeChart, formatBucket, formatXTick, isIsolatedPoint, prepareTimeSeries, seriesColor, xTickFormatFor, xTicksFor } from "./timeseries";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 25, 12, 0);

describe("prepareTimeSeries", () => {
  it("fills every bucket of the window: zero for counts, a gap for the rest", () => {
    const series = [{ key: "total", label: "Requests", points: [{ t: T0 + 2 * MIN, value: 5 }] }];
    const counts = prepareTimeSeries({ metric: "requests", resolution: "minute", stepMs: MIN, from: T0, to: T0 + 5 * MIN, series });
    expect(counts.rows.map((r) => r.s0)).toEqual([0, 0, 5, 0, 0]);
    expect(counts.rows.map((r) => r.t)).toEqual([0, 1, 2, 3, 4].map((i) => T0 + i * MIN));
    const latency = prepareTimeSeries({ metric: "p95", resolution: "minute", stepMs: MIN, from: T0, to: T0 + 5 * MIN, series });
    expect(latency.rows.map((r) => r.s0)).toEqual([null, null, 5, null, null]);
    expect(latency.unit).toBe("ms");
    expect(counts.unit).toBe("count");
  });

  it("keeps explicit nulls and drops non-finite values", () => {
    const series = [{ key: "total", label: "Error rate", points: [{ t: T0, value: null }, { t: T0 + MIN, value: Number.NaN }, { t: T0 + 2 * MIN, value: 0.5 }] }];
    const model = prepareTimeSeries({ metric: "errorRate", resolution: "minute", stepMs: MIN, from: T0, to: T0 + 3 * MIN, series });
    expect(model.rows.map((r) => r.s0)).toEqual([null, null, 0.5]);
    expect(model.empty).toBe(false);
    expect(model.yDomain).toEqual([0, "auto"]);
  });

  it("gives each series a data key and a theme color, in order", () => {
    const series = ["a", "b", "c"].map((key) => ({ key, label: key.toUpperCase(), points: [{ t: T0, value: 1 }] }));
    const model = prepareTimeSeries({ metric: "requests", resolution: "hour", stepMs: HOUR, from: T0, to: T0 + HOUR, series });
    expect(model.series).toEqual([
      { key: "a", dataKey: "s0", label: "A", color: "var(--chart-1)" },
      { key: "b", dataKey: "s1", label: "B", color: "var(--chart-2)" },
      { key: "c", dataKey: "s2", label: "C", color: "var(--chart-3)" },
    ]);
    expect(model.rows).toEqual([{ t: T0, s0: 1, s1: 1, s2: 1 }]);
  });

  it("can keep colors in a given order so a key has the same color on every chart", () => {
    const series = ["b", "a"].map((key) => ({ key, label: key, points: [] }));
    const model = prepareTimeSeries({ metric: "requests", resolution: "hour", stepMs: HOUR, from: T0, to: T0 + HOUR, series, colorOrder: ["a", "b"] });
    expect(model.series.map((s) => [s.key, s.color])).toEqual([
      ["a", "var(--chart-1)"],
      ["b", "var(--chart-2)"],
    ]);
  });

  it("is empty without series, with only gaps, or with only zero counts", () => {
    const base = { resolution: "minute" as const, stepMs: MIN, from: T0, to: T0 + 3 * MIN };
    expect(prepareTimeSeries({ ...base, metric: "requests", series: [] }).empty).toBe(true);
    expect(prepareTimeSeries({ ...base, metric: "requests", series: [{ key: "t", label: "t", points: [{ t: T0, value: 0 }] }] }).empty).toBe(true);
    expect(prepareTimeSeries({ ...base, metric: "p95", series: [{ key: "t", label: "t", points: [{ t: T0, value: null }] }] }).empty).toBe(true);
    expect(prepareTimeSeries({ ...base, metric: "p95", series: [{ key: "t", label: "t", points: [{ t: T0, value: 0 }] }] }).empty).toBe(false);
    // A share of zero everywhere is news (no errors), drawn against a small fixed scale.
    const noErrors = prepareTimeSeries({ ...base, metric: "errorRate", series: [{ key: "t", label: "t", points: [{ t: T0, value: 0 }] }] });
    expect(noErrors.empty).toBe(false);
    expect(noErrors.yDomain).toEqual([0, 0.05]);
  });

  it("carries an expected band and marked points for anomaly charts", () => {
    const model = prepareTimeSeries({
      metric: "p95",
      resolution: "minute",
      stepMs: MIN,
      from: T0,
      to: T0 + 2 * MIN,
      series: [{ key: "p95", label: "p95", points: [{ t: T0, value: 100 }, { t: T0 + MIN, value: 900 }] }],
      band: [{ t: T0, lower: 150, upper: 50 }],
      marks: [{ t: T0 + MIN, value: 900 }],
    });
    expect(model.hasBand && model.hasMarks).toBe(true);
    expect(model.rows[0]).toMatchObject({ band: [50, 150] });
    expect(model.rows[1]).toMatchObject({ mark: 900 });
  });

  it("fills day buckets on UTC midnights, labelled as days", () => {
    const midnight = Date.UTC(2026, 10, 1);
    const series = [{ key: "total", label: "Requests", points: [{ t: midnight + 2 * DAY, value: 7 }] }];
    // stepMs 0: the step follows from the resolution.
    const model = prepareTimeSeries({ metric: "requests", resolution: "day", stepMs: 0, from: midnight, to: midnight + 30 * DAY, series });
    expect(model.rows).toHaveLength(30);
    expect(model.rows.every((r) => r.t % DAY === 0)).toBe(true);
    expect(model.rows[2]).toMatchObject({ t: midnight + 2 * DAY, s0: 7 });
    expect(model.resolution).toBe("day");
    expect(model.xTickFormat).toBe("day");
    expect(model.xTicks.length).toBeLessThanOrEqual(8);
    expect(model.xTicks.every((t) => t % DAY === 0)).toBe(true);
  });

  it("widens the x domain to a first bucket that starts before the window", () => {
    const model = prepareTimeSeries({ metric: "requests", resolution: "hour", stepMs: HOUR, from: T0 + 30 * MIN, to: T0 + 3 * HOUR, series: [] });
    expect(model.xDomain).toEqual([T0, T0 + 3 * HOUR]);
    expect(model.rows[0]!.t).toBe(T0);
  });
});

describe("x axis", () => {
  it("puts ticks on round UTC times, at most eight", () => {
    expect(xTicksFor(T0 + 7 * MIN, T0 + 22 * MIN)).toEqual([10, 15, 20].map((m) => T0 + m * MIN));
    const day = xTicksFor(T0 - 24 * HOUR + 5 * MIN, T0 + 5 * MIN);
    expect(day.length).toBeLessThanOrEqual(8);
    expect(day.every((t) => t % (3 * HOUR) === 0)).toBe(true);
    const month = xTicksFor(T0 - 30 * 24 * HOUR, T0);
    expect(month.length).toBeLessThanOrEqual(8);
    expect(month.every((t) => t % (24 * HOUR) === 0)).toBe(true);
  });

  it("spaces a quarter hour every five minutes or less", () => {
    const ticks = xTicksFor(T0, T0 + 15 * MIN);
    expect(ticks[0]).toBe(T0);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.at(-1)).toBe(T0 + 15 * MIN);
  });

  it("labels times of day up to two days, days beyond", () => {
    expect(xTickFormatFor(T0, T0 + 24 * HOUR)).toBe("clock");
    expect(xTickFormatFor(T0, T0 + 7 * 24 * HOUR)).toBe("day");
    expect(formatXTick("clock", T0 + 5 * MIN)).toBe("12:05");
    expect(formatXTick("day", T0)).toBe("Nov 25");
  });

  it("labels day buckets as days and ticks them on midnights, even over a short window", () => {
    expect(xTickFormatFor(T0, T0 + 24 * HOUR, "day")).toBe("day");
    const ticks = xTicksFor(T0 - 12 * HOUR, T0 + 36 * HOUR, 8, "day");
    expect(ticks).toEqual([T0 - 12 * HOUR, T0 + 12 * HOUR, T0 + 36 * HOUR]);
    expect(ticks.every((t) => t % DAY === 0)).toBe(true);
  });

  it("names the bucket in a tooltip by its resolution", () => {
    expect(formatBucket(T0 + 5 * MIN, "minute")).toBe("Nov 25, 12:05 UTC");
    expect(formatBucket(T0, "hour")).toBe("Nov 25, 12:00 UTC");
    expect(formatBucket(Date.UTC(2026, 10, 25), "day")).toBe("Nov 25 (UTC)");
  });
});

describe("helpers", () => {
  it("combines one-line answers into labelled lines", () => {
    const p95 = [{ key: "total", label: "p95 latency", points: [] }];
    const p99 = [{ key: "total", label: "p99 latency", points: [] }];
    expect(combineSeries([{ key: "p95", label: "p95", series: p95 }, { key: "p99", label: "p99", series: p99 }]).map((s) => [s.key, s.label])).toEqual([
      ["p95", "p95"],
      ["p99", "p99"],
    ]);
  });

  it("finds points a line cannot show", () => {
    const rows = [{ t: 0, s0: null }, { t: 1, s0: 5 }, { t: 2, s0: null }, { t: 3, s0: 1 }, { t: 4, s0: 2 }];
    expect(rows.map((_, i) => isIsolatedPoint(rows, i, "s0"))).toEqual([false, true, false, false, false]);
  });

  it("mixes colors past the palette", () => {
    expect(seriesColor(4)).toBe("var(--chart-5)");
    expect(seriesColor(5)).toContain("color-mix(in oklch, var(--chart-1)");
  });

  it("describes a chart for screen readers", () => {
    const model = prepareTimeSeries({ metric: "requests", resolution: "minute", stepMs: MIN, from: T0, to: T0 + 2 * MIN, series: [{ key: "r", label: "Chat", points: [{ t: T0, value: 3 }] }] });
    expect(describeChart("Requests", model, (v) => String(v))).toBe("Requests over time, 1 series. Latest: Chat 0.");
  });
});

import { describe, expect, it } from "vitest";
import { FORECAST_EMPTY, parseForecastHorizon, prepareForecast, type ForecastResult } from "./forecast";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 10, 0);

function result(historyHours: number, horizon = 6): ForecastResult {
  const history = Array.from({ length: historyHours }, (_, i) => ({ t: T0 + i * HOUR, value: 10 + i }));
  const next = T0 + historyHours * HOUR;
  const points = Array.from({ length: horizon }, (_, i) => ({ t: next + i * HOUR, expected: 50 + i, lower: Math.max(0, 40 - 5 * i), upper: 60 + 10 * i }));
  return { stepMs: HOUR, history, points };
}

describe("prepareForecast", () => {
  it("is empty with less than a day of history, or nothing forecast", () => {
    expect(prepareForecast(result(23))).toEqual({ empty: true, reason: FORECAST_EMPTY });
    expect(prepareForecast({ ...result(48), points: [] })).toEqual({ empty: true, reason: FORECAST_EMPTY });
    expect(prepareForecast({ stepMs: HOUR, history: [], points: [] }).empty).toBe(true);
  });

  it("draws history, then the expected value joined to its last hour, with the band over the horizon", () => {
    const model = prepareForecast(result(24, 6));
    if (model.empty) throw new Error("expected a forecast");
    const { chart, forecastDataKey } = model;
    expect(chart.series.map((s) => [s.key, s.dataKey])).toEqual([
      ["history", "s0"],
      ["forecast", "s1"],
    ]);
    expect(forecastDataKey).toBe("s1");
    expect(chart.rows).toHaveLength(30);
    expect(chart.rows.map((r) => r.t)).toEqual(Array.from({ length: 30 }, (_, i) => T0 + i * HOUR));

    const lastHistory = T0 + 23 * HOUR;
    expect(model.splitAt).toBe(lastHistory);
    const row = (t: number) => chart.rows.find((r) => r.t === t)!;
    // History only before the split, the forecast only from it on: gaps, not zeros.
    expect(row(T0)).toMatchObject({ s0: 10, s1: null });
    expect(row(lastHistory)).toMatchObject({ s0: 33, s1: 33 });
    expect(row(lastHistory + HOUR)).toMatchObject({ s0: null, s1: 50, band: [40, 60] });
    expect(row(lastHistory + 6 * HOUR)).toMatchObject({ s0: null, s1: 55, band: [15, 110] });
    expect(row(lastHistory).band).toBeUndefined();
    expect(chart.hasBand).toBe(true);
    expect(chart.empty).toBe(false);
    expect(chart.xDomain).toEqual([T0, T0 + 30 * HOUR]);
  });

  it("names the hour with the highest upper bound, the one to plan capacity for", () => {
    const model = prepareForecast(result(48, 6));
    if (model.empty) throw new Error("expected a forecast");
    expect(model.peak).toEqual({ t: T0 + 53 * HOUR, expected: 55, upper: 110 });
  });

  it("shows a forecast of all zeros (no traffic expected) rather than the empty state", () => {
    const quiet = result(30, 3);
    const model = prepareForecast({ ...quiet, history: quiet.history.map((p) => ({ ...p, value: 0 })), points: quiet.points.map((p) => ({ ...p, expected: 0, lower: 0, upper: 0 })) });
    expect(model.empty).toBe(false);
  });
});

describe("parseForecastHorizon", () => {
  it("takes the offered horizons and falls back to a day", () => {
    expect(parseForecastHorizon("6")).toBe(6);
    expect(parseForecastHorizon("168")).toBe(168);
    expect(parseForecastHorizon("12")).toBe(24);
  });
});

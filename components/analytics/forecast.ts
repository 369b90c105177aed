import { prepareTimeSeries, type TimeSeriesModel } from "./timeseries";

// The load forecast card: hourly requests of the last two days as a line, the forecast's expected
// value after it (the chart draws it as a second line) and its band.

/** The horizons the card offers, in hours. */
export const FORECAST_HORIZONS = [
  { hours: 6, label: "Next 6 hours" },
  { hours: 24, label: "Next 24 hours" },
  { hours: 168, label: "Next 7 days" },
] as const;
export type ForecastHorizon = (typeof FORECAST_HORIZONS)[number]["hours"];
export const DEFAULT_FORECAST_HORIZON: ForecastHorizon = 24;

export function parseForecastHorizon(value: string): ForecastHorizon {
  return FORECAST_HORIZONS.find((h) => String(h.hours) === value)?.hours ?? DEFAULT_FORECAST_HORIZON;
}

/** Less history than this and the daily shape is unknown, so the card shows no forecast. */
export const MIN_FORECAST_HISTORY_HOURS = 24;
export const FORECAST_EMPTY = "Forecasts need at least a day of traffic";

/** `analytics.forecast`'s answer, structurally. */
export interface ForecastResult {
  stepMs: number;
  history: readonly { t: number; value: number }[];
  points: readonly { t: number; expected: number; lower: number; upper: number }[];
}

export const HISTORY_KEY = "history";
export const FORECAST_KEY = "forecast";

export type ForecastModel =
  | { empty: true; reason: string }
  | {
      empty: false;
      chart: TimeSeriesModel;
      /** The chart's data key of the forecast line, to be drawn dashed. */
      forecastDataKey: `s${number}`;
      /** Where history ends and the forecast begins. */
      splitAt: number;
      /** The highest upper bound over the horizon, the number to plan capacity against. */
      peak: { t: number; expected: number; upper: number } | null;
    };

/**
 * One chart for the card. The forecast line starts at the last hour of history so the two lines
 * join; each line is a gap (null) on the other's side rather than a run of zeros.
 */
export function prepareForecast(result: ForecastResult): ForecastModel {
  const { history, points } = result;
  if (history.length < MIN_FORECAST_HISTORY_HOURS || points.length === 0) return { empty: true, reason: FORECAST_EMPTY };
  const stepMs = result.stepMs > 0 ? result.stepMs : 3_600_000;
  const last = history.at(-1)!;
  const chart = prepareTimeSeries({
    metric: "requests",
    resolution: "hour",
    stepMs,
    from: history[0]!.t,
    to: points.at(-1)!.t + stepMs,
    series: [
      { key: HISTORY_KEY, label: "Requests per hour", points: history },
      { key: FORECAST_KEY, label: "Forecast", points: [{ t: last.t, value: last.value }, ...points.map((p) => ({ t: p.t, value: p.expected }))] },
    ],
    band: points,
    colorOrder: [HISTORY_KEY, FORECAST_KEY],
  });
  const historyKey = chart.series.find((s) => s.key === HISTORY_KEY)!.dataKey;
  const forecastKey = chart.series.find((s) => s.key === FORECAST_KEY)!.dataKey;
  for (const row of chart.rows) {
    if (row.t > last.t) row[historyKey] = null;
    if (row.t < last.t) row[forecastKey] = null;
  }
  const peak = points.reduce<ForecastResult["points"][number] | null>((best, p) => (best === null || p.upper > best.upper ? p : best), null);
  return {
    empty: false,
    chart: { ...chart, empty: false, series: chart.series.map((s) => (s.dataKey === forecastKey ? { ...s, dashed: true } : s)) },
    forecastDataKey: forecastKey,
    splitAt: last.t,
    peak: peak && { t: peak.t, expected: peak.expected, upper: peak.upper },
  };
}

/** The forecast query's input for a dashboard: the organization's traffic, or one route's. */
export function forecastQueryInput(orgSlug: string, scope: { kind: "org" } | { kind: "route"; routeId: string }, horizonHours: ForecastHorizon) {
  return { orgSlug, ...(scope.kind === "route" ? { routeId: scope.routeId } : {}), horizonHours, metric: "requests" as const };
}

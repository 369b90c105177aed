export {
  createDetector,
  forecast,
  scoreSeries,
  update,
  zThreshold,
  type DetectorConfig,
  type DetectorState,
  type ForecastPoint,
  type Scored,
  type Seasonality,
} from "./detector";

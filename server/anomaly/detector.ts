/**
 * Online anomaly detection and forecasting for per-minute series (request rate, error rate, p95
 * latency, TTFT, cost, quality).
 *
 * Method: additive Holt-Winters (triple exponential smoothing) in error-correction form, with
 *   expected(t) = level + damped trend + daily[slot of t] + weekly[slot of t]
 * - daily: 96 slots of 15 minutes; weekly: 168 slots of one hour holding what a weekday-hour adds
 *   to the daily shape. Both read and learn by linear interpolation between slot centres, so a
 *   steep morning ramp is not a staircase. Slots index wall-clock UTC, so gaps need no bookkeeping.
 *   A full 10 080-minute weekly season would cost 50× the state and learn each slot once a week;
 *   coarse slots learn from 15 (daily) or 60 (weekly) points per visit.
 * - Each slot's gain starts at 1/visits (the first day is copied in, like seasonal-naive) and
 *   settles at a floor that remembers about a week (daily) or three weeks (weekly).
 * - Scale: mean absolute residual per hour of day (24 slots) × 1.2533 ≈ σ, so quiet nights get a
 *   narrow band and busy afternoons a wide one (count noise grows with the count).
 * - Robustness: every update uses the residual clipped at HUBER_K·σ (Huber), so a spike cannot drag
 *   level, seasonality or scale; the scale learns from residuals clipped the same way.
 * - Two detectors share the model: the point z = residual/σ (spikes), and an EWMA of clipped z
 *   (~15 min memory) normalised to unit variance (small level shifts, slow trends, broken
 *   seasonality, which no single point shows). score = logistic of the larger of the two, each
 *   divided by its threshold: score ≥ 0.5 ⇔ anomaly. Sensitivity 0..1 sets the z threshold.
 * - Level shifts: after `rebaselineAfter` consecutive anomalous points in the same direction the
 *   level jumps by the recent mean residual, so a permanent shift alerts and then settles.
 * - Forecast intervals: the one-step σ times a horizon multiplier learnt online from the errors of
 *   the level an hour and a day earlier (one stored number each), so intervals widen by as much as
 *   this series' level actually wanders.
 *
 * Cost: O(1) per point (a few array reads, one exp), no allocation. State is plain JSON: about
 * 600 numbers, ~4.5–5 KB as JSON (median 4549 bytes in bench/results/anomaly.md).
 */

export type Seasonality = "daily" | "weekly";

export interface DetectorConfig {
  /** Step of the series in minutes; default 1. */
  periodMinutes?: number;
  /** Default ["daily", "weekly"]. Fixed when the state is created. */
  seasonalities?: Seasonality[];
  /** 0..1, default 0.5; higher flags more. Maps to the z threshold (0.5 → 4). */
  sensitivity?: number;
  /** Points scored low and never flagged while the model learns; default one day of points. */
  warmupPoints?: number;
  /** Consecutive same-direction anomalies after which the level is re-baselined; default 30 min. */
  rebaselineAfter?: number;
}

export interface DetectorState {
  v: 1;
  /** Points learned. */
  n: number;
  /** Epoch ms of the last learned point, null before the first. */
  lastT: number | null;
  level: number;
  trend: number;
  /** Short-term deviation from level + seasonality (tracks wander within ~30 min, fades in forecasts). */
  local: number;
  /** Mean |local| when normal. */
  localScale: number;
  daily: number[] | null;
  dailyVisits: number[] | null;
  weekly: number[] | null;
  weeklyVisits: number[] | null;
  /** Mean absolute (clipped) residual per hour of day. */
  scale: number[];
  scaleVisits: number[];
  /** EWMA of clipped z (the sustained detector) and the mean of its absolute value when normal. */
  zbar: number;
  zbarScale: number;
  /** Signed count of consecutive anomalous points (+ up, − down) and the EWMA of their residuals. */
  run: number;
  runResidual: number;
  /** Level snapshots for the horizon multipliers: the level at the start of the previous window. */
  hourSnap: Snapshot;
  daySnap: Snapshot;
  /** Mean |error| of the hour-old / day-old level, in units of one-step σ. */
  hourMult: number;
  dayMult: number;
}

interface Snapshot {
  /** Index of the window (hour or day number since epoch) the snapshot was taken in. */
  w: number;
  level: number;
  /** Level of the window before; what errors are measured against. */
  prev: number | null;
}

export interface Scored {
  t: number;
  value: number;
  expected: number;
  lower: number;
  upper: number;
  score: number;
  anomaly: boolean;
  direction: "up" | "down" | null;
}

export interface ForecastPoint {
  t: number;
  expected: number;
  lower: number;
  upper: number;
}

const MINUTE = 60_000;
const DAILY_SLOTS = 96;
const DAILY_SLOT_MIN = 15;
const WEEKLY_SLOTS = 168;
const WEEKLY_SLOT_MIN = 60;
const SCALE_SLOTS = 24;
const SCALE_SLOT_MIN = 60;
/** 1970-01-01 was a Thursday; shift so weekly slot 0 is Monday 00:00 UTC. */
const WEEK_OFFSET_MIN = 3 * 1440;
/** σ of a normal distribution per unit of mean absolute deviation. */
const MAD_TO_SIGMA = Math.sqrt(Math.PI / 2);

// Tuned on the tuning seeds of bench/anomaly-eval.ts (never the reported ones).
const HUBER_K = 2.5;
/** Memory of the local part. */
const LEVEL_TAU_MIN = 30;
const TREND_TAU_MIN = 1440 * 4;
const TREND_DAMP_TAU_MIN = 240;
const DAILY_MEMORY_DAYS = 5;
const WEEKLY_MEMORY_WEEKS = 3;
const SCALE_MEMORY_DAYS = 3;
const SUSTAINED_TAU_MIN = 15;
/** The sustained detector's threshold relative to the point threshold. */
const SUSTAINED_FACTOR = 1.25;
const SLOW_LEVEL_TAU_MIN = 1440;
/** The drift detector's threshold relative to the point threshold. */
const DRIFT_FACTOR = 1.0;
/** The drift detector never treats less than this share of σ as the local part's usual size. */
const LOCAL_FLOOR = 0.3;
/** How fast a forecast forgets the current deviation of the level from the slow level. */
const REVERT_TAU_MIN = 120;
const SCORE_STEEPNESS = 6;

export function zThreshold(sensitivity = 0.5): number {
  const s = Math.min(1, Math.max(0, sensitivity));
  return 1.5 + 5 * (1 - s);
}

interface Resolved {
  period: number;
  zThr: number;
  warmup: number;
  rebaselineAfter: number;
  alpha: number;
  beta: number;
  phi: number;
  lambda: number;
  lambdaNorm: number;
  slowGain: number;
  revertSteps: number;
  dailyFloor: number;
  weeklyFloor: number;
  scaleFloor: number;
}

function gainFor(periodMin: number, tauMin: number): number {
  return 1 - Math.exp(-periodMin / tauMin);
}

function resolve(config: DetectorConfig = {}): Resolved {
  const period = config.periodMinutes ?? 1;
  if (!(period > 0) || !Number.isFinite(period)) throw new RangeError("periodMinutes must be a positive number");
  const lambda = gainFor(period, SUSTAINED_TAU_MIN);
  return {
    period,
    zThr: zThreshold(config.sensitivity),
    warmup: config.warmupPoints ?? Math.ceil(1440 / period),
    rebaselineAfter: config.rebaselineAfter ?? Math.max(3, Math.round(30 / period)),
    alpha: gainFor(period, LEVEL_TAU_MIN),
    beta: gainFor(period, TREND_TAU_MIN) * gainFor(period, SLOW_LEVEL_TAU_MIN),
    phi: Math.exp(-period / TREND_DAMP_TAU_MIN),
    lambda,
    lambdaNorm: Math.sqrt(lambda / (2 - lambda)),
    slowGain: gainFor(period, SLOW_LEVEL_TAU_MIN),
    revertSteps: REVERT_TAU_MIN / period,
    // Per point: a slot is visited by max(1, slotMinutes/period) points a day (or week).
    dailyFloor: gainFor(1, DAILY_MEMORY_DAYS * Math.max(1, DAILY_SLOT_MIN / period)),
    weeklyFloor: gainFor(1, WEEKLY_MEMORY_WEEKS * Math.max(1, WEEKLY_SLOT_MIN / period)),
    scaleFloor: gainFor(1, SCALE_MEMORY_DAYS * Math.max(1, SCALE_SLOT_MIN / period)),
  };
}

export function createDetector(config: DetectorConfig = {}): DetectorState {
  resolve(config);
  const seasons = config.seasonalities ?? ["daily", "weekly"];
  const daily = seasons.includes("daily");
  const weekly = seasons.includes("weekly");
  return {
    v: 1,
    n: 0,
    lastT: null,
    level: 0,
    trend: 0,
    local: 0,
    localScale: 0,
    daily: daily ? new Array<number>(DAILY_SLOTS).fill(0) : null,
    dailyVisits: daily ? new Array<number>(DAILY_SLOTS).fill(0) : null,
    weekly: weekly ? new Array<number>(WEEKLY_SLOTS).fill(0) : null,
    weeklyVisits: weekly ? new Array<number>(WEEKLY_SLOTS).fill(0) : null,
    scale: new Array<number>(SCALE_SLOTS).fill(0),
    scaleVisits: new Array<number>(SCALE_SLOTS).fill(0),
    zbar: 0,
    zbarScale: 0,
    run: 0,
    runResidual: 0,
    hourSnap: { w: -1, level: 0, prev: null },
    daySnap: { w: -1, level: 0, prev: null },
    hourMult: 1,
    dayMult: 1,
  };
}

/** Two neighbouring slots and the weight of the first, by linear interpolation between centres. */
interface SlotPair {
  a: number;
  b: number;
  wa: number;
}

function slotPair(minuteOfCycle: number, slotMin: number, slots: number, out: SlotPair): SlotPair {
  const x = minuteOfCycle / slotMin - 0.5;
  const fl = Math.floor(x);
  const frac = x - fl;
  out.a = ((fl % slots) + slots) % slots;
  out.b = (out.a + 1) % slots;
  out.wa = 1 - frac;
  return out;
}

function minuteOf(t: number, cycleMin: number, offsetMin = 0): number {
  const m = (t / MINUTE + offsetMin) % cycleMin;
  return m < 0 ? m + cycleMin : m;
}

const dp: SlotPair = { a: 0, b: 0, wa: 1 };
const wp: SlotPair = { a: 0, b: 0, wa: 1 };

function seasonalAt(state: DetectorState, t: number): number {
  let s = 0;
  if (state.daily) {
    slotPair(minuteOf(t, 1440), DAILY_SLOT_MIN, DAILY_SLOTS, dp);
    s += dp.wa * state.daily[dp.a]! + (1 - dp.wa) * state.daily[dp.b]!;
  }
  if (state.weekly) {
    slotPair(minuteOf(t, 10_080, WEEK_OFFSET_MIN), WEEKLY_SLOT_MIN, WEEKLY_SLOTS, wp);
    s += wp.wa * state.weekly[wp.a]! + (1 - wp.wa) * state.weekly[wp.b]!;
  }
  return s;
}

/** One-step σ at time t; before any scale is learnt, a small fraction of the level. */
function sigmaAt(state: DetectorState, t: number): number {
  const h = Math.floor(minuteOf(t, 1440) / SCALE_SLOT_MIN);
  let mad = state.scaleVisits[h]! > 0 ? state.scale[h]! : 0;
  if (state.scaleVisits[h]! < 30) {
    // A young slot borrows the mean of the learnt ones so it is neither zero nor noise.
    let sum = 0;
    let k = 0;
    for (let i = 0; i < SCALE_SLOTS; i++) {
      if (state.scaleVisits[i]! > 0) {
        sum += state.scale[i]!;
        k++;
      }
    }
    const mean = k > 0 ? sum / k : 0;
    const w = state.scaleVisits[h]! / 30;
    mad = w * mad + (1 - w) * mean;
  }
  const floor = 1e-9 + 1e-4 * Math.abs(state.level);
  return Math.max(MAD_TO_SIGMA * mad, floor);
}

/** Sum of φ^1..φ^k: how far a damped trend carries in k steps. */
function dampedSteps(phi: number, k: number): number {
  if (k <= 0) return 0;
  if (phi >= 1) return k;
  return (phi * (1 - phi ** k)) / (1 - phi);
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clip(x: number, limit: number): number {
  return x > limit ? limit : x < -limit ? -limit : x;
}

/**
 * Scores (t, value) against what the state expected, then learns from it. Non-finite values are
 * scored as not anomalous and not learnt; a t at or before the last point is scored without
 * moving the clock (duplicates, late arrivals).
 */
export function update(state: DetectorState, t: number, value: number, config: DetectorConfig = {}): Scored {
  const c = resolve(config);
  if (!Number.isFinite(value) || !Number.isFinite(t)) {
    return { t, value, expected: NaN, lower: NaN, upper: NaN, score: 0, anomaly: false, direction: null };
  }
  if (state.lastT === null) {
    state.level = value;
    state.lastT = t;
    learnSeasonal(state, t, value - state.level - seasonalAt(state, t), c, 1);
    state.n = 1;
    return { t, value, expected: value, lower: value, upper: value, score: 0, anomaly: false, direction: null };
  }

  const steps = Math.max(0, (t - state.lastT) / (c.period * MINUTE));
  const levelNow = state.level + state.trend * dampedSteps(c.phi, steps);
  const localNow = state.local * Math.exp(-steps / c.revertSteps);
  const seasonal = seasonalAt(state, t);
  const expected = levelNow + seasonal + localNow;
  const sigma = sigmaAt(state, t);
  const residual = value - expected;
  const z = residual / sigma;
  const zc = clip(z, HUBER_K * 1.6);

  // Sustained detector: EWMA of clipped z, normalised by how much it moves on this series when
  // nothing is wrong (residuals of real traffic are autocorrelated), never by less than white
  // noise would move it.
  const zbar = (1 - c.lambda) * state.zbar + c.lambda * zc;
  const zs = zbar / (MAD_TO_SIGMA * Math.max(state.zbarScale, c.lambdaNorm / MAD_TO_SIGMA));
  const uPoint = Math.abs(z) / c.zThr;
  const uSust = Math.abs(zs) / (c.zThr * SUSTAINED_FACTOR);
  // Drift detector: the short-term deviation from baseline + seasonality, in units of how far it
  // usually wanders.
  const zd = localNow / (MAD_TO_SIGMA * Math.max(state.localScale, LOCAL_FLOOR * sigma));
  const uDrift = state.localScale > 0 ? Math.abs(zd) / (c.zThr * DRIFT_FACTOR) : 0;
  const u = Math.max(uPoint, uSust, uDrift);
  const sign = u === uPoint ? Math.sign(z) : u === uSust ? Math.sign(zs) : Math.sign(zd);
  let score = logistic(SCORE_STEEPNESS * (u - 1));
  const warm = state.n >= c.warmup;
  if (!warm) score *= 0.49 * (state.n / c.warmup);
  const anomaly = warm && u >= 1;
  const direction = anomaly ? (sign >= 0 ? "up" : "down") : null;
  const out: Scored = {
    t,
    value,
    expected,
    lower: expected - c.zThr * sigma,
    upper: expected + c.zThr * sigma,
    score: Math.round(score * 1e6) / 1e6,
    anomaly,
    direction,
  };

  // Learn.
  if (steps > 0) {
    state.trend *= c.phi ** steps;
    state.level = levelNow;
    state.local = localNow;
    state.lastT = t;
  }
  state.zbar = zbar;
  // The normalisers of the slower detectors learn over days and from clipped input, or a slow
  // ramp would teach them that ramps are normal.
  if (!anomaly && warm) state.zbarScale += c.slowGain * (Math.min(Math.abs(zbar), 2 * state.zbarScale) - state.zbarScale);
  else if (!warm) state.zbarScale += (1 / (state.n + 1)) * (Math.abs(zbar) - state.zbarScale);
  const ec = clip(residual, HUBER_K * sigma);
  // Baseline and seasonality learn the deviation from themselves (the local part included, it
  // averages out), clipped; flagged points still teach the profiles (a first weekend is flagged
  // but must be learnt) but not the baseline, which the re-baseline moves instead.
  const dailyKnown = learnSeasonal(state, t, clip(ec + localNow, HUBER_K * sigma), c, 0);
  if (!dailyKnown) {
    // The first day is copied into the profile (seasonal-naive); the baseline waits.
    state.local = 0;
  } else {
    if (!anomaly) {
      state.level += c.slowGain * (ec + localNow);
      state.trend += c.beta * (ec + localNow);
    }
    state.local += c.alpha * ec;
    const d = Math.abs(state.local);
    if (!anomaly && warm) state.localScale += c.slowGain * (Math.min(d, 2 * state.localScale) - state.localScale);
    else if (!warm) state.localScale += c.slowGain * 4 * (d - state.localScale);
  }
  // Flagged points do not widen the band: a burst of errors would otherwise hide the next one.
  learnScale(state, t, Math.abs(ec), dailyKnown && !anomaly, c);
  learnHorizon(state, t, value, seasonal, sigma);

  // Re-baseline after a run of same-direction anomalies.
  if (anomaly) {
    const dir = direction === "up" ? 1 : -1;
    if (Math.sign(state.run) === dir) {
      state.run += dir;
      state.runResidual += (residual - state.runResidual) * (2 / (c.rebaselineAfter / 2 + 1));
    } else {
      state.run = dir;
      state.runResidual = residual;
    }
    if (Math.abs(state.run) >= c.rebaselineAfter) {
      // Accept the new level: what the local part and the last residuals say, into the baseline.
      const shift = state.local + state.runResidual;
      state.level += shift;
      state.local = 0;
      state.hourSnap.level += shift;
      if (state.hourSnap.prev !== null) state.hourSnap.prev += shift;
      state.daySnap.level += shift;
      if (state.daySnap.prev !== null) state.daySnap.prev += shift;
      state.zbar = 0;
      state.run = 0;
      state.runResidual = 0;
    }
  } else {
    state.run = 0;
    state.runResidual = 0;
  }
  state.n++;
  return out;
}

/**
 * Moves the seasonal slots of t towards the residual. `residual` is the clipped error; returns
 * whether the daily slot had been seen before (so the level may learn too). With `first` set the
 * whole residual goes into the daily profile.
 */
function learnSeasonal(state: DetectorState, t: number, residual: number, c: Resolved, first: 0 | 1): boolean {
  let known = true;
  let left = residual;
  if (state.daily && state.dailyVisits) {
    slotPair(minuteOf(t, 1440), DAILY_SLOT_MIN, DAILY_SLOTS, dp);
    const visits = dp.wa * state.dailyVisits[dp.a]! + (1 - dp.wa) * state.dailyVisits[dp.b]!;
    known = visits >= 1;
    const g = first ? 1 : Math.max(c.dailyFloor, 1 / (visits + 1));
    state.daily[dp.a]! += g * dp.wa * left;
    state.daily[dp.b]! += g * (1 - dp.wa) * left;
    state.dailyVisits[dp.a]! += dp.wa;
    state.dailyVisits[dp.b]! += 1 - dp.wa;
    left -= g * left;
  }
  if (state.weekly && state.weeklyVisits && !first) {
    slotPair(minuteOf(t, 10_080, WEEK_OFFSET_MIN), WEEKLY_SLOT_MIN, WEEKLY_SLOTS, wp);
    const visits = wp.wa * state.weeklyVisits[wp.a]! + (1 - wp.wa) * state.weeklyVisits[wp.b]!;
    // Until the daily slot is known the weekly one has nothing to add.
    if (known) {
      const g = Math.max(c.weeklyFloor, 1 / (visits + 1));
      state.weekly[wp.a]! += g * wp.wa * left;
      state.weekly[wp.b]! += g * (1 - wp.wa) * left;
      state.weeklyVisits[wp.a]! += wp.wa;
      state.weeklyVisits[wp.b]! += 1 - wp.wa;
    }
  }
  return known;
}

function learnScale(state: DetectorState, t: number, absResidual: number, learnable: boolean, c: Resolved): void {
  if (!learnable) return;
  const h = Math.floor(minuteOf(t, 1440) / SCALE_SLOT_MIN);
  const visits = state.scaleVisits[h]!;
  const g = Math.max(c.scaleFloor, 1 / (visits + 1));
  state.scale[h]! += g * (absResidual - state.scale[h]!);
  state.scaleVisits[h] = Math.min(visits + 1, 1e9);
}

/**
 * Horizon multipliers: at the start of each hour (day) the level is remembered; each point then
 * measures how far the level of the previous hour (day) would have missed it, relative to σ.
 */
function learnHorizon(state: DetectorState, t: number, value: number, seasonal: number, sigma: number): void {
  const minutes = t / MINUTE;
  const hourErr = snapshotError(state.hourSnap, Math.floor(minutes / 60), state.level + state.local, value - seasonal, sigma);
  if (hourErr !== null) state.hourMult += 0.002 * (hourErr - state.hourMult);
  const dayErr = snapshotError(state.daySnap, Math.floor(minutes / 1440), state.level + state.local, value - seasonal, sigma);
  if (dayErr !== null) state.dayMult += 0.0005 * (dayErr - state.dayMult);
}

/** Rolls the snapshot into window w and returns |deseasonalised value − previous window's level|/σ, scaled to σ units. */
function snapshotError(snap: Snapshot, w: number, level: number, deseasonalised: number, sigma: number): number | null {
  if (snap.w !== w) {
    snap.prev = snap.w === w - 1 ? snap.level : null;
    snap.w = w;
    snap.level = level;
  }
  if (snap.prev === null) return null;
  return Math.min(10, Math.abs(deseasonalised - snap.prev) / sigma) * MAD_TO_SIGMA;
}

/** σ multiplier at a horizon of h steps: 1 at one step, hourMult at ~90 min, dayMult at ~1.5 days. */
function horizonMultiplier(state: DetectorState, hMin: number): number {
  const hm = Math.max(1, state.hourMult);
  const dm = Math.max(hm, state.dayMult);
  const anchors: [number, number][] = [
    [1, 1],
    [90, hm],
    [2160, dm],
  ];
  if (hMin <= 1) return 1;
  for (let i = 1; i < anchors.length; i++) {
    const [x1, y1] = anchors[i]!;
    const [x0, y0] = anchors[i - 1]!;
    if (hMin <= x1) {
      const f = Math.log(hMin / x0) / Math.log(x1 / x0);
      return y0 + f * (y1 - y0);
    }
  }
  return dm * Math.sqrt(hMin / 2160);
}

/**
 * Forecasts `steps` points after fromT (fromT + period, fromT + 2·period, …) from the state alone.
 * The band is the detection band (expected ± z threshold · σ) widened by the horizon multiplier,
 * so it never narrows with horizon for the same time of day.
 */
export function forecast(state: DetectorState, fromT: number, steps: number, config: DetectorConfig = {}): ForecastPoint[] {
  const c = resolve(config);
  const out: ForecastPoint[] = [];
  const base = state.lastT ?? fromT;
  let prevMult = 0;
  for (let i = 1; i <= steps; i++) {
    const t = fromT + i * c.period * MINUTE;
    const k = Math.max(0, (t - base) / (c.period * MINUTE));
    // The local deviation fades out with horizon; baseline, damped trend and seasonality remain.
    const local = state.local * Math.exp(-k / c.revertSteps);
    const expected = state.level + local + state.trend * dampedSteps(c.phi, k) + seasonalAt(state, t);
    const mult = Math.max(prevMult, horizonMultiplier(state, k * c.period));
    prevMult = mult;
    const half = c.zThr * sigmaAt(state, t) * mult;
    out.push({ t, expected, lower: expected - half, upper: expected + half });
  }
  return out;
}

/** A fresh detector over a whole series, in order of t. */
export function scoreSeries(points: { t: number; value: number }[], config: DetectorConfig = {}): Scored[] {
  const state = createDetector(config);
  const sorted = [...points].sort((a, b) => a.t - b.t);
  return sorted.map((p) => update(state, p.t, p.value, config));
}

/**
 * Seeded synthetic per-minute telemetry with injected anomalies of known kinds, for the detector's
 * tests and bench/anomaly-eval.ts. Shapes follow the gateway's series: request rate (count noise,
 * busy afternoons, quiet weekends), p95 latency (rises with load, multiplicative noise) and error
 * rate (a small proportion with binomial noise). All carry a slow random wander of the level, as
 * real traffic does, so the detector is not scored on white noise alone.
 */

export type SeriesShape = "requests" | "latency" | "errorRate";
export type AnomalyKind = "spike" | "levelShift" | "trendChange" | "seasonalityBreak" | "varianceChange";
export const ANOMALY_KINDS: AnomalyKind[] = ["spike", "levelShift", "trendChange", "seasonalityBreak", "varianceChange"];

export interface InjectedAnomaly {
  kind: AnomalyKind;
  /** Index of the first affected point. */
  onset: number;
  /** Index after the last affected point (level shifts: onset + the window they are judged in). */
  end: number;
  direction: "up" | "down";
}

export interface SyntheticSeries {
  shape: SeriesShape;
  t: number[];
  value: number[];
  /** The value without noise and without anomalies (what a perfect model would expect). */
  clean: number[];
  anomalies: InjectedAnomaly[];
}

/** Mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** Monday 2026-01-05 00:00 UTC. */
export const SERIES_START = Date.UTC(2026, 0, 5);
const MIN = 60_000;

/** Daily load profile in 0.25..1: quiet night, morning ramp, afternoon peak, evening shoulder. */
export function dailyLoad(minuteOfDay: number, peakHour = 14): number {
  const h = minuteOfDay / 60;
  const d = (x: number) => {
    const y = (((x % 24) + 36) % 24) - 12;
    return y;
  };
  const peak = Math.exp(-((d(h - peakHour) / 3.5) ** 2));
  const shoulder = 0.35 * Math.exp(-((d(h - peakHour - 6) / 2.5) ** 2));
  return 0.25 + 0.75 * Math.min(1, peak + shoulder);
}

function dayFactor(dayOfWeek: number): number {
  // 0 = Monday.
  const d = ((dayOfWeek % 7) + 7) % 7;
  return d === 5 ? 0.7 : d === 6 ? 0.6 : 1;
}

/** Weekly factor at a minute of the week: weekends are quieter, eased between day centres (noon). */
export function weeklyLoad(minuteOfWeek: number): number {
  const x = minuteOfWeek / 1440 - 0.5;
  const d = Math.floor(x);
  const f = x - d;
  const ease = (1 - Math.cos(Math.PI * f)) / 2;
  return dayFactor(d) * (1 - ease) + dayFactor(d + 1) * ease;
}

export interface SyntheticOptions {
  days?: number;
  shape?: SeriesShape;
  kind?: AnomalyKind | null;
  /** Anomalies to inject, spaced over the anomaly window. */
  count?: number;
  /** First day (0-based) anomalies may start on; default 8. */
  fromDay?: number;
}

export function syntheticSeries(seed: number, opts: SyntheticOptions = {}): SyntheticSeries {
  const days = opts.days ?? 14;
  const shape = opts.shape ?? "requests";
  const rand = prng(seed);
  const norm = gaussian(rand);
  const n = days * 1440;
  const peakHour = 12 + rand() * 5;
  const base = shape === "requests" ? 200 + rand() * 3000 : shape === "latency" ? 300 + rand() * 900 : 0.005 + rand() * 0.02;

  // Anomaly plan.
  const anomalies: InjectedAnomaly[] = [];
  const kind = opts.kind ?? null;
  const count = kind ? (opts.count ?? 3) : 0;
  const fromDay = opts.fromDay ?? 8;
  const span = ((days - fromDay) * 1440) / Math.max(1, count);
  for (let i = 0; i < count; i++) {
    const onset = Math.floor(fromDay * 1440 + i * span + rand() * (span - 720));
    const up = shape === "requests" ? rand() < 0.6 : rand() < 0.85;
    const duration =
      kind === "spike" ? 1 + Math.floor(rand() * 5)
      : kind === "levelShift" ? 60
      : kind === "trendChange" ? 360
      : kind === "seasonalityBreak" ? 480
      : 120;
    anomalies.push({ kind: kind!, onset, end: Math.min(n, onset + duration), direction: up ? "up" : "down" });
  }
  const mags = anomalies.map(() => rand());

  const t = new Array<number>(n);
  const value = new Array<number>(n);
  const clean = new Array<number>(n);
  let wander = 0;
  let levelFactor = 1;
  for (let i = 0; i < n; i++) {
    const ti = SERIES_START + i * MIN;
    t[i] = ti;
    const minuteOfDay = i % 1440;
    const minuteOfWeek = i % 10_080;
    wander = 0.997 * wander + 0.003 * norm() * 1.1; // stationary sd ≈ 4.5%, hours-long memory
    let load = dailyLoad(minuteOfDay, peakHour) * weeklyLoad(minuteOfWeek);
    const cleanLoad = load * (1 + wander);
    let noiseMult = 1;
    let add = 0;
    let factor = levelFactor;
    for (let k = 0; k < anomalies.length; k++) {
      const a = anomalies[k]!;
      if (i < a.onset) continue;
      const sgn = a.direction === "up" ? 1 : -1;
      const m = mags[k]!;
      const inside = i < a.end;
      if (a.kind === "levelShift") {
        if (i === a.onset) levelFactor *= 1 + sgn * (0.1 + 0.2 * m);
        factor = levelFactor;
      } else if (!inside) continue;
      else if (a.kind === "spike") add += sgn * (6 + 6 * m); // in σ units, applied below
      else if (a.kind === "trendChange") factor *= 1 + sgn * (0.3 + 0.4 * m) * ((i - a.onset) / (a.end - a.onset));
      else if (a.kind === "seasonalityBreak") {
        // The daily shape arrives four hours early (or late) for eight hours.
        load = dailyLoad(minuteOfDay + sgn * 240, peakHour) * weeklyLoad(minuteOfWeek);
      } else if (a.kind === "varianceChange") noiseMult = 3 + 2 * m;
    }
    const l = load * (1 + wander) * factor;
    let mean: number;
    let sd: number;
    if (shape === "requests") {
      mean = base * l;
      sd = Math.sqrt(mean);
      clean[i] = base * cleanLoad * levelFactor;
    } else if (shape === "latency") {
      mean = base * (0.6 + 0.6 * l);
      sd = mean * 0.05;
      clean[i] = base * (0.6 + 0.6 * cleanLoad * levelFactor);
    } else {
      mean = base * (0.7 + 0.6 * l);
      sd = Math.sqrt((mean * (1 - mean)) / (2000 * Math.max(0.2, load)));
      clean[i] = base * (0.7 + 0.6 * cleanLoad * levelFactor);
    }
    let v = mean + norm() * sd * noiseMult + add * sd;
    if (shape === "latency" && rand() < 0.002) v += mean * 0.3 * rand(); // occasional slow request
    value[i] = Math.max(0, v);
  }
  return { shape, t, value, clean, anomalies };
}

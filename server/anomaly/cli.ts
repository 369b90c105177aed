/**
 * npm run anomaly -- data.csv [--sensitivity 0.5] [--period 1] [--seasonality daily,weekly] [--forecast N]
 * Reads `timestamp,value` (a file or stdin), prints `timestamp,value,score,anomaly` per row and,
 * with --forecast N, `timestamp,expected,lower,upper` for the N steps after the last row.
 * Bad input: a message naming the line on stderr, exit code 2.
 */
import { readFileSync } from "node:fs";
import { createDetector, forecast, update, type DetectorConfig, type Seasonality } from "./detector";
import { InputError, parseCsv } from "./csv";

const USAGE =
  "usage: npm run anomaly -- [data.csv] [--sensitivity 0..1] [--period minutes] [--seasonality daily,weekly|none] [--forecast N]";

function parseArgs(argv: string[]): { file: string | null; config: DetectorConfig; forecastSteps: number } {
  const config: DetectorConfig = {};
  let file: string | null = null;
  let forecastSteps = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new InputError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    const num = (v: string, ok: (n: number) => boolean, what: string) => {
      const n = Number(v);
      if (v.trim() === "" || !Number.isFinite(n) || !ok(n)) throw new InputError(`${arg} ${v}: expected ${what}`);
      return n;
    };
    if (arg === "--sensitivity") config.sensitivity = num(next(), (n) => n >= 0 && n <= 1, "a number from 0 to 1");
    else if (arg === "--period") config.periodMinutes = num(next(), (n) => n > 0, "a positive number of minutes");
    else if (arg === "--forecast") forecastSteps = num(next(), (n) => Number.isInteger(n) && n >= 0 && n <= 1e6, "a whole number of steps");
    else if (arg === "--seasonality") {
      const v = next();
      const list = v === "none" ? [] : v.split(",").map((s) => s.trim());
      for (const s of list) if (s !== "daily" && s !== "weekly") throw new InputError(`--seasonality ${v}: expected daily, weekly, daily,weekly or none`);
      config.seasonalities = list as Seasonality[];
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("--")) throw new InputError(`unknown option ${arg}\n${USAGE}`);
    else if (file === null) file = arg;
    else throw new InputError(`more than one input file\n${USAGE}`);
  }
  return { file, config, forecastSteps };
}

function main(): void {
  const { file, config, forecastSteps } = parseArgs(process.argv.slice(2));
  let text: string;
  try {
    text = readFileSync(file ?? 0, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${file ?? "stdin"}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const points = parseCsv(text);
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.t < points[i - 1]!.t) {
      throw new InputError(`timestamp "${points[i]!.raw}" is earlier than the row before it; sort the input by time`);
    }
  }
  const state = createDetector(config);
  const out: string[] = ["timestamp,value,score,anomaly"];
  for (const p of points) {
    const s = update(state, p.t, p.value, config);
    out.push(`${p.raw},${p.value},${s.score.toFixed(4)},${s.anomaly ? 1 : 0}`);
  }
  if (forecastSteps > 0 && state.lastT !== null) {
    out.push("timestamp,expected,lower,upper");
    for (const f of forecast(state, state.lastT, forecastSteps, config)) {
      out.push(`${new Date(f.t).toISOString()},${round(f.expected)},${round(f.lower)},${round(f.upper)}`);
    }
  }
  process.stdout.write(out.join("\n") + "\n");
}

function round(x: number): string {
  return String(Number(x.toPrecision(6)));
}

try {
  main();
} catch (e) {
  if (e instanceof InputError) {
    process.stderr.write(`anomaly: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`anomaly: unexpected error: ${(e as Error).message}\n`);
  process.exit(1);
}

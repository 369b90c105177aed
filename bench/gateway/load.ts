/**
 * Two load shapes, both timed per request with microsecond resolution (autocannon's own histogram
 * keeps whole milliseconds, too coarse for sub-millisecond overheads, so every 2xx response time it
 * reports is kept here and the percentiles are computed from the raw samples):
 * - `runLoad`: autocannon, closed loop (connections, unlimited) or with `overallRate`. Note that
 *   autocannon meets a rate by letting every connection send its share of each second back to back
 *   from the start of the second, so at a "fixed rate" the requests arrive in bursts.
 * - `runPaced`: an open-loop undici client that sends one request every 1/rate seconds, evenly
 *   spaced, whatever the answers do: the steady traffic the rate targets are about.
 */
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { Pool } from "undici";
import { CHAT_PATH, chatBody, chatHeaders } from "./requests";

export interface LoadResult {
  connections: number;
  /** The requested overall rate (req/s); null = as fast as the connections go. */
  rate: number | null;
  durationS: number;
  /** 2xx responses per second over the run. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export type RoundsResult = LoadResult & { rounds: LoadResult[] };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Several short rounds of the same load as one result: each percentile is the median of the rounds'
 * percentiles, so one round that a pause of the machine hit does not decide the figure.
 */
export function combineRounds(rounds: LoadResult[]): RoundsResult {
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((n, r) => n + f(r), 0);
  return {
    connections: rounds[0]!.connections,
    rate: rounds[0]!.rate,
    durationS: sum((r) => r.durationS),
    rps: sum((r) => r.ok) / sum((r) => r.ok / r.rps),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p90Ms: median(rounds.map((r) => r.p90Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    maxMs: Math.max(...rounds.map((r) => r.maxMs)),
    rounds,
  };
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summarize(samples: number[], non2xx: number, errors: number, elapsedS: number, base: Pick<LoadResult, "connections" | "rate" | "durationS">): LoadResult {
  const sorted = Float64Array.from(samples).sort();
  return {
    ...base,
    rps: sorted.length / elapsedS,
    ok: sorted.length,
    non2xx,
    errors,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export async function runLoad(opts: {
  baseUrl: string;
  apiKey: string;
  connections: number;
  rate?: number;
  durationS: number;
}): Promise<LoadResult> {
  const samples: number[] = [];
  let non2xx = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${opts.baseUrl}${CHAT_PATH}`,
        method: "POST",
        headers: chatHeaders(opts.apiKey),
        body: chatBody,
        connections: opts.connections,
        overallRate: opts.rate,
        duration: opts.durationS,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
      else non2xx++;
    });
  });
  const elapsedS = (performance.now() - started) / 1000;
  return summarize(samples, non2xx, result.errors + result.timeouts, elapsedS, {
    connections: opts.connections,
    rate: opts.rate ?? null,
    durationS: opts.durationS,
  });
}

/** The paced client's connections to one target; kept across runs so no run pays for connecting. */
export function pacedPool(baseUrl: string, connections = 64): Pool {
  return new Pool(baseUrl, { connections, keepAliveTimeout: 60_000 });
}

/**
 * Sends `rate` requests per second, request i at start + i/rate, whatever the answers do; each
 * request is timed from its dispatch to the last byte of its answer.
 */
export async function runPaced(opts: { pool: Pool; apiKey: string; rate: number; durationS: number }): Promise<LoadResult> {
  const { pool } = opts;
  const headers = chatHeaders(opts.apiKey);
  const samples: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    const t0 = performance.now();
    const done = pool
      .request({ path: CHAT_PATH, method: "POST", headers, body: chatBody })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) samples.push(performance.now() - t0);
        else non2xx++;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const total = Math.round(opts.rate * opts.durationS);
  const intervalMs = 1000 / opts.rate;
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
    while (sent < due) {
      send();
      sent++;
    }
    const next = start + sent * intervalMs - performance.now();
    if (next > 0) await sleep(next);
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  const connections = pool.stats.connected;
  return summarize(samples, non2xx, errors, elapsedS, { connections, rate: opts.rate, durationS: opts.durationS });
}

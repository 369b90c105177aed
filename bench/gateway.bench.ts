/**
 * What the gateway adds to a request, against two baselines measured in the same run:
 * (a) direct to a fast local OpenAI-compatible upstream, (b) through a bare reverse proxy on the same
 * HTTP stack (node:http + undici Pool, no logic: the practical Node limit), (c) through the gateway
 * on a realistic route (LATENCY strategy, API key check, telemetry on).
 *
 * The upstream, the proxy and the gateway each run in a child process (own event loop); the load
 * generator runs in this process. On a small machine they all compete for the same cores, so the
 * figures are for this machine, and the CPU each front process spends per request is reported too.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { startChild, type Child } from "./gateway/child";
import { combineRounds, pacedPool, runLoad, runPaced, type LoadResult, type RoundsResult } from "./gateway/load";
import { CHAT_PATH, chatBody, chatHeaders } from "./gateway/requests";
import { seedGatewayRoute } from "./gateway/seed";
import { runStreams, type StreamResult } from "./gateway/streams";

export type TargetName = "direct" | "proxy" | "gateway";
type PerTarget<T> = Partial<Record<TargetName, T>>;

export const PLAN = {
  rates: [200, 500, 1000],
  /** autocannon connections for the fixed rates: enough to reach 1,000 req/s up to 10 ms per request */
  rateConnections: 10,
  /** the paced client's connection limit */
  pacedConnections: 64,
  /** fixed rates and concurrency 1 run in rounds, the targets taking turns, each round this long */
  rounds: 3,
  roundS: 1.2,
  /** after concurrency 1, which is the first step */
  throughputConnections: [2, 4, 8, 16, 32, 64],
  throughputStepS: 2,
  p99LimitMs: 10,
  streamsSequential: 60,
  streamsConcurrent: 160,
  streamConcurrency: 16,
  upstream: { delayMs: 0, chunks: 8, chunkGapMs: 5 },
};

export type MeasuredLoad = LoadResult & {
  /** CPU time (user + system) of the process answering the client, per request */
  frontCpuUsPerRequest: number;
};

export interface ThroughputResult {
  steps: MeasuredLoad[];
  /** the step with the most requests per second whose p99 stayed under the limit */
  underLimit: MeasuredLoad | null;
  /** the step with the most requests per second, whatever its p99 */
  max: MeasuredLoad;
}

export interface GatewayReport {
  ranAt: string;
  plan: typeof PLAN;
  notes: string[];
  /** 1-minute load average when the run started and when it ended (other work on the machine shows here) */
  loadAverage: { start: number; end: number };
  /** null when the gateway could not be started; `gatewayError` then says why */
  gatewayError: string | null;
  concurrencyOne: PerTarget<RoundsResult & { frontCpuUsPerRequest: number }>;
  rates: { rate: number; autocannon: PerTarget<RoundsResult>; paced: PerTarget<RoundsResult> }[];
  throughput: PerTarget<ThroughputResult>;
  /** The gateway's throughput ladder with telemetry off: how much of its cost is the telemetry. */
  gatewayWithoutTelemetry: ThroughputResult | null;
  streams: { sequential: PerTarget<StreamResult>; concurrent: PerTarget<StreamResult> };
  targets: {
    p99AddedAt1000Ms: { autocannon: number | null; paced: number | null; limitMs: number };
    /** req/s at p99 under the limit, gateway / bare proxy (0 when no gateway step stayed under it) */
    throughputVsProxy: { ratio: number | null; maxRatio: number | null; basis: string; limit: number };
  };
}

interface Target {
  name: TargetName;
  url: string;
  /** the process that answers the client (for direct, the upstream itself) */
  front: Child;
}

const NOTES = [
  "The upstream, the bare proxy and the gateway each run in a child process (`node --import tsx`, own event loop); the load generator (autocannon, and an undici client for the paced and streaming runs) runs in the benchmark process. On this machine they, and PostgreSQL for the gateway's telemetry, share the same cores: each proxied request costs CPU in three processes instead of two, so figures are for this machine, not for a gateway on its own host.",
  "Added latency is the difference of percentiles (target p50 − direct p50, target p99 − direct p99), not a percentile of per-request differences. Fixed rates and concurrency 1 run in short rounds with the targets taking turns; each percentile is the median of the rounds' percentiles (the rounds are in latest.json).",
  "autocannon with overallRate sends each connection's share of a second back to back from the start of the second, so its fixed-rate runs arrive in bursts of up to `connections` concurrent requests; the paced runs send one request every 1/rate seconds. Latencies are per request with microsecond resolution (raw samples; autocannon's histogram rounds to whole milliseconds).",
  "At a fixed rate the processes sleep between requests, so each request also pays for waking them (and, on a virtual machine, the virtual CPUs): compare the direct p50 at 200 req/s with the one at concurrency 1. Tails of several milliseconds at low rates come from this machine as much as from the targets; the rounds in latest.json show how much they vary.",
  "Throughput: connections step up (unlimited rate) until p99 is over the limit two steps in a row; reported is the best step whose p99 stayed under it, and the best step overall with its p99. Direct throughput is bounded by the load generator, not the upstream.",
];

async function waitReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`gateway not ready after ${timeoutMs} ms (${last})`);
}

/** One chat completion through the target: it must answer 200 before any load is sent. */
async function smokeTest(target: Target, apiKey: string): Promise<void> {
  const res = await fetch(`${target.url}${CHAT_PATH}`, { method: "POST", headers: chatHeaders(apiKey), body: chatBody });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${target.name}: a chat completion answered ${res.status}: ${text.slice(0, 300)}`);
}

async function startGatewayTarget(upstreamUrl: string): Promise<{ target: Target; apiKey: string }> {
  const seed = await seedGatewayRoute(upstreamUrl);
  const child = await startChild("gateway", "./gateway.ts", { NODE_ENV: "production" });
  try {
    await waitReady(child.url);
    const target: Target = { name: "gateway", url: child.url, front: child };
    await smokeTest(target, seed.apiKey);
    return { target, apiKey: seed.apiKey };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

function log(message: string) {
  console.error(`gateway bench: ${message}`);
}

const fmt = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""}`;

/** A closed-loop autocannon run with the CPU the front process spent on it. */
async function measuredLoad(target: Target, apiKey: string, connections: number, durationS: number): Promise<MeasuredLoad> {
  const before = await target.front.cpuTime();
  const result = await runLoad({ baseUrl: target.url, apiKey, connections, durationS });
  const after = await target.front.cpuTime();
  return { ...result, frontCpuUsPerRequest: ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, result.ok + result.non2xx) };
}

async function throughputLadder(target: Target, apiKey: string, concurrencyOne: RoundsResult & MeasuredLoad): Promise<ThroughputResult> {
  const { rounds: _rounds, ...first } = concurrencyOne;
  const steps: MeasuredLoad[] = [first];
  for (const connections of PLAN.throughputConnections) {
    const step = await measuredLoad(target, apiKey, connections, PLAN.throughputStepS);
    steps.push(step);
    log(`${target.name} throughput, ${connections} connections: ${fmt(step)}, front CPU ${step.frontCpuUsPerRequest.toFixed(0)} µs/request`);
    await sleep(250);
    // Two steps in a row over the limit: one alone may be a pause of the machine, not the target.
    const last = steps.slice(-2);
    if (last.length === 2 && last.every((s) => s.p99Ms >= PLAN.p99LimitMs)) break;
  }
  const best = (list: MeasuredLoad[]) => list.reduce<MeasuredLoad | null>((a, b) => (a && a.rps >= b.rps ? a : b), null);
  return { steps, underLimit: best(steps.filter((s) => s.p99Ms < PLAN.p99LimitMs && s.non2xx === 0 && s.errors === 0)), max: best(steps)! };
}

export async function runGatewayBenchmarks(): Promise<GatewayReport> {
  const ranAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const children: Child[] = [];
  try {
    const upstream = await startChild("upstream", "./upstream.ts", {
      NODE_ENV: "production",
      BENCH_UPSTREAM_DELAY_MS: String(PLAN.upstream.delayMs),
      BENCH_UPSTREAM_CHUNKS: String(PLAN.upstream.chunks),
      BENCH_UPSTREAM_CHUNK_GAP_MS: String(PLAN.upstream.chunkGapMs),
    });
    children.push(upstream);
    const proxy = await startChild("proxy", "./proxy.ts", { NODE_ENV: "production", BENCH_PROXY_UPSTREAM: upstream.url });
    children.push(proxy);

    const targets: Target[] = [
      { name: "direct", url: upstream.url, front: upstream },
      { name: "proxy", url: proxy.url, front: proxy },
    ];
    // Every target gets the same request bytes, key included; the upstream and the proxy ignore it.
    let apiKey = "hx_00000000_bench-key-unused-by-the-upstream-and-the-bare-proxy";
    let gatewayError: string | null = null;
    try {
      const gateway = await startGatewayTarget(upstream.url);
      children.push(gateway.target.front);
      targets.push(gateway.target);
      apiKey = gateway.apiKey;
    } catch (error) {
      gatewayError = error instanceof Error ? error.message : String(error);
      log(`the gateway is not measured: ${gatewayError}`);
    }
    for (const t of targets) await smokeTest(t, apiKey);

    const pools = new Map(targets.map((t) => [t.name, pacedPool(t.url, PLAN.pacedConnections)]));
    try {
      for (const t of targets) {
        await runLoad({ baseUrl: t.url, apiKey, connections: 8, durationS: 1.5 });
        await runPaced({ pool: pools.get(t.name)!, apiKey, rate: 1000, durationS: 0.5 });
      }

      // Round r starts with target r, so no target always runs first (or right after the gateway).
      const inTurns = (round: number) => targets.map((_, i) => targets[(i + round) % targets.length]!);

      const c1Rounds = new Map<TargetName, MeasuredLoad[]>(targets.map((t) => [t.name, []]));
      for (let round = 0; round < PLAN.rounds; round++) {
        for (const t of inTurns(round)) {
          c1Rounds.get(t.name)!.push(await measuredLoad(t, apiKey, 1, PLAN.roundS));
          await sleep(150);
        }
      }
      const concurrencyOne: GatewayReport["concurrencyOne"] = {};
      for (const t of targets) {
        const rounds = c1Rounds.get(t.name)!;
        const requests = rounds.reduce((n, r) => n + r.ok + r.non2xx, 0);
        const cpuUs = rounds.reduce((n, r) => n + r.frontCpuUsPerRequest * (r.ok + r.non2xx), 0);
        concurrencyOne[t.name] = { ...combineRounds(rounds), frontCpuUsPerRequest: cpuUs / Math.max(1, requests) };
        log(`${t.name} at concurrency 1: ${fmt(concurrencyOne[t.name]!)}`);
      }

      const rates: GatewayReport["rates"] = [];
      for (const rate of PLAN.rates) {
        const bursts = new Map<TargetName, LoadResult[]>(targets.map((t) => [t.name, []]));
        const paced = new Map<TargetName, LoadResult[]>(targets.map((t) => [t.name, []]));
        for (let round = 0; round < PLAN.rounds; round++) {
          for (const t of inTurns(round)) {
            bursts.get(t.name)!.push(await runLoad({ baseUrl: t.url, apiKey, connections: PLAN.rateConnections, rate, durationS: PLAN.roundS }));
            await sleep(150);
            // A moment first, unrecorded, so connections the server closed while idle are open again.
            await runPaced({ pool: pools.get(t.name)!, apiKey, rate, durationS: 0.2 });
            paced.get(t.name)!.push(await runPaced({ pool: pools.get(t.name)!, apiKey, rate, durationS: PLAN.roundS }));
            await sleep(150);
          }
        }
        const entry: GatewayReport["rates"][number] = { rate, autocannon: {}, paced: {} };
        for (const t of targets) {
          entry.autocannon[t.name] = combineRounds(bursts.get(t.name)!);
          entry.paced[t.name] = combineRounds(paced.get(t.name)!);
          log(`${t.name} at ${rate} req/s: autocannon ${fmt(entry.autocannon[t.name]!)}; paced ${fmt(entry.paced[t.name]!)}`);
        }
        rates.push(entry);
      }

      const throughput: PerTarget<ThroughputResult> = {};
      for (const t of targets) throughput[t.name] = await throughputLadder(t, apiKey, concurrencyOne[t.name]!);

      // Where the gateway's throughput goes: the same gateway with telemetry off (no rows for
      // PostgreSQL to insert on the same cores). A diagnostic, not one of the targets.
      let withoutTelemetry: ThroughputResult | null = null;
      if (throughput.gateway && concurrencyOne.gateway) {
        const child = await startChild("gateway-no-telemetry", "./gateway.ts", { NODE_ENV: "production", BENCH_TELEMETRY: "0" });
        try {
          await waitReady(child.url);
          const target: Target = { name: "gateway", url: child.url, front: child };
          await smokeTest(target, apiKey);
          withoutTelemetry = await throughputLadder(target, apiKey, concurrencyOne.gateway);
        } finally {
          await child.stop();
        }
      }

      const streams: GatewayReport["streams"] = { sequential: {}, concurrent: {} };
      for (const t of targets) {
        streams.sequential[t.name] = await runStreams({ baseUrl: t.url, apiKey, streams: PLAN.streamsSequential, concurrency: 1 });
        streams.concurrent[t.name] = await runStreams({ baseUrl: t.url, apiKey, streams: PLAN.streamsConcurrent, concurrency: PLAN.streamConcurrency });
        const s = streams.sequential[t.name]!;
        log(`${t.name} streams: TTFT p50 ${s.ttftP50Ms.toFixed(3)} ms, gap p50 ${s.gapP50Ms.toFixed(3)} ms, ${s.failed} failed`);
      }

      const at1000 = rates.find((r) => r.rate === 1000);
      const added = (shape: "autocannon" | "paced") => {
        const g = at1000?.[shape].gateway;
        const d = at1000?.[shape].direct;
        return g && d ? g.p99Ms - d.p99Ms : null;
      };
      const gw = throughput.gateway;
      const px = throughput.proxy;
      return {
        ranAt,
        plan: PLAN,
        notes: NOTES,
        loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
        gatewayError,
        concurrencyOne,
        rates,
        throughput,
        gatewayWithoutTelemetry: withoutTelemetry,
        streams,
        targets: {
          p99AddedAt1000Ms: { autocannon: added("autocannon"), paced: added("paced"), limitMs: 1 },
          throughputVsProxy: {
            ratio: gw && px?.underLimit ? (gw.underLimit?.rps ?? 0) / px.underLimit.rps : null,
            maxRatio: gw && px ? gw.max.rps / px.max.rps : null,
            basis: `req/s at p99 < ${PLAN.p99LimitMs} ms, gateway / bare proxy`,
            limit: 0.85,
          },
        },
      };
    } finally {
      await Promise.all([...pools.values()].map((p) => p.close()));
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

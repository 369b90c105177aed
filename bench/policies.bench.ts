/**
 * What 20 active policies add to a gateway request: one gateway process, one upstream, two
 * organizations configured identically except that B has 20 enabled policies (bench/policies/seed.ts)
 * that are all evaluated on every request — deny and label checks, data residency, token caps, PII
 * conditions (PII detection on the request) and a REDACT of emails and cards in both directions
 * (the request and the answer go through the masker). The same request bytes go to A and B in
 * alternating rounds; what B adds is B − A. An in-process micro-benchmark of the gateway's policy
 * code (bench/policies/micro.ts) gives the CPU side of the figure.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/server/db";
import { startChild, type Child } from "./gateway/child";
import { combineRounds, pacedPool, type LoadResult, type RoundsResult } from "./gateway/load";
import { CHAT_PATH } from "./gateway/requests";
import { runClosedLoop, runPacedWith, runStreamsWith, type Send, type StreamRound } from "./policies/load";
import { runMicroBenchmarks, type MicroReport } from "./policies/micro";
import { DATA_LABELS, MAX_TOKENS, MESSAGE_PII, policiesChatBody, policiesHeaders, policiesStreamBody, USER_MESSAGE } from "./policies/requests";
import { AGENT_REGION, POLICY_SPECS, ROUTE_LABELS, seedPolicyOrgs } from "./policies/seed";

export const POLICIES_PLAN = {
  rate: 1000,
  /** paced rounds at `rate`, A and B taking turns (each round starts with the other one) */
  rounds: 5,
  roundS: 2,
  concurrencyOneRounds: 5,
  concurrencyOneRoundS: 1.2,
  /** the diagnostic gateway with telemetry off: concurrency 1 only */
  telemetryOffRounds: 3,
  streamRounds: 3,
  streamsPerRound: 40,
  pacedConnections: 64,
  upstream: { delayMs: 0, chunks: 8, chunkGapMs: 5 },
  /** the issue's goal: p99 added by 20 active policies at 1,000 req/s */
  goalAddedP99Ms: 0.2,
};

export type OrgName = "A" | "B";

export interface Compared<T> {
  A: T;
  B: T;
}

export interface Added {
  /** B − A of the medians of the rounds' percentiles */
  p50Ms: number;
  p99Ms: number;
  /** median and range of the per-round differences (B − A within a round pair) */
  p99PairedMedianMs: number;
  p99PairedMinMs: number;
  p99PairedMaxMs: number;
}

export type MeasuredRounds = RoundsResult & { gatewayCpuUsPerRequest: number };

export interface StreamCompared {
  A: StreamRound & { rounds: StreamRound[] };
  B: StreamRound & { rounds: StreamRound[] };
  addedTtftP50Ms: number;
  addedTtftP99Ms: number;
  addedTotalP50Ms: number;
  addedTotalP99Ms: number;
}

export interface PoliciesReport {
  ranAt: string;
  plan: typeof POLICIES_PLAN;
  notes: string[];
  /** 1-minute load average at the start and the end, and the cores it compares with */
  loadAverage: { start: number; end: number; cores: number };
  request: { messageChars: number; pii: string; dataLabels: string; maxTokens: number; routeLabels: string[]; agentRegion: string };
  policies: { name: string; scope: string; mode: string; effect: string; condition: string }[];
  /** requests that show the policies are live in the gateway for B and absent for A */
  checks: { name: string; org: OrgName; expected: number; status: number }[];
  paced: Compared<MeasuredRounds> & { added: Added; addedCpuUsPerRequest: number };
  concurrencyOne: Compared<MeasuredRounds> & { added: Added; addedCpuUsPerRequest: number };
  /** Diagnostic: concurrency 1 against a second gateway with telemetry off (what the decisions' telemetry costs). */
  concurrencyOneWithoutTelemetry: (Compared<MeasuredRounds> & { added: Added; addedCpuUsPerRequest: number }) | null;
  streams: StreamCompared;
  micro: MicroReport;
  /** B's telemetry request rows: how many carry policy decisions, and how many decisions per row */
  telemetry: { rowsB: number; rowsBWithDecisions: number; decisionsPerRow: number };
  goal: { limitMs: number; addedP99Ms: number; met: boolean };
}

const NOTES = [
  "One gateway process (telemetry on) and one upstream process (the gateway benchmark's), each a child process; the load generator runs in the benchmark process. Organizations A and B are configured identically (one OpenAI agent — the upstream — in eu-west-1, a LATENCY route `bench` labelled PII, an API key); B also has the 20 policies below. Both get the same request bytes but for the API key.",
  "Added = B − A. Each percentile is the median of the rounds' percentiles; the paired figures are the B − A differences within each round, whose range shows how much a p99 moves between neighbouring rounds on this machine.",
  "Gateway CPU µs/request: CPU time (user + system) of the gateway process over a round, per request: steadier than a p99, it shows what the policies cost the process.",
  "The micro-benchmark runs the gateway's own policy code (applyPolicies, decide, the PII masker) in the benchmark process on the same request, with the snapshot loaded from the database as the gateway loads it.",
];

function log(message: string) {
  console.error(`policies bench: ${message}`);
}

const fmt = (r: LoadResult) => `p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms, ${r.rps.toFixed(0)} req/s${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

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

async function status(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}${CHAT_PATH}`, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}

/** Rounds of one load against A and B in turns: round r starts with A when r is even, B when odd. */
async function inRounds(rounds: number, gateway: Child, run: (org: OrgName) => Promise<LoadResult>): Promise<Compared<MeasuredRounds>> {
  const results: Record<OrgName, { load: LoadResult; cpuUs: number }[]> = { A: [], B: [] };
  for (let round = 0; round < rounds; round++) {
    for (const org of round % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const)) {
      const before = await gateway.cpuTime();
      const load = await run(org);
      const after = await gateway.cpuTime();
      results[org].push({ load, cpuUs: ((after.cpuMs - before.cpuMs) * 1000) / Math.max(1, load.ok + load.non2xx) });
      await sleep(150);
    }
  }
  const combine = (org: OrgName): MeasuredRounds => {
    const r = results[org];
    const requests = r.reduce((n, x) => n + x.load.ok + x.load.non2xx, 0);
    const cpu = r.reduce((n, x) => n + x.cpuUs * (x.load.ok + x.load.non2xx), 0);
    return { ...combineRounds(r.map((x) => x.load)), gatewayCpuUsPerRequest: cpu / Math.max(1, requests) };
  };
  return { A: combine("A"), B: combine("B") };
}

function added(c: Compared<RoundsResult>): Added {
  const paired = c.B.rounds.map((b, i) => b.p99Ms - c.A.rounds[i]!.p99Ms);
  return {
    p50Ms: c.B.p50Ms - c.A.p50Ms,
    p99Ms: c.B.p99Ms - c.A.p99Ms,
    p99PairedMedianMs: median(paired),
    p99PairedMinMs: Math.min(...paired),
    p99PairedMaxMs: Math.max(...paired),
  };
}

function combineStreams(rounds: StreamRound[]): StreamRound & { rounds: StreamRound[] } {
  return {
    streams: rounds.reduce((n, r) => n + r.streams, 0),
    failed: rounds.reduce((n, r) => n + r.failed, 0),
    firstError: rounds.find((r) => r.firstError)?.firstError ?? null,
    chunksPerStream: median(rounds.map((r) => r.chunksPerStream)),
    ttftP50Ms: median(rounds.map((r) => r.ttftP50Ms)),
    ttftP99Ms: median(rounds.map((r) => r.ttftP99Ms)),
    totalP50Ms: median(rounds.map((r) => r.totalP50Ms)),
    totalP99Ms: median(rounds.map((r) => r.totalP99Ms)),
    rounds,
  };
}

export async function runPoliciesBenchmarks(): Promise<PoliciesReport> {
  const ranAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const children: Child[] = [];
  try {
    const upstream = await startChild("upstream", "./upstream.ts", {
      NODE_ENV: "production",
      BENCH_UPSTREAM_DELAY_MS: String(POLICIES_PLAN.upstream.delayMs),
      BENCH_UPSTREAM_CHUNKS: String(POLICIES_PLAN.upstream.chunks),
      BENCH_UPSTREAM_CHUNK_GAP_MS: String(POLICIES_PLAN.upstream.chunkGapMs),
    });
    children.push(upstream);
    const seed = await seedPolicyOrgs(upstream.url);
    log(`seeded organization A (no policies) and B (${seed.compiled.length} policies)`);

    // The CPU side first, while the machine is otherwise quiet.
    const micro = await runMicroBenchmarks(seed);
    for (const r of micro.results) log(`micro: ${r.name}: ${r.usPerCall.toFixed(2)} µs/call`);

    const gateway = await startChild("gateway", "./gateway.ts", { NODE_ENV: "production" });
    children.push(gateway);
    await waitReady(gateway.url);

    const keys: Record<OrgName, string> = { A: seed.a.apiKey, B: seed.b.apiKey };
    const checks: PoliciesReport["checks"] = [];
    const check = async (name: string, org: OrgName, expected: number, headers: Record<string, string>, body = policiesChatBody) => {
      const res = await status(gateway.url, headers, body);
      checks.push({ name, org, expected, status: res.status });
      if (res.status !== expected) throw new Error(`${name} (organization ${org}): expected ${expected}, got ${res.status}: ${res.text.slice(0, 300)}`);
    };
    await check("the benchmark request", "A", 200, policiesHeaders(keys.A));
    await check("the benchmark request", "B", 200, policiesHeaders(keys.B));
    await check("the benchmark request, streaming", "B", 200, policiesHeaders(keys.B), policiesStreamBody);
    await check('with header x-block (policy "Block flagged clients")', "B", 403, policiesHeaders(keys.B, { "x-block": "1" }));
    await check("with header x-block", "A", 200, policiesHeaders(keys.A, { "x-block": "1" }));
    await check('without the EU label (policy "Require EU label on the bench route")', "B", 403, policiesHeaders(keys.B, { "x-helix-data-labels": "PHI" }));

    const pools = { A: pacedPool(gateway.url, POLICIES_PLAN.pacedConnections), B: pacedPool(gateway.url, POLICIES_PLAN.pacedConnections) };
    const one = { A: pacedPool(gateway.url, 1), B: pacedPool(gateway.url, 1) };
    const send = (org: OrgName, pool = pools[org], body = policiesChatBody): Send => ({ pool, headers: policiesHeaders(keys[org]), body });
    try {
      // Warm-up: both organizations' paths compiled and connections open before anything is recorded.
      for (const org of ["A", "B"] as const) {
        await runClosedLoop({ ...send(org, one[org]), durationS: 1 });
        await runPacedWith({ ...send(org), rate: POLICIES_PLAN.rate, durationS: 1.5 });
        await runStreamsWith({ ...send(org, one[org], policiesStreamBody), streams: 5 });
      }

      const paced = await inRounds(POLICIES_PLAN.rounds, gateway, async (org) => {
        // A moment first, unrecorded, so connections the server closed while idle are open again.
        await runPacedWith({ ...send(org), rate: POLICIES_PLAN.rate, durationS: 0.2 });
        const r = await runPacedWith({ ...send(org), rate: POLICIES_PLAN.rate, durationS: POLICIES_PLAN.roundS });
        log(`paced ${POLICIES_PLAN.rate} req/s, organization ${org}: ${fmt(r)}`);
        return r;
      });
      const concurrencyOne = await inRounds(POLICIES_PLAN.concurrencyOneRounds, gateway, async (org) => {
        const r = await runClosedLoop({ ...send(org, one[org]), durationS: POLICIES_PLAN.concurrencyOneRoundS });
        log(`concurrency 1, organization ${org}: ${fmt(r)}`);
        return r;
      });
      const streamRounds: Record<OrgName, StreamRound[]> = { A: [], B: [] };
      for (let round = 0; round < POLICIES_PLAN.streamRounds; round++) {
        for (const org of round % 2 === 0 ? (["A", "B"] as const) : (["B", "A"] as const)) {
          const r = await runStreamsWith({ ...send(org, one[org], policiesStreamBody), streams: POLICIES_PLAN.streamsPerRound });
          streamRounds[org].push(r);
          log(`streams, organization ${org}: TTFT p50 ${r.ttftP50Ms.toFixed(3)} ms, whole stream p50 ${r.totalP50Ms.toFixed(3)} ms, ${r.failed} failed`);
          await sleep(150);
        }
      }
      const streamsA = combineStreams(streamRounds.A);
      const streamsB = combineStreams(streamRounds.B);

      // Stop the gateway so its telemetry is flushed, then read what it recorded for B.
      await gateway.stop();
      const [row] = await db().$queryRaw<{ rows: bigint; with_decisions: bigint; decisions: number | null }[]>`
        SELECT count(*) AS rows,
               count(*) FILTER (WHERE policy_decisions IS NOT NULL) AS with_decisions,
               avg(jsonb_array_length(policy_decisions))::float8 AS decisions
        FROM telemetry.gateway_events WHERE org_id = ${seed.b.orgId} AND kind = 'request'`;

      // Diagnostic: the same closed loop through a gateway with telemetry off, so the CPU the
      // policies add can be split into the request path and the decisions' telemetry rows.
      let withoutTelemetry: PoliciesReport["concurrencyOneWithoutTelemetry"] = null;
      const quiet = await startChild("gateway-no-telemetry", "./gateway.ts", { NODE_ENV: "production", BENCH_TELEMETRY: "0" });
      children.push(quiet);
      const quietPools = { A: pacedPool(quiet.url, 1), B: pacedPool(quiet.url, 1) };
      try {
        await waitReady(quiet.url);
        const sendQuiet = (org: OrgName): Send => ({ pool: quietPools[org], headers: policiesHeaders(keys[org]), body: policiesChatBody });
        for (const org of ["A", "B"] as const) await runClosedLoop({ ...sendQuiet(org), durationS: 0.8 });
        const c = await inRounds(POLICIES_PLAN.telemetryOffRounds, quiet, async (org) => {
          const r = await runClosedLoop({ ...sendQuiet(org), durationS: POLICIES_PLAN.concurrencyOneRoundS });
          log(`concurrency 1, telemetry off, organization ${org}: ${fmt(r)}`);
          return r;
        });
        withoutTelemetry = { ...c, added: added(c), addedCpuUsPerRequest: c.B.gatewayCpuUsPerRequest - c.A.gatewayCpuUsPerRequest };
      } finally {
        await Promise.all(Object.values(quietPools).map((p) => p.close()));
      }

      const pacedAdded = added(paced);
      return {
        ranAt,
        plan: POLICIES_PLAN,
        notes: NOTES,
        loadAverage: { start: loadAtStart, end: os.loadavg()[0]!, cores: os.cpus().length },
        request: { messageChars: USER_MESSAGE.length, pii: MESSAGE_PII, dataLabels: DATA_LABELS, maxTokens: MAX_TOKENS, routeLabels: ROUTE_LABELS, agentRegion: AGENT_REGION },
        policies: POLICY_SPECS.map((p) => ({ name: p.name, scope: p.scope, mode: p.mode ?? "ENFORCE", effect: p.effect, condition: p.condition })),
        checks,
        paced: { ...paced, added: pacedAdded, addedCpuUsPerRequest: paced.B.gatewayCpuUsPerRequest - paced.A.gatewayCpuUsPerRequest },
        concurrencyOne: {
          ...concurrencyOne,
          added: added(concurrencyOne),
          addedCpuUsPerRequest: concurrencyOne.B.gatewayCpuUsPerRequest - concurrencyOne.A.gatewayCpuUsPerRequest,
        },
        concurrencyOneWithoutTelemetry: withoutTelemetry,
        streams: {
          A: streamsA,
          B: streamsB,
          addedTtftP50Ms: streamsB.ttftP50Ms - streamsA.ttftP50Ms,
          addedTtftP99Ms: streamsB.ttftP99Ms - streamsA.ttftP99Ms,
          addedTotalP50Ms: streamsB.totalP50Ms - streamsA.totalP50Ms,
          addedTotalP99Ms: streamsB.totalP99Ms - streamsA.totalP99Ms,
        },
        micro,
        telemetry: { rowsB: Number(row?.rows ?? 0), rowsBWithDecisions: Number(row?.with_decisions ?? 0), decisionsPerRow: row?.decisions ?? 0 },
        goal: { limitMs: POLICIES_PLAN.goalAddedP99Ms, addedP99Ms: pacedAdded.p99Ms, met: pacedAdded.p99Ms <= POLICIES_PLAN.goalAddedP99Ms },
      };
    } finally {
      await Promise.all([...Object.values(pools), ...Object.values(one)].map((p) => p.close()));
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

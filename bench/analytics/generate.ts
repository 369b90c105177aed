/**
 * Synthetic gateway telemetry for the analytics benchmark: what a busy gateway writes over 30 days,
 * in time order, as the records `insertEvents` takes.
 *
 * The shape follows the gateway (server/gateway/engine.ts `record`): one request row plus one row
 * per attempt. A key is scoped to one route, a route has two agent targets (primary and failover),
 * so one hour of an organization has tens of distinct (route, agent, key, status class) groups,
 * not thousands. Traffic is skewed: a few organizations and keys carry most of it (Zipf), and it
 * follows the day (busier in working hours, quieter on weekends).
 */
import { randomUUID } from "node:crypto";
import type { TelemetryRecord } from "@/server/gateway/types";

export const WORLD = { orgs: 20, agentsPerOrg: 10, routesPerOrg: 5, keysPerOrg: 25, days: 30 };

const MINUTE_MS = 60_000;

/** A deterministic generator (mulberry32), so two runs write the same traffic. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative Zipf weights (exponent 1) over n items, for sampling by binary search. */
function zipfCumulative(n: number): number[] {
  const w = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / total));
}

function pickIndex(cumulative: readonly number[], u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A cuid-like id (25 characters), so keys and indexes are the size production's are. */
function idLike(r: () => number): string {
  let s = "c";
  for (let i = 0; i < 24; i++) s += "0123456789abcdefghijklmnopqrstuvwxyz"[Math.floor(r() * 36)];
  return s;
}

export interface OrgWorld {
  id: string;
  agents: string[];
  routes: { id: string; medianMs: number; agents: [number, number] }[];
  keys: { id: string; route: number }[];
  keyWeights: number[];
}

export interface World {
  orgs: OrgWorld[];
  orgWeights: number[];
  /** Each organization's expected share of the traffic. */
  orgShares: number[];
}

/** The organizations, agents, routes and keys; organization 0 carries the most traffic. */
export function makeWorld(seed = 1): World {
  const r = rng(seed);
  const orgs: OrgWorld[] = [];
  for (let o = 0; o < WORLD.orgs; o++) {
    const agents = Array.from({ length: WORLD.agentsPerOrg }, () => idLike(r));
    const routes = Array.from({ length: WORLD.routesPerOrg }, (_, i) => ({
      id: idLike(r),
      // 200 ms … 1.6 s median per route: some routes are chat, some are long tool-using agents.
      medianMs: Math.round(200 * 2 ** (r() * 3)),
      agents: [(2 * i) % WORLD.agentsPerOrg, (2 * i + 1) % WORLD.agentsPerOrg] as [number, number],
    }));
    const keys = Array.from({ length: WORLD.keysPerOrg }, (_, i) => ({ id: idLike(r), route: i % WORLD.routesPerOrg }));
    orgs.push({ id: idLike(r), agents, routes, keys, keyWeights: zipfCumulative(WORLD.keysPerOrg) });
  }
  const orgWeights = zipfCumulative(WORLD.orgs);
  return { orgs, orgWeights, orgShares: orgWeights.map((c, i) => c - (orgWeights[i - 1] ?? 0)) };
}

/** Traffic weight of a minute: a day curve (peak mid-afternoon UTC) and quieter weekends. */
function minuteWeight(ms: number): number {
  const d = new Date(ms);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const day = 0.35 + 0.65 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) ** 1.5;
  const weekday = d.getUTCDay();
  return day * (weekday === 0 || weekday === 6 ? 0.45 : 1);
}

/** Events per request on average with the mix below (request row + ~1.04 attempts). */
export const EVENTS_PER_REQUEST = 2.04;

export interface GeneratedCounts {
  events: number;
  requests: number;
  attempts: number;
  /** request rows answered 5xx (the errors analytics counts) */
  errors: number;
  streams: number;
  /** request rows per organization */
  requestsByOrg: number[];
}

/**
 * Yields batches of `batchSize` records (the last may be shorter), `events` in all, time-ordered over
 * [end − days, end).
 */
export function* generateEvents(opts: { world: World; events: number; end: number; batchSize: number; seed?: number; counts: GeneratedCounts }) {
  const { world, events, end, batchSize, counts } = opts;
  const r = rng(opts.seed ?? 7);
  // Standard normal by Box–Muller, for log-normal latencies and tokens.
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const logNormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());
  const hex32 = () => {
    let s = "";
    for (let i = 0; i < 4; i++) s += (Math.floor(r() * 2 ** 32) >>> 0).toString(16).padStart(8, "0");
    return s;
  };

  const start = Math.floor((end - WORLD.days * 24 * 60 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const minutes = Math.floor((end - start) / MINUTE_MS);
  let totalWeight = 0;
  for (let m = 0; m < minutes; m++) totalWeight += minuteWeight(start + m * MINUTE_MS);
  const requestsWanted = events / EVENTS_PER_REQUEST;

  let batch: TelemetryRecord[] = [];
  let carry = 0;
  for (let m = 0; m < minutes && counts.events < events; m++) {
    const minuteStart = start + m * MINUTE_MS;
    carry += (requestsWanted * minuteWeight(minuteStart)) / totalWeight;
    const n = Math.floor(carry);
    carry -= n;
    // Requests of the minute in start order, as a gateway flushes them.
    const offsets = Array.from({ length: n }, () => Math.floor(r() * MINUTE_MS)).sort((a, b) => a - b);
    for (const offset of offsets) {
      if (counts.events >= events) break;
      const o = pickIndex(world.orgWeights, r());
      const org = world.orgs[o]!;
      const key = org.keys[pickIndex(org.keyWeights, r())]!;
      const route = org.routes[key.route]!;
      const requestId = randomUUID();
      const traceId = hex32();
      const startedAt = minuteStart + offset;
      const stream = r() < 0.3;
      const tokensIn = Math.round(logNormal(400, 0.9));
      const model = "chat-default";

      // Outcome: ~2 % answered 5xx, ~0.6 % 4xx, ~4 % needed a second attempt on the other agent.
      const u = r();
      const noCandidates = u < 0.002;
      const failed = u < 0.02;
      const clientError = !failed && u < 0.026;
      const retried = !noCandidates && (u < 0.012 || (u > 0.03 && u < 0.062));
      const status = failed ? (noCandidates ? 503 : u < 0.012 ? 502 : 504) : clientError ? (u < 0.023 ? 429 : 400) : 200;
      const errorClass: TelemetryRecord["errorClass"] = noCandidates
        ? "no_candidates"
        : failed
          ? status === 502
            ? "http_5xx"
            : "timeout"
          : clientError
            ? status === 429
              ? "http_429"
              : "http_4xx"
            : null;

      const attemptCount = noCandidates ? 0 : retried ? 2 : 1;
      let elapsed = 0;
      let tokensOutTotal = 0;
      let cost: number | null = null;
      let ttftMs: number | null = null;
      let lastAgent: string | null = null;
      for (let a = 0; a < attemptCount; a++) {
        const agent = org.agents[route.agents[a]!]!;
        const last = a === attemptCount - 1;
        const ok = last && status === 200;
        const latencyMs = Math.max(1, Math.round(last ? logNormal(route.medianMs, 0.7) : logNormal(route.medianMs / 2, 0.6)));
        const tokensOut = ok ? Math.round(logNormal(250, 0.8)) : 0;
        const attemptCost = ok ? (tokensIn * 3 + tokensOut * 15) / 1e6 : null;
        const attemptTtft = ok && stream ? Math.max(1, Math.round(latencyMs * (0.05 + 0.35 * r()))) : null;
        batch.push({
          id: randomUUID(),
          kind: "attempt",
          requestId,
          at: startedAt + elapsed,
          orgId: org.id,
          apiKeyId: key.id,
          routeId: route.id,
          agentId: agent,
          protocol: "openai",
          model,
          stream,
          status: last ? (status === 503 ? 502 : status) : 502,
          errorClass: last ? errorClass : "http_5xx",
          latencyMs,
          ttftMs: attemptTtft,
          tokensIn: ok ? tokensIn : 0,
          tokensOut,
          costUsd: attemptCost,
          attempt: a + 1,
          retry: a > 0,
          failover: a > 0,
          traceId,
          subject: null,
          policyDecisions: null,
          pluginCalls: null,
        });
        counts.attempts++;
        if (attemptTtft !== null) ttftMs = elapsed + attemptTtft;
        elapsed += latencyMs;
        tokensOutTotal += tokensOut;
        if (attemptCost !== null) cost = (cost ?? 0) + attemptCost;
        lastAgent = agent;
      }
      batch.push({
        id: requestId,
        kind: "request",
        requestId,
        at: startedAt,
        orgId: org.id,
        apiKeyId: key.id,
        routeId: route.id,
        agentId: status === 200 ? lastAgent : null,
        protocol: "openai",
        model,
        stream,
        status,
        errorClass,
        latencyMs: Math.max(1, elapsed + 1),
        ttftMs,
        tokensIn: status === 200 ? tokensIn : 0,
        tokensOut: tokensOutTotal,
        costUsd: cost,
        attempt: attemptCount,
        retry: attemptCount > 1,
        failover: attemptCount > 1,
        traceId,
        subject: null,
        policyDecisions: null,
          pluginCalls: null,
      });
      counts.requests++;
      counts.requestsByOrg[o]!++;
      if (status >= 500) counts.errors++;
      if (stream) counts.streams++;
      counts.events += attemptCount + 1;
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

export function emptyCounts(): GeneratedCounts {
  return { events: 0, requests: 0, attempts: 0, errors: 0, streams: 0, requestsByOrg: new Array<number>(WORLD.orgs).fill(0) };
}

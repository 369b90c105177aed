import type { Recommendation, Severity } from "./schema";

// Pure rules over per-(route, agent) numbers of a range: each finding says what to change and
// carries the numbers it rests on. No rule speaks below MIN_REQUESTS requests.

/** Requests a route/agent pair (or an agent) needs in the range before any rule speaks about it. */
export const MIN_REQUESTS = 50;
/** Feedback a pair needs before its quality counts as known. */
export const MIN_FEEDBACK = 10;

/** A pair's p95 at least this many times the fastest agent's on the same route… */
export const LATENCY_GAP_FACTOR = 3;
/** …with quality within this distance (scores 0..1) suggests shifting weight. */
export const QUALITY_TOLERANCE = 0.05;

/** Share of a pair's requests that were retries: warn at this, critical at the next. */
export const RETRY_SHARE_WARNING = 0.1;
export const RETRY_SHARE_CRITICAL = 0.25;

/** Cost per successful answer at least this many times the cheapest agent's on the same route. */
export const COST_GAP_FACTOR = 2;
export const COST_GAP_WARNING_FACTOR = 5;

/** An agent's error rate (5xx answers / requests) above this warns, above the next is critical. */
export const ERROR_RATE_WARNING = 0.05;
export const ERROR_RATE_CRITICAL = 0.2;

/** Numbers of one (route, agent) pair over the range; "" ids for traffic without one. */
export interface PairStats {
  routeId: string;
  agentId: string;
  requests: number;
  /** 5xx answers. */
  errors: number;
  /** 2xx answers. */
  successes: number;
  retries: number;
  failovers: number;
  costUsd: number;
  p95Ms: number | null;
  /** Mean feedback score 0..1, null without feedback. */
  quality: number | null;
  feedbackCount: number;
}

export interface RecommendInput {
  pairs: PairStats[];
  routeNames: ReadonlyMap<string, string>;
  agentNames: ReadonlyMap<string, string>;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

const round = (n: number, digits = 4) => Number(n.toFixed(digits));
const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;
const times = (factor: number) => `${factor >= 10 ? Math.round(factor) : round(factor, 1)}×`;

function byRoute(pairs: PairStats[]): Map<string, PairStats[]> {
  const out = new Map<string, PairStats[]>();
  for (const p of pairs) {
    if (!p.routeId || !p.agentId) continue;
    const list = out.get(p.routeId) ?? [];
    list.push(p);
    out.set(p.routeId, list);
  }
  return out;
}

/** Agent X much slower than agent Y on the same route while answering as well: move weight to Y. */
export function latencyGapRule(input: RecommendInput): Recommendation[] {
  const out: Recommendation[] = [];
  for (const [routeId, pairs] of byRoute(input.pairs)) {
    const eligible = pairs.filter((p) => p.requests >= MIN_REQUESTS && p.p95Ms !== null && p.quality !== null && p.feedbackCount >= MIN_FEEDBACK);
    for (const slow of eligible) {
      const faster = eligible
        .filter((fast) => fast !== slow && Math.abs(fast.quality! - slow.quality!) <= QUALITY_TOLERANCE + 1e-9 && slow.p95Ms! >= LATENCY_GAP_FACTOR * fast.p95Ms!)
        .sort((a, b) => a.p95Ms! - b.p95Ms!)[0];
      if (!faster) continue;
      const route = input.routeNames.get(routeId) ?? routeId;
      const slowName = input.agentNames.get(slow.agentId) ?? slow.agentId;
      const fastName = input.agentNames.get(faster.agentId) ?? faster.agentId;
      const factor = slow.p95Ms! / faster.p95Ms!;
      out.push({
        id: `latency-gap:${routeId}:${slow.agentId}:${faster.agentId}`,
        kind: "latency-gap",
        severity: "warning",
        title: `Shift weight from ${slowName} to ${fastName} on ${route}`,
        detail: `${slowName} answers ${route} with a p95 of ${Math.round(slow.p95Ms!)} ms, ${times(factor)} the ${Math.round(faster.p95Ms!)} ms of ${fastName}, and their quality is about the same (${round(slow.quality!, 2)} vs ${round(faster.quality!, 2)}).`,
        evidence: {
          p95Ms: round(slow.p95Ms!, 1),
          fasterP95Ms: round(faster.p95Ms!, 1),
          factor: round(factor, 2),
          quality: round(slow.quality!),
          fasterQuality: round(faster.quality!),
          requests: slow.requests,
          fasterRequests: faster.requests,
          fasterAgentId: faster.agentId,
        },
        routeId,
        agentId: slow.agentId,
      });
    }
  }
  return out;
}

/** A route that retries a large share of its requests to one agent. */
export function retryRule(input: RecommendInput): Recommendation[] {
  const out: Recommendation[] = [];
  for (const [routeId, pairs] of byRoute(input.pairs)) {
    for (const p of pairs) {
      if (p.requests < MIN_REQUESTS) continue;
      const share = p.retries / p.requests;
      if (share < RETRY_SHARE_WARNING) continue;
      const route = input.routeNames.get(routeId) ?? routeId;
      const agent = input.agentNames.get(p.agentId) ?? p.agentId;
      out.push({
        id: `retries:${routeId}:${p.agentId}`,
        kind: "retries",
        severity: share >= RETRY_SHARE_CRITICAL ? "critical" : "warning",
        title: `${route} retries ${pct(share)} of requests to ${agent}`,
        detail: `${p.retries} of ${p.requests} requests to ${agent} on ${route} were retries (${p.failovers} failovers). Check the agent's health and timeouts, or lower its weight.`,
        evidence: {
          retries: p.retries,
          failovers: p.failovers,
          requests: p.requests,
          retryShare: round(share),
          failoverShare: round(p.failovers / p.requests),
        },
        routeId,
        agentId: p.agentId,
      });
    }
  }
  return out;
}

/** On each route, the agent whose successful answers cost most compared with the cheapest one. */
export function costRule(input: RecommendInput): Recommendation[] {
  const out: Recommendation[] = [];
  for (const [routeId, pairs] of byRoute(input.pairs)) {
    const priced = pairs
      .filter((p) => p.requests >= MIN_REQUESTS && p.successes > 0 && p.costUsd > 0)
      .map((p) => ({ p, perSuccess: p.costUsd / p.successes }))
      .sort((a, b) => a.perSuccess - b.perSuccess);
    if (priced.length < 2) continue;
    const cheapest = priced[0]!;
    const dearest = priced[priced.length - 1]!;
    const factor = dearest.perSuccess / cheapest.perSuccess;
    if (factor < COST_GAP_FACTOR) continue;
    const route = input.routeNames.get(routeId) ?? routeId;
    const dear = input.agentNames.get(dearest.p.agentId) ?? dearest.p.agentId;
    const cheap = input.agentNames.get(cheapest.p.agentId) ?? cheapest.p.agentId;
    const evidence: Recommendation["evidence"] = {
      costPerSuccessUsd: round(dearest.perSuccess, 6),
      cheapestCostPerSuccessUsd: round(cheapest.perSuccess, 6),
      factor: round(factor, 2),
      successes: dearest.p.successes,
      cheapestSuccesses: cheapest.p.successes,
      cheapestAgentId: cheapest.p.agentId,
    };
    if (dearest.p.quality !== null) evidence.quality = round(dearest.p.quality);
    if (cheapest.p.quality !== null) evidence.cheapestQuality = round(cheapest.p.quality);
    out.push({
      id: `cost-per-success:${routeId}:${dearest.p.agentId}`,
      kind: "cost-per-success",
      severity: factor >= COST_GAP_WARNING_FACTOR ? "warning" : "info",
      title: `${dear} costs ${times(factor)} as much per successful answer as ${cheap} on ${route}`,
      detail: `A successful answer on ${route} costs $${dearest.perSuccess.toPrecision(3)} from ${dear} and $${cheapest.perSuccess.toPrecision(3)} from ${cheap}. If their answers are as good, give ${cheap} more weight.`,
      evidence,
      routeId,
      agentId: dearest.p.agentId,
    });
  }
  return out;
}

/** Agents (over all their routes) whose error rate is above ERROR_RATE_WARNING. */
export function errorRateRule(input: RecommendInput): Recommendation[] {
  const agents = new Map<string, { requests: number; errors: number }>();
  for (const p of input.pairs) {
    if (!p.agentId) continue;
    const a = agents.get(p.agentId) ?? { requests: 0, errors: 0 };
    a.requests += p.requests;
    a.errors += p.errors;
    agents.set(p.agentId, a);
  }
  const out: Recommendation[] = [];
  for (const [agentId, a] of agents) {
    if (a.requests < MIN_REQUESTS) continue;
    const rate = a.errors / a.requests;
    if (rate <= ERROR_RATE_WARNING) continue;
    const agent = input.agentNames.get(agentId) ?? agentId;
    out.push({
      id: `error-rate:${agentId}`,
      kind: "error-rate",
      severity: rate > ERROR_RATE_CRITICAL ? "critical" : "warning",
      title: `${agent} fails ${pct(rate)} of requests`,
      detail: `${a.errors} of ${a.requests} requests answered by ${agent} failed on the agent's side (5xx), above the ${pct(ERROR_RATE_WARNING)} this check allows.`,
      evidence: { errors: a.errors, requests: a.requests, errorRate: round(rate), threshold: ERROR_RATE_WARNING },
      agentId,
    });
  }
  return out;
}

export const RULES = [errorRateRule, retryRule, latencyGapRule, costRule] as const;

/** Every rule's findings, most severe first (stable order within a severity). */
export function recommend(input: RecommendInput): Recommendation[] {
  return RULES.flatMap((rule) => rule(input)).sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
  );
}

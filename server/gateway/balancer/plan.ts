/**
 * The order in which one request tries a route's agents: the first for the first attempt, the
 * next ones for retries and failover.
 *
 * - WEIGHTED: a weighted random order, i.e. sampling without replacement in proportion to weight
 *   (exponential clocks: each agent draws −ln(u)/weight and the smallest goes first, which is
 *   the Efraimidis–Spirakis method: one random number per agent and one sort).
 * - PRIORITY: groups by ascending priority number, weighted random within a group.
 * - LATENCY and CAPABILITY: power of two choices over the peak-EWMA cost, as in Finagle and
 *   Linkerd. Two distinct agents are drawn at random (in proportion to weight) and the cheaper
 *   goes first; the rest follow by cost. Comparing two random agents rather than taking the
 *   cheapest of all keeps a fleet of gateways, each with its own slightly stale view, from
 *   sending everything to the same agent, while still avoiding the slow ones.
 *
 * Weight 0 means last resort: such an agent comes after every agent with a weight (within its
 * priority group for PRIORITY). Agents whose breaker would refuse an attempt come after all
 * others; the breaker itself is asked at attempt time, since asking here would use up half-open
 * probes for agents that may never be tried.
 */
import type { StrategyName } from "../types";
import type { BreakerConfig, CircuitBreakers } from "./breaker";
import type { AgentStats, LatencySignal } from "./stats";

export interface PlanTarget {
  agentId: string;
  weight: number;
  priority: number;
}

export interface PlanInput {
  strategy: StrategyName;
  /** Eligible agents (healthy, enabled), each agent once. */
  targets: readonly PlanTarget[];
  /** Which latency the request waits for: "ttft" for streams, "total" otherwise. */
  signal: LatencySignal;
  stats: AgentStats;
  breakers: CircuitBreakers;
  breakerConfig: BreakerConfig;
  now: number;
  random: () => number;
  /** Agents already tried for this request; left out of the plan. */
  exclude?: ReadonlySet<string>;
}

const BLOCKED = 1;
const ZERO_WEIGHT = 2;

/** Every eligible target's agent id, best first. */
export function planAttempts(input: PlanInput): string[] {
  const { targets, exclude, strategy, random } = input;
  const n = targets.length;

  // Candidate target indexes, in target order.
  const order = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (!exclude?.has(targets[i]!.agentId)) order[m++] = i;
  if (m === 0) return [];
  if (m === 1) return [targets[order[0]!]!.agentId];

  // Sort keys per target index: flags, then group, then key (all ascending).
  const flags = new Uint8Array(n);
  const group = new Float64Array(n);
  const key = new Float64Array(n);
  const latency = strategy === "LATENCY" || strategy === "CAPABILITY";

  for (let c = 0; c < m; c++) {
    const i = order[c]!;
    const t = targets[i]!;
    const w = weightOf(t);
    if (w === 0) flags[i]! |= ZERO_WEIGHT;
    if (!input.breakers.isAvailable(t.agentId, input.breakerConfig, input.now)) flags[i]! |= BLOCKED;
    if (latency) {
      key[i] = input.stats.cost(t.agentId, input.signal, input.now);
    } else {
      if (strategy === "PRIORITY") group[i] = Number.isFinite(t.priority) ? t.priority : Infinity;
      // An exponential clock with rate = weight; zero weights draw among themselves.
      const clock = -Math.log(1 - random());
      key[i] = w > 0 ? clock / w : clock;
    }
  }

  if (latency) {
    const first = twoChoices(targets, order, m, flags, key, random);
    if (first >= 0) group[first] = -Infinity;
  }

  // Insertion sort: stable, no allocation, and quick for the ≤ 50 targets of a route.
  for (let c = 1; c < m; c++) {
    const i = order[c]!;
    let d = c - 1;
    while (d >= 0 && before(i, order[d]!, flags, group, key)) {
      order[d + 1] = order[d]!;
      d--;
    }
    order[d + 1] = i;
  }

  const plan = new Array<string>(m);
  for (let c = 0; c < m; c++) plan[c] = targets[order[c]!]!.agentId;
  return plan;
}

function weightOf(t: PlanTarget): number {
  return Number.isFinite(t.weight) && t.weight > 0 ? t.weight : 0;
}

function before(a: number, b: number, flags: Uint8Array, group: Float64Array, key: Float64Array): boolean {
  const fa = flags[a]! & BLOCKED;
  const fb = flags[b]! & BLOCKED;
  if (fa !== fb) return fa < fb;
  if (group[a] !== group[b]) return group[a]! < group[b]!;
  const za = flags[a]! & ZERO_WEIGHT;
  const zb = flags[b]! & ZERO_WEIGHT;
  if (za !== zb) return za < zb;
  return key[a]! < key[b]!;
}

/**
 * Power of two choices among the available candidates with a weight (or, when none has one,
 * among all available candidates, uniformly): the target index of the cheaper of two distinct
 * random picks, or -1 when no candidate is available.
 */
function twoChoices(
  targets: readonly PlanTarget[],
  order: Int32Array,
  m: number,
  flags: Uint8Array,
  cost: Float64Array,
  random: () => number,
): number {
  let weighted = 0;
  let available = 0;
  let total = 0;
  for (let c = 0; c < m; c++) {
    const i = order[c]!;
    if (flags[i]! & BLOCKED) continue;
    available++;
    if (!(flags[i]! & ZERO_WEIGHT)) {
      weighted++;
      total += weightOf(targets[i]!);
    }
  }
  if (available === 0) return -1;
  const byWeight = weighted > 0;
  const poolFlags = byWeight ? BLOCKED | ZERO_WEIGHT : BLOCKED;
  const size = byWeight ? weighted : available;

  const a = draw(targets, order, m, flags, poolFlags, byWeight, byWeight ? total : size, -1, random);
  if (size < 2) return a;
  const rest = byWeight ? total - weightOf(targets[a]!) : size - 1;
  const b = draw(targets, order, m, flags, poolFlags, byWeight, rest, a, random);
  return cost[b]! < cost[a]! ? b : a;
}

/** One random candidate without any of `poolFlags` other than `skip`, by weight or uniformly. */
function draw(
  targets: readonly PlanTarget[],
  order: Int32Array,
  m: number,
  flags: Uint8Array,
  poolFlags: number,
  byWeight: boolean,
  total: number,
  skip: number,
  random: () => number,
): number {
  let r = byWeight ? random() * total : Math.floor(random() * total);
  let last = -1;
  for (let c = 0; c < m; c++) {
    const i = order[c]!;
    if (i === skip || flags[i]! & poolFlags) continue;
    last = i;
    const share = byWeight ? weightOf(targets[i]!) : 1;
    if (r < share) return i;
    r -= share;
  }
  return last; // rounding left r at the very end
}

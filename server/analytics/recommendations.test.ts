import { describe, expect, it } from "vitest";
import {
  costRule,
  errorRateRule,
  latencyGapRule,
  MIN_REQUESTS,
  recommend,
  retryRule,
  type PairStats,
  type RecommendInput,
} from "./recommendations";

const pair = (overrides: Partial<PairStats> & Pick<PairStats, "routeId" | "agentId">): PairStats => ({
  requests: 100,
  errors: 0,
  successes: 100,
  retries: 0,
  failovers: 0,
  costUsd: 1,
  p95Ms: 200,
  quality: 0.8,
  feedbackCount: 30,
  ...overrides,
});

const input = (pairs: PairStats[]): RecommendInput => ({
  pairs,
  routeNames: new Map([["r1", "Support"], ["r2", "Search"]]),
  agentNames: new Map([["a", "Atlas"], ["b", "Borealis"], ["c", "Cirrus"]]),
});

describe("latency gap", () => {
  it("suggests shifting weight to an agent 3× faster on the same route with quality within 0.05", () => {
    const [item, ...rest] = latencyGapRule(input([pair({ routeId: "r1", agentId: "a", p95Ms: 900, quality: 0.8 }), pair({ routeId: "r1", agentId: "b", p95Ms: 300, quality: 0.84 })]));
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      kind: "latency-gap",
      severity: "warning",
      title: "Shift weight from Atlas to Borealis on Support",
      routeId: "r1",
      agentId: "a",
      evidence: { p95Ms: 900, fasterP95Ms: 300, factor: 3, quality: 0.8, fasterQuality: 0.84, fasterAgentId: "b" },
    });
  });

  it("stays quiet when quality differs, the gap is smaller, the agents serve different routes, or feedback is thin", () => {
    const fast = { routeId: "r1", agentId: "b", p95Ms: 300, quality: 0.8 };
    expect(latencyGapRule(input([pair({ routeId: "r1", agentId: "a", p95Ms: 900, quality: 0.7 }), pair(fast)]))).toEqual([]);
    expect(latencyGapRule(input([pair({ routeId: "r1", agentId: "a", p95Ms: 850, quality: 0.8 }), pair(fast)]))).toEqual([]);
    expect(latencyGapRule(input([pair({ routeId: "r2", agentId: "a", p95Ms: 900 }), pair(fast)]))).toEqual([]);
    expect(latencyGapRule(input([pair({ routeId: "r1", agentId: "a", p95Ms: 900, feedbackCount: 3 }), pair(fast)]))).toEqual([]);
    expect(latencyGapRule(input([pair({ routeId: "r1", agentId: "a", p95Ms: 900, quality: null }), pair(fast)]))).toEqual([]);
    expect(latencyGapRule(input([pair({ routeId: "r1", agentId: "a", p95Ms: 900, requests: MIN_REQUESTS - 1 }), pair(fast)]))).toEqual([]);
  });
});

describe("retries", () => {
  it("reports the share of a route's requests to an agent that were retries", () => {
    const items = retryRule(input([pair({ routeId: "r1", agentId: "a", requests: 200, retries: 36, failovers: 4 }), pair({ routeId: "r1", agentId: "b", retries: 9 })]));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: "retries:r1:a",
      severity: "warning",
      title: "Support retries 18% of requests to Atlas",
      evidence: { retries: 36, failovers: 4, requests: 200, retryShare: 0.18, failoverShare: 0.02 },
    });
  });

  it("is critical from a quarter of requests, and needs traffic without a route to be ignored", () => {
    expect(retryRule(input([pair({ routeId: "r1", agentId: "a", retries: 25 })]))[0]!.severity).toBe("critical");
    expect(retryRule(input([pair({ routeId: "", agentId: "a", retries: 50 })]))).toEqual([]);
    expect(retryRule(input([pair({ routeId: "r1", agentId: "a", requests: 40, retries: 20 })]))).toEqual([]);
  });
});

describe("cost per successful answer", () => {
  it("names the dearest agent on a route and how many times the cheapest it costs", () => {
    const items = costRule(
      input([
        pair({ routeId: "r1", agentId: "a", costUsd: 3, successes: 100 }),
        pair({ routeId: "r1", agentId: "b", costUsd: 1, successes: 100 }),
        pair({ routeId: "r1", agentId: "c", costUsd: 2.4, successes: 60 }),
      ]),
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      kind: "cost-per-success",
      severity: "info",
      agentId: "c",
      title: "Cirrus costs 4× as much per successful answer as Borealis on Support",
      evidence: { costPerSuccessUsd: 0.04, cheapestCostPerSuccessUsd: 0.01, factor: 4, successes: 60, cheapestAgentId: "b" },
    });
  });

  it("warns from 5×, and says nothing below 2× or with one agent", () => {
    expect(costRule(input([pair({ routeId: "r1", agentId: "a", costUsd: 5 }), pair({ routeId: "r1", agentId: "b", costUsd: 1 })]))[0]!.severity).toBe("warning");
    expect(costRule(input([pair({ routeId: "r1", agentId: "a", costUsd: 1.9 }), pair({ routeId: "r1", agentId: "b", costUsd: 1 })]))).toEqual([]);
    expect(costRule(input([pair({ routeId: "r1", agentId: "a", costUsd: 9 })]))).toEqual([]);
  });
});

describe("error rate", () => {
  it("adds up an agent's routes and warns above 5%, critical above 20%", () => {
    const items = errorRateRule(
      input([
        pair({ routeId: "r1", agentId: "a", requests: 100, errors: 4 }),
        pair({ routeId: "r2", agentId: "a", requests: 100, errors: 8 }),
        pair({ routeId: "r1", agentId: "b", requests: 100, errors: 30 }),
        pair({ routeId: "r1", agentId: "c", requests: 100, errors: 5 }),
      ]),
    );
    expect(items.map((i) => [i.agentId, i.severity, i.evidence.errorRate])).toEqual([
      ["a", "warning", 0.06],
      ["b", "critical", 0.3],
    ]);
    expect(items[0]).toMatchObject({ title: "Atlas fails 6% of requests", evidence: { errors: 12, requests: 200 } });
  });

  it("needs the minimum of requests", () => {
    expect(errorRateRule(input([pair({ routeId: "r1", agentId: "a", requests: MIN_REQUESTS - 1, errors: 40 })]))).toEqual([]);
  });
});

describe("recommend", () => {
  it("puts the most severe first and ids stay the same for the same finding", () => {
    const pairs = [pair({ routeId: "r1", agentId: "a", errors: 30, retries: 12 }), pair({ routeId: "r1", agentId: "b", costUsd: 3 })];
    const first = recommend(input(pairs));
    expect(first.map((i) => [i.kind, i.severity])).toEqual([
      ["error-rate", "critical"],
      ["retries", "warning"],
      ["cost-per-success", "info"],
    ]);
    expect(recommend(input([...pairs].reverse())).map((i) => i.id)).toEqual(first.map((i) => i.id));
  });
});

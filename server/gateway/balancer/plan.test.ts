import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "@/fleet/behaviour";
import { CircuitBreakers } from "./breaker";
import { planAttempts, type PlanInput, type PlanTarget } from "./plan";
import { AgentStats } from "./stats";

const breakerConfig = { failureThreshold: 1, cooldownMs: 1_000 };

function setup(strategy: PlanInput["strategy"], targets: PlanTarget[], seed = 1) {
  const stats = new AgentStats();
  const breakers = new CircuitBreakers();
  const random = createRng(seed);
  const plan = (now = 0, exclude?: ReadonlySet<string>) =>
    planAttempts({ strategy, targets, signal: "total", stats, breakers, breakerConfig, now, random, exclude });
  return { stats, breakers, plan };
}

const t = (agentId: string, weight = 100, priority = 0): PlanTarget => ({ agentId, weight, priority });

/** How often each agent comes first over `draws` plans. */
function firstShares(plan: () => string[], draws: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < draws; i++) {
    const first = plan()[0]!;
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / draws]));
}

describe("planAttempts", () => {
  it("handles no targets, one target and tried agents", () => {
    const { plan } = setup("WEIGHTED", [t("a"), t("b"), t("c")]);
    expect(setup("LATENCY", []).plan()).toEqual([]);
    expect(setup("LATENCY", [t("a", 0)]).plan()).toEqual(["a"]);
    expect(plan(0, new Set(["a", "c"]))).toEqual(["b"]);
    expect(plan(0, new Set(["a", "b", "c"]))).toEqual([]);
    expect(plan(0, new Set(["b"])).sort()).toEqual(["a", "c"]);
  });

  it("always returns each eligible agent exactly once, whatever the strategy and state", () => {
    const strategies = ["WEIGHTED", "PRIORITY", "LATENCY", "CAPABILITY"] as const;
    const target = fc.record({ weight: fc.integer({ min: 0, max: 1000 }), priority: fc.integer({ min: 0, max: 3 }), open: fc.boolean(), ms: fc.nat(500) });
    fc.assert(
      fc.property(fc.constantFrom(...strategies), fc.array(target, { maxLength: 12 }), fc.nat(), fc.array(fc.nat(11)), (strategy, specs, seed, tried) => {
        const targets = specs.map((s, i) => t(`a${i}`, s.weight, s.priority));
        const { plan, stats, breakers } = setup(strategy, targets, seed);
        specs.forEach((s, i) => {
          if (s.ms > 0) stats.finish(`a${i}`, { signal: "total", ms: s.ms }, 0);
          if (s.open) breakers.onFailure(`a${i}`, breakerConfig, 0);
        });
        const exclude = new Set(tried.map((i) => `a${i}`));
        const order = plan(0, exclude);
        const expected = targets.map((x) => x.agentId).filter((id) => !exclude.has(id));
        expect([...order].sort()).toEqual(expected.sort());
        // Ejected agents come last.
        const open = order.map((id) => specs[Number(id.slice(1))]!.open);
        expect(open).toEqual([...open].sort((x, y) => Number(x) - Number(y)));
      }),
    );
  });

  describe("WEIGHTED", () => {
    it("orders by weight: first place in proportion, later places as sampling without replacement", () => {
      const { plan } = setup("WEIGHTED", [t("a", 10), t("b", 20), t("c", 70)], 42);
      const draws = 10_000;
      let cFirstThenA = 0;
      let cFirst = 0;
      const first: Record<string, number> = { a: 0, b: 0, c: 0 };
      for (let i = 0; i < draws; i++) {
        const [x, y] = plan();
        first[x!]! += 1;
        if (x === "c") {
          cFirst++;
          if (y === "a") cFirstThenA++;
        }
      }
      expect(Math.abs(first.a! / draws - 0.1)).toBeLessThan(0.015);
      expect(Math.abs(first.b! / draws - 0.2)).toBeLessThan(0.015);
      expect(Math.abs(first.c! / draws - 0.7)).toBeLessThan(0.015);
      // After c, a comes next with probability 10 / (10 + 20).
      expect(Math.abs(cFirstThenA / cFirst - 1 / 3)).toBeLessThan(0.02);
    });

    it("keeps weight-0 agents as the last resort, in random order", () => {
      const { plan } = setup("WEIGHTED", [t("z1", 0), t("a", 1), t("z2", 0), t("b", 1)], 7);
      const lastTwo = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const order = plan();
        expect(new Set(order.slice(0, 2))).toEqual(new Set(["a", "b"]));
        lastTwo.add(order.slice(2).join());
      }
      expect(lastTwo).toEqual(new Set(["z1,z2", "z2,z1"]));
    });

    it("moves an ejected agent to the end and brings it back when it may be probed", () => {
      const { plan, breakers } = setup("WEIGHTED", [t("a", 1000), t("b", 1)]);
      breakers.onFailure("a", breakerConfig, 0);
      for (let i = 0; i < 50; i++) expect(plan(500)).toEqual(["b", "a"]);
      expect(firstShares(() => plan(1_000), 1_000).a).toBeGreaterThan(0.99);
      // Planning does not take the half-open probe; the attempt does.
      expect(breakers.allow("a", breakerConfig, 1_000)).toBe(true);
      for (let i = 0; i < 50; i++) expect(plan(1_001)).toEqual(["b", "a"]); // probe in flight
    });
  });

  describe("PRIORITY", () => {
    const targets = [t("backup", 100, 5), t("p1", 25, 1), t("p2", 75, 1), t("last", 100, 9)];

    it("tries the best group first, weighted within it, then the next groups in order", () => {
      const { plan } = setup("PRIORITY", targets, 3);
      const draws = 10_000;
      let p1 = 0;
      for (let i = 0; i < draws; i++) {
        const order = plan();
        expect(order.slice(2)).toEqual(["backup", "last"]);
        if (order[0] === "p1") p1++;
      }
      expect(Math.abs(p1 / draws - 0.25)).toBeLessThan(0.015);
    });

    it("falls to the next group only when the better group has no agent to try", () => {
      const { plan, breakers } = setup("PRIORITY", targets);
      breakers.onFailure("p1", breakerConfig, 0);
      expect(plan(10)).toEqual(["p2", "backup", "last", "p1"]);
      breakers.onFailure("p2", breakerConfig, 0);
      expect(plan(10).slice(0, 2)).toEqual(["backup", "last"]);
      expect(plan(10, new Set(["backup"]))[0]).toBe("last");
    });
  });

  describe("LATENCY", () => {
    /** Sequential requests every `gapMs`, each answered by the chosen agent at its own latency. */
    function run(plan: (now: number) => string[], stats: AgentStats, latency: Record<string, number>, requests: number, gapMs: number) {
      const picks: Record<string, number> = {};
      for (let i = 0; i < requests; i++) {
        const now = i * gapMs;
        const id = plan(now)[0]!;
        picks[id] = (picks[id] ?? 0) + 1;
        stats.start(id);
        stats.finish(id, { signal: "total", ms: latency[id]! }, now + latency[id]!);
      }
      return picks;
    }

    it("sends most traffic to the faster agent and still tries the slower one now and then", () => {
      const { plan, stats } = setup("LATENCY", [t("fast"), t("slow")]);
      stats.finish("slow", { signal: "total", ms: 200 }, 0);
      const picks = run(plan, stats, { fast: 10, slow: 200 }, 2_000, 100);
      expect(picks.fast! / 2_000).toBeGreaterThanOrEqual(0.9);
      // The slow agent's estimate decays while unused, so it is re-checked every ~30 s.
      expect(picks.slow).toBeGreaterThanOrEqual(3);
    });

    it("notices a slowdown on the first slow answer and moves traffic away", () => {
      const { plan, stats } = setup("LATENCY", [t("a"), t("b")]);
      stats.finish("a", { signal: "total", ms: 20 }, 0);
      stats.finish("b", { signal: "total", ms: 30 }, 0);
      expect(plan(0)[0]).toBe("a");
      stats.finish("a", { signal: "total", ms: 400 }, 1);
      expect(plan(1)).toEqual(["b", "a"]);
    });

    it("spreads concurrent requests by charging for those in flight", () => {
      const { plan, stats } = setup("LATENCY", [t("a"), t("b")]);
      stats.finish("a", { signal: "total", ms: 10 }, 0);
      stats.finish("b", { signal: "total", ms: 20 }, 0);
      for (let i = 0; i < 20; i++) stats.start(plan(0)[0]!);
      // Costs level out where 10·(a + 1) ≈ 20·(b + 1) with a + b = 20.
      expect(stats.inflight("a")).toBeGreaterThanOrEqual(13);
      expect(stats.inflight("a")).toBeLessThanOrEqual(14);
      expect(stats.inflight("b")).toBe(20 - stats.inflight("a"));
    });

    it("compares two random agents: the worst never goes first, the best only when drawn", () => {
      const targets = [t("a"), t("b"), t("c"), t("d")];
      const { plan, stats } = setup("LATENCY", targets, 11);
      [10, 20, 30, 40].forEach((ms, i) => stats.finish(targets[i]!.agentId, { signal: "total", ms }, 0));
      const shares = firstShares(() => plan(0), 10_000);
      expect(shares.d).toBeUndefined();
      // The best is in a random pair with probability 1 − C(3,2)/C(4,2) = 1/2.
      expect(Math.abs(shares.a! - 0.5)).toBeLessThan(0.02);
      expect(Math.abs(shares.b! - 1 / 3)).toBeLessThan(0.02);
      // After the first pick, the rest go by cost.
      for (let i = 0; i < 100; i++) {
        const order = plan(0);
        const rest = order.slice(1);
        expect(rest).toEqual([...rest].sort());
      }
    });

    it("draws the pair in proportion to weight and keeps weight-0 agents last", () => {
      const { plan, stats } = setup("LATENCY", [t("heavy", 900), t("light", 100), t("spare", 0)], 5);
      // Equal costs: the first drawn of the pair wins, so first place follows the weights.
      stats.finish("heavy", { signal: "total", ms: 50 }, 0);
      stats.finish("light", { signal: "total", ms: 50 }, 0);
      stats.finish("spare", { signal: "total", ms: 1 }, 0);
      const shares = firstShares(() => plan(0), 10_000);
      expect(Math.abs(shares.heavy! - 0.9)).toBeLessThan(0.015);
      expect(shares.spare).toBeUndefined();
      for (let i = 0; i < 100; i++) expect(plan(0)[2]).toBe("spare"); // even though it is the cheapest
    });

    it("prices new agents like their peers and keeps the given order between equals", () => {
      const { plan } = setup("CAPABILITY", [t("best"), t("next"), t("third")]);
      const shares = firstShares(() => plan(0), 6_000);
      for (const id of ["best", "next", "third"]) expect(Math.abs(shares[id]! - 1 / 3)).toBeLessThan(0.03);
      const order = plan(0);
      expect(order.slice(1)).toEqual(["best", "next", "third"].filter((id) => id !== order[0]));
    });

    it("uses the signal the request waits for", () => {
      const stats = new AgentStats();
      const breakers = new CircuitBreakers();
      stats.finish("a", { signal: "ttft", ms: 5 }, 0);
      stats.finish("a", { signal: "total", ms: 900 }, 0);
      stats.finish("b", { signal: "ttft", ms: 50 }, 0);
      stats.finish("b", { signal: "total", ms: 300 }, 0);
      const base = { strategy: "LATENCY" as const, targets: [t("a"), t("b")], stats, breakers, breakerConfig, now: 0, random: createRng(1) };
      expect(planAttempts({ ...base, signal: "ttft" })).toEqual(["a", "b"]);
      expect(planAttempts({ ...base, signal: "total" })).toEqual(["b", "a"]);
    });
  });
});

import { describe, expect, it } from "vitest";
import { AgentStats } from "./stats";

describe("AgentStats", () => {
  it("prices an agent nobody has seen at the default, then at the median of the observed agents", () => {
    const stats = new AgentStats({ defaultMs: 50, priorRefreshMs: 1_000 });
    expect(stats.cost("new", "ttft", 0)).toBe(50);

    stats.finish("a", { signal: "ttft", ms: 10 }, 0);
    stats.finish("b", { signal: "ttft", ms: 20 }, 0);
    stats.finish("c", { signal: "ttft", ms: 300 }, 0);
    expect(stats.estimate("new", "ttft", 0)).toBe(20);
    stats.finish("d", { signal: "ttft", ms: 40 }, 0);
    expect(stats.estimate("new", "ttft", 0)).toBe(30); // even count: mean of the middle two
    // The other signal has its own prior.
    expect(stats.estimate("new", "total", 0)).toBe(50);
    // Forgetting an agent moves the median at once.
    stats.forget("c");
    expect(stats.estimate("new", "ttft", 0)).toBe(20);
  });

  it("reuses the median until it is due again, then follows the peers' decay", () => {
    const stats = new AgentStats({ decayMs: 10_000, priorRefreshMs: 1_000 });
    stats.finish("a", { signal: "total", ms: 100 }, 0);
    expect(stats.estimate("new", "total", 0)).toBe(100);
    expect(stats.estimate("new", "total", 999)).toBe(100);
    expect(stats.estimate("new", "total", 10_000)).toBeCloseTo(100 / Math.E, 9);
  });

  it("counts attempts in flight and charges for them", () => {
    const stats = new AgentStats();
    stats.finish("a", { signal: "total", ms: 100 }, 0);
    stats.start("a");
    stats.start("a");
    stats.start("a");
    expect(stats.inflight("a")).toBe(3);
    expect(stats.cost("a", "total", 0)).toBe(400);
    stats.finish("a", { signal: "total", ms: 100 }, 0);
    stats.fail("a", 0);
    stats.release("a");
    expect(stats.inflight("a")).toBe(0);
    stats.release("a"); // an unmatched end cannot drive it negative
    stats.release("never-seen");
    expect(stats.inflight("a")).toBe(0);
  });

  it("records a latency only on the signal it belongs to", () => {
    const stats = new AgentStats();
    stats.start("a");
    stats.finish("a", { signal: "ttft", ms: 12 }, 0);
    stats.observe("a", { signal: "total", ms: 900 }, 0);
    expect(stats.snapshot(0)).toEqual({ a: { ttftMs: 12, totalMs: 900, inflight: 0 } });
    expect(new AgentStats().snapshot(0)).toEqual({});
  });

  it("counts a failure as a slow answer on both signals, doubling up to a cap", () => {
    const stats = new AgentStats({ failurePenaltyMs: 1_000, maxFailurePenaltyMs: 8_000 });
    stats.finish("a", { signal: "ttft", ms: 20 }, 0);
    stats.finish("a", { signal: "total", ms: 700 }, 0);
    stats.start("a");
    stats.fail("a", 0);
    expect(stats.inflight("a")).toBe(0);
    expect(stats.estimate("a", "ttft", 0)).toBe(1_000);
    expect(stats.estimate("a", "total", 0)).toBe(1_400);
    stats.fail("a", 0);
    expect(stats.estimate("a", "total", 0)).toBe(2_800);
    for (let i = 0; i < 10; i++) stats.fail("a", 0);
    expect(stats.estimate("a", "total", 0)).toBe(8_000);
    // An agent slower than the cap is not made to look faster by failing.
    stats.observe("b", { signal: "total", ms: 20_000 }, 0);
    stats.fail("b", 0);
    expect(stats.estimate("b", "total", 0)).toBe(20_000);
  });

  it("lets a failure penalty fade so the agent gets traffic again", () => {
    const stats = new AgentStats({ decayMs: 10_000 });
    stats.finish("a", { signal: "ttft", ms: 10 }, 0);
    stats.fail("a", 1_000);
    expect(stats.cost("a", "ttft", 1_000)).toBe(1_000);
    expect(stats.cost("a", "ttft", 47_000)).toBeLessThan(10.1); // 1000·e^(-4.6)
  });

  it("rejects a bad decay when it is made, not on the first request", () => {
    expect(() => new AgentStats({ decayMs: -1 })).toThrow(RangeError);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CircuitBreakers } from "./breaker";

const cfg = { failureThreshold: 3, cooldownMs: 1_000 };

/** Fails the agent `cfg.failureThreshold` times at `now`. */
function trip(b: CircuitBreakers, id: string, now: number) {
  for (let i = 0; i < cfg.failureThreshold; i++) b.onFailure(id, cfg, now);
}

/** Waits out the current back-off, takes the probe and fails it; returns the time of the failure. */
function failProbe(b: CircuitBreakers, id: string, at: number): number {
  expect(b.allow(id, cfg, at)).toBe(true);
  b.onFailure(id, cfg, at);
  return at;
}

describe("CircuitBreakers", () => {
  it("stays closed below the threshold and while failures are not consecutive", () => {
    const b = new CircuitBreakers();
    expect(b.allow("a", cfg, 0)).toBe(true);
    expect(b.state("a", 0)).toBe("closed");
    b.onFailure("a", cfg, 0);
    b.onFailure("a", cfg, 0);
    b.onSuccess("a", 0);
    b.onFailure("a", cfg, 0);
    b.onFailure("a", cfg, 0);
    expect(b.state("a", 0)).toBe("closed");
    expect(b.allow("a", cfg, 0)).toBe(true);
    b.onFailure("a", cfg, 0);
    expect(b.state("a", 0)).toBe("open");
  });

  it("refuses while open, then lets exactly one probe through at a time", () => {
    const b = new CircuitBreakers();
    trip(b, "a", 0);
    expect(b.allow("a", cfg, 999)).toBe(false);
    expect(b.isAvailable("a", cfg, 999)).toBe(false);
    expect(b.state("a", 1_000)).toBe("half_open");
    expect(b.isAvailable("a", cfg, 1_000)).toBe(true);
    expect(b.isAvailable("a", cfg, 1_000)).toBe(true); // asking does not take the probe

    expect(b.allow("a", cfg, 1_000)).toBe(true);
    expect(b.allow("a", cfg, 1_001)).toBe(false);
    expect(b.isAvailable("a", cfg, 1_001)).toBe(false);
    // The probe's client went away: another caller may probe.
    b.release("a");
    expect(b.allow("a", cfg, 1_002)).toBe(true);
    b.onSuccess("a", 1_100);
    expect(b.state("a", 1_100)).toBe("closed");
    expect(b.allow("a", cfg, 1_100)).toBe(true);
    expect(b.allow("a", cfg, 1_100)).toBe(true);
  });

  it("doubles the ejection after each failed probe, up to ten cool-downs", () => {
    const b = new CircuitBreakers();
    trip(b, "a", 0);
    let t = 0;
    for (const expected of [1_000, 2_000, 4_000, 8_000, 10_000, 10_000]) {
      expect(b.allow("a", cfg, t + expected - 1)).toBe(false);
      t = failProbe(b, "a", t + expected);
      expect(b.state("a", t)).toBe("open");
    }
    expect(b.snapshot(t).a).toEqual({ state: "open", consecutiveFailures: 0, ejections: 7, reopensAt: t + 10_000 });
  });

  it("forgets past ejections only after a streak of successes", () => {
    const b = new CircuitBreakers({ resetAfterSuccesses: 5 });
    trip(b, "a", 0);
    failProbe(b, "a", 1_000); // second ejection: 2 s
    expect(b.allow("a", cfg, 3_000)).toBe(true);
    b.onSuccess("a", 3_000); // closes; streak 1
    for (let i = 0; i < 3; i++) b.onSuccess("a", 3_000); // streak 4
    trip(b, "a", 3_000); // third ejection in a row: 4 s
    expect(b.allow("a", cfg, 6_999)).toBe(false);
    expect(b.allow("a", cfg, 7_000)).toBe(true);
    for (let i = 0; i < 5; i++) b.onSuccess("a", 7_000); // streak 5: ejections forgotten
    expect(b.snapshot(7_000).a?.ejections).toBe(0);
    trip(b, "a", 7_000);
    expect(b.allow("a", cfg, 8_000)).toBe(true); // back to one cool-down
  });

  it("ignores verdicts of requests that began before the ejection", () => {
    const b = new CircuitBreakers();
    trip(b, "a", 0);
    b.onFailure("a", cfg, 500); // does not extend the ejection
    b.onSuccess("a", 600); // does not close it either
    expect(b.state("a", 600)).toBe("open");
    expect(b.allow("a", cfg, 1_000)).toBe(true);
    // While half-open without the probe's verdict, a late failure is ignored too.
    b.release("a");
    b.onFailure("a", cfg, 1_001);
    expect(b.state("a", 1_001)).toBe("half_open");
  });

  it("presumes a probe lost after probeTimeoutMs", () => {
    const b = new CircuitBreakers({ probeTimeoutMs: 5_000 });
    trip(b, "a", 0);
    expect(b.allow("a", cfg, 1_000)).toBe(true);
    expect(b.allow("a", cfg, 5_999)).toBe(false);
    expect(b.allow("a", cfg, 6_000)).toBe(true);
  });

  it("lets each route's cool-down decide when the agent may be probed", () => {
    const b = new CircuitBreakers();
    const slow = { failureThreshold: 3, cooldownMs: 60_000 };
    const quick = { failureThreshold: 1, cooldownMs: 2_000 };
    b.onFailure("a", quick, 0); // one failure is enough for the quick route
    expect(b.state("a", 0)).toBe("open");
    expect(b.allow("a", slow, 2_000)).toBe(false);
    expect(b.allow("a", quick, 2_000)).toBe(true);
    expect(b.state("a", 2_000)).toBe("half_open"); // by the cool-down it was ejected with
  });

  it("shows troubled agents in the snapshot and drops forgotten ones", () => {
    const b = new CircuitBreakers();
    b.onSuccess("fine", 0);
    b.onFailure("flaky", cfg, 0);
    trip(b, "down", 0);
    expect(b.snapshot(10)).toEqual({
      flaky: { state: "closed", consecutiveFailures: 1, ejections: 0, reopensAt: null },
      down: { state: "open", consecutiveFailures: 0, ejections: 1, reopensAt: 1_000 },
    });
    b.forget("down");
    expect(b.state("down", 10)).toBe("closed");
  });

  it("never lets a second probe through before the first has a verdict, and nothing while open", () => {
    type Op = { kind: "allow" | "success" | "failure" | "release"; advance: number };
    const op = fc.record({
      kind: fc.constantFrom<Op["kind"]>("allow", "allow", "success", "failure", "failure", "release"),
      advance: fc.integer({ min: 0, max: 3_000 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const b = new CircuitBreakers({ probeTimeoutMs: Number.POSITIVE_INFINITY });
        let t = 0;
        let probeOut = false;
        for (const { kind, advance } of ops) {
          t += advance;
          const before = b.state("a", t);
          if (kind === "allow") {
            const allowed = b.allow("a", cfg, t);
            if (before === "closed") expect(allowed).toBe(true);
            if (before === "open") expect(allowed).toBe(false);
            if (before === "half_open" && allowed) {
              expect(probeOut).toBe(false);
              probeOut = true;
            }
          } else {
            if (kind === "success") b.onSuccess("a", t);
            if (kind === "failure") b.onFailure("a", cfg, t);
            if (kind === "release") b.release("a");
            probeOut = false;
          }
          if (b.state("a", t) === "closed") probeOut = false;
        }
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { prepareHealthTimeline } from "./health-timeline";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 12, minute));

describe("prepareHealthTimeline", () => {
  it("orders ticks oldest first and scales passing ones by latency", () => {
    const t = prepareHealthTimeline([
      { at: at(3), ok: true, latencyMs: 200, error: null },
      { at: at(2), ok: false, latencyMs: null, error: "timeout" },
      { at: at(1), ok: true, latencyMs: 100, error: null },
    ]);
    expect(t.ticks.map((x) => x.ok)).toEqual([true, false, true]);
    expect(t.ticks.map((x) => x.heightPct)).toEqual([63, 100, 100]);
    expect(t.ticks[1]!.title).toBe("2026-11-25 12:02 UTC · failed · timeout");
    expect(t.ticks[2]!.title).toBe("2026-11-25 12:03 UTC · passed · 200 ms");
  });

  it("summarises pass rate and median latency", () => {
    const t = prepareHealthTimeline([
      { at: at(4), ok: true, latencyMs: 40, error: null },
      { at: at(3), ok: true, latencyMs: 60, error: null },
      { at: at(2), ok: true, latencyMs: null, error: null },
      { at: at(1), ok: false, latencyMs: 5000, error: null },
    ]);
    expect(t).toMatchObject({ total: 4, passed: 3, failed: 1, passRatePct: 75, medianLatencyMs: 50 });
    expect(t.summary).toBe("Last 4 checks: 3 passed, 1 failed; median latency 50 ms.");
  });

  it("handles no checks", () => {
    expect(prepareHealthTimeline([])).toMatchObject({ ticks: [], total: 0, passRatePct: null, medianLatencyMs: null, summary: "No health checks yet." });
  });
});

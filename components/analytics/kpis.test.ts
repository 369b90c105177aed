import { describe, expect, it } from "vitest";
import { computeDelta, prepareKpis } from "./kpis";
import type { Summary } from "./types";

const summary = (over: Partial<Summary> = {}): Summary => ({
  requests: 1000,
  errors: 10,
  errorRate: 0.01,
  p50Ms: 120,
  p95Ms: 800,
  p99Ms: 1500,
  ttftP50Ms: 90,
  ttftP95Ms: 300,
  tokensIn: 50_000,
  tokensOut: 20_000,
  costUsd: 4.2,
  quality: 0.8,
  feedbackCount: 40,
  retries: 3,
  failovers: 1,
  ...over,
});

describe("prepareKpis", () => {
  it("gives the six headline numbers in order", () => {
    const kpis = prepareKpis(summary(), summary());
    expect(kpis.map((k) => [k.label, k.value])).toEqual([
      ["Requests", "1,000"],
      ["Error rate", "1%"],
      ["Latency p95", "800 ms"],
      ["TTFT p95", "300 ms"],
      ["Cost", "$4.20"],
      ["Quality", "80%"],
    ]);
    expect(kpis.every((k) => k.delta?.direction === "flat" && k.delta.tone === "neutral")).toBe(true);
    expect(kpis.find((k) => k.key === "quality")!.detail).toBe("from 40 ratings");
  });

  it("judges each change by what the metric means", () => {
    const kpis = prepareKpis(
      summary({ requests: 1500, errorRate: 0.03, p95Ms: 400, ttftP95Ms: 600, costUsd: 8.4, quality: 0.9 }),
      summary(),
    );
    const byKey = Object.fromEntries(kpis.map((k) => [k.key, k.delta]));
    expect(byKey.requests).toMatchObject({ direction: "up", tone: "neutral", text: "+50%" });
    expect(byKey.errorRate).toMatchObject({ direction: "up", tone: "bad", text: "+2.0 pp" });
    expect(byKey.p95).toMatchObject({ direction: "down", tone: "good", text: "−50%" });
    expect(byKey.ttftP95).toMatchObject({ direction: "up", tone: "bad", text: "+100%" });
    expect(byKey.cost).toMatchObject({ direction: "up", tone: "bad", text: "+100%" });
    expect(byKey.quality).toMatchObject({ direction: "up", tone: "good", text: "+10 pp" });
  });

  it("compares with nothing when the previous window had no traffic", () => {
    const empty = summary({ requests: 0, errors: 0, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null, ttftP50Ms: null, ttftP95Ms: null, costUsd: 0, quality: null, feedbackCount: 0 });
    expect(prepareKpis(summary(), empty).every((k) => k.delta === null)).toBe(true);
    expect(prepareKpis(summary(), null).every((k) => k.delta === null)).toBe(true);
    const kpis = prepareKpis(empty, summary());
    expect(kpis.map((k) => k.value)).toEqual(["0", "—", "—", "—", "$0", "—"]);
    expect(kpis[0]!.delta).toMatchObject({ direction: "down", text: "−100%" });
    expect(kpis[1]!.delta).toBeNull();
  });
});

describe("computeDelta", () => {
  it("needs a previous value above zero for a relative change", () => {
    expect(computeDelta("count", "neutral", 10, 0)).toBeNull();
    expect(computeDelta("usd", "lowerIsBetter", 1, null)).toBeNull();
  });

  it("describes the change for screen readers", () => {
    expect(computeDelta("ms", "lowerIsBetter", 110, 100)).toMatchObject({ text: "+10%", description: "up 10% from 100 ms" });
    expect(computeDelta("ratio", "higherIsBetter", 0.5, 0.6)).toMatchObject({ text: "−10 pp", tone: "bad", description: "down 10.0 percentage points from 60%" });
  });
});

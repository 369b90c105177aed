import { describe, expect, it } from "vitest";
import { prepareBreakdown } from "./breakdown";
import type { BreakdownRow } from "./types";

const row = (over: Partial<BreakdownRow>): BreakdownRow => ({
  id: "a1",
  name: "Atlas",
  requests: 1200,
  share: 0.6,
  errorRate: 0.01,
  p95Ms: 850,
  ttftP95Ms: null,
  costUsd: 0.42,
  quality: null,
  previousRequests: 1000,
  ...over,
});

describe("prepareBreakdown", () => {
  it("formats a row and links it to its page", () => {
    const [r] = prepareBreakdown([row({})], (id) => `/x/${id}`);
    expect(r).toMatchObject({
      id: "a1",
      name: "Atlas",
      href: "/x/a1",
      requests: "1,200",
      sharePct: 60,
      share: "60%",
      errorRate: "1%",
      errorRateHigh: false,
      p95: "850 ms",
      ttftP95: "—",
      cost: "$0.42",
      quality: "—",
    });
    expect(r!.trend).toMatchObject({ direction: "up", text: "+20%", tone: "neutral" });
  });

  it("flags a high error rate, has no link without an id, and no trend without earlier traffic", () => {
    const [r] = prepareBreakdown([row({ id: "", name: "", errorRate: 0.2, previousRequests: 0 })], () => "/never");
    expect(r).toMatchObject({ href: null, name: "Unknown", errorRateHigh: true, errorRate: "20%", trend: null });
  });

  it("lets the caller withhold links", () => {
    expect(prepareBreakdown([row({ id: "__other__" })], (id) => (id.startsWith("__") ? null : id))[0]!.href).toBeNull();
  });
});

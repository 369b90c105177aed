import { describe, expect, it } from "vitest";
import { analyticsSearch, describePreviousRange, describeRange, formatSpan, nextAnalyticsParams, parseAnalyticsParams, resolveRange, toAnalyticsInput } from "./range";

const NOW = Date.UTC(2026, 10, 25, 14, 30, 20);

describe("parseAnalyticsParams", () => {
  it("defaults to the last 24 hours without filters", () => {
    expect(parseAnalyticsParams({})).toEqual({ range: { kind: "preset", preset: "24h" }, routeId: null, agentId: null, keyId: null });
  });

  it("reads a preset and filters from URLSearchParams and from Next's searchParams", () => {
    const fromUrl = parseAnalyticsParams(new URLSearchParams("range=7d&route=r1&agent=a_1&key=k-1"));
    expect(fromUrl).toEqual({ range: { kind: "preset", preset: "7d" }, routeId: "r1", agentId: "a_1", keyId: "k-1" });
    expect(parseAnalyticsParams({ range: ["1h", "7d"], route: "r1" })).toMatchObject({ range: { preset: "1h" }, routeId: "r1" });
  });

  it("reads a custom window", () => {
    const p = parseAnalyticsParams({ from: "2026-11-20T08:00:00.000Z", to: "2026-11-21T08:00:00Z" });
    expect(p.range).toEqual({ kind: "custom", from: new Date("2026-11-20T08:00:00Z"), to: new Date("2026-11-21T08:00:00Z") });
  });

  it.each([
    ["an unknown preset", { range: "1y" }],
    ["a garbage date", { from: "yesterday", to: "today" }],
    ["a date without a time", { from: "2026-11-20", to: "2026-11-21" }],
    ["an impossible date", { from: "2026-13-45T99:00Z", to: "2026-11-21T08:00Z" }],
    ["only one end", { from: "2026-11-20T08:00:00Z" }],
    ["a reversed window", { from: "2026-11-21T08:00:00Z", to: "2026-11-20T08:00:00Z" }],
    ["a window over 90 days", { from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }],
    ["a huge string", { range: "x".repeat(100_000) }],
  ])("falls back to 24h for %s", (_name, source) => {
    expect(parseAnalyticsParams(source as Record<string, string>).range).toEqual({ kind: "preset", preset: "24h" });
  });

  it("drops filter ids that are not ids", () => {
    const p = parseAnalyticsParams({ route: "'; drop table", agent: "a".repeat(65), key: "<script>" });
    expect(p).toMatchObject({ routeId: null, agentId: null, keyId: null });
  });
});

describe("analyticsSearch", () => {
  it("leaves out the default and round-trips", () => {
    expect(analyticsSearch(parseAnalyticsParams({}))).toBe("");
    for (const search of ["?range=15m", "?range=30d&route=r1", "?from=2026-11-20T08%3A00%3A00.000Z&to=2026-11-21T08%3A00%3A00.000Z&agent=a1&key=k1"]) {
      expect(analyticsSearch(parseAnalyticsParams(new URLSearchParams(search)))).toBe(search);
    }
  });

  it("applies changes and normalizes them", () => {
    const current = parseAnalyticsParams({ range: "7d", route: "r1" });
    expect(analyticsSearch(nextAnalyticsParams(current, { routeId: null, agentId: "a1" }))).toBe("?range=7d&agent=a1");
    expect(analyticsSearch(nextAnalyticsParams(current, { range: { kind: "preset", preset: "24h" } }))).toBe("?route=r1");
  });
});

describe("resolveRange", () => {
  it("ends a preset at the end of the current minute", () => {
    const end = Date.UTC(2026, 10, 25, 14, 31);
    expect(resolveRange({ kind: "preset", preset: "1h" }, NOW)).toEqual({ from: end - 3_600_000, to: end });
    expect(resolveRange({ kind: "preset", preset: "1h" }, end)).toEqual({ from: end - 3_600_000, to: end });
  });

  it("clips a custom window that ends in the future", () => {
    const from = new Date(Date.UTC(2026, 10, 25, 12));
    const to = new Date(Date.UTC(2026, 10, 26));
    expect(resolveRange({ kind: "custom", from, to }, NOW)).toEqual({ from: from.getTime(), to: Date.UTC(2026, 10, 25, 14, 31) });
  });

  it("keeps at least a minute when the whole window is in the future", () => {
    const r = resolveRange({ kind: "custom", from: new Date(Date.UTC(2027, 0, 1)), to: new Date(Date.UTC(2027, 0, 2)) }, NOW);
    expect(r.to - r.from).toBe(60_000);
  });

  it("builds the API input with only the filters that are set", () => {
    const input = toAnalyticsInput("acme", { routeId: "r1", agentId: null, keyId: null }, { from: 0, to: 60_000 });
    expect(input).toEqual({ orgSlug: "acme", from: new Date(0), to: new Date(60_000), routeId: "r1" });
  });
});

describe("descriptions", () => {
  it("names presets, custom windows and what deltas compare with", () => {
    expect(describeRange({ kind: "preset", preset: "6h" })).toBe("Last 6 hours");
    expect(describeRange({ kind: "custom", from: new Date("2026-11-20T08:00:00Z"), to: new Date("2026-11-21T09:30:00Z") })).toBe("2026-11-20 08:00 – 2026-11-21 09:30 UTC");
    expect(describePreviousRange({ kind: "preset", preset: "1h" }, { from: 0, to: 3_600_000 })).toBe("the previous hour");
    expect(describePreviousRange({ kind: "preset", preset: "7d" }, { from: 0, to: 1 })).toBe("the previous 7 days");
    expect(describePreviousRange({ kind: "custom", from: new Date(0), to: new Date(1) }, { from: 0, to: 30 * 3_600_000 })).toBe("the 1 day 6 hours before");
    expect(formatSpan(15 * 60_000)).toBe("15 minutes");
  });
});

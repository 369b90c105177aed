import { describe, expect, it } from "vitest";
import { keyPrefixLabel, parseExpiry, parseRateLimit, readApiKeyDraft, routeScopeLabel, todayInputValue, toggleRoute } from "./api-key-form";

const NOW = Date.parse("2026-11-25T15:00:00Z");

describe("labels", () => {
  it("shows the prefix with an ellipsis", () => {
    expect(keyPrefixLabel("hx_abcd1234")).toBe("hx_abcd1234…");
  });
  it("names the routes a key may use", () => {
    expect(routeScopeLabel({ routeIds: [], routes: [] })).toBe("All routes");
    expect(routeScopeLabel({ routeIds: ["a", "b"], routes: [{ id: "a", name: "Support" }, { id: "b", name: "Search" }] })).toBe("Support, Search");
    expect(routeScopeLabel({ routeIds: ["a", "b"], routes: [{ id: "a", name: "Support" }] })).toBe("Support, 1 deleted route");
  });
});

describe("parseExpiry", () => {
  it("is empty for a key that never expires", () => {
    expect(parseExpiry("", NOW)).toEqual({ value: null });
  });
  it("lasts through the end of the day, UTC", () => {
    expect(parseExpiry("2026-12-31", NOW)).toEqual({ value: new Date("2026-12-31T23:59:59.999Z") });
    expect(parseExpiry("2026-11-25", NOW)).toEqual({ value: new Date("2026-11-25T23:59:59.999Z") });
  });
  it("refuses past and impossible dates", () => {
    expect(parseExpiry("2026-11-24", NOW)).toEqual({ error: "The expiry date must be in the future" });
    expect(parseExpiry("2026-02-30", NOW)).toEqual({ error: "2026-02-30 is not a date" });
    expect(parseExpiry("next week", NOW)).toEqual({ error: "Give the date as YYYY-MM-DD" });
  });
  it("offers today as the earliest date", () => {
    expect(todayInputValue(NOW)).toBe("2026-11-25");
  });
});

describe("parseRateLimit", () => {
  it("reads a limit or none", () => {
    expect(parseRateLimit(" ")).toEqual({ value: null });
    expect(parseRateLimit("1,200")).toEqual({ value: 1200 });
  });
  it("explains what is wrong", () => {
    expect(parseRateLimit("0")).toEqual({ error: "A rate limit is 1–1,000,000 requests a minute" });
    expect(parseRateLimit("2.5")).toEqual({ error: "“2.5” is not a whole number" });
  });
});

describe("readApiKeyDraft", () => {
  it("builds the create input", () => {
    expect(readApiKeyDraft({ name: " CI ", routeIds: ["r1", "r1"], expiresAt: "", rateLimitPerMinute: "60" }, NOW)).toEqual({
      input: { name: "CI", routeIds: ["r1"], expiresAt: null, rateLimitPerMinute: 60 },
      errors: null,
    });
  });
  it("collects every problem", () => {
    expect(readApiKeyDraft({ name: "x", routeIds: [], expiresAt: "2020-01-01", rateLimitPerMinute: "lots" }, NOW)).toEqual({
      input: null,
      errors: { name: "A name has at least 2 characters", expiresAt: "The expiry date must be in the future", rateLimitPerMinute: "“lots” is not a whole number" },
    });
  });
});

describe("toggleRoute", () => {
  it("adds and removes a route once", () => {
    expect(toggleRoute(["a"], "b", true)).toEqual(["a", "b"]);
    expect(toggleRoute(["a", "b"], "a", false)).toEqual(["b"]);
    expect(toggleRoute(["a"], "a", true)).toEqual(["a"]);
  });
});

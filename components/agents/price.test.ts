import { describe, expect, it } from "vitest";
import { PRICE_MESSAGE } from "@/server/agents/schema";
import { describePrices, formatPrice, parsePrice, priceText } from "./price";

describe("parsePrice", () => {
  it("reads empty as no price, and plain or dollar-signed decimals as a number", () => {
    expect(parsePrice("")).toEqual({ ok: true, value: null });
    expect(parsePrice("  ")).toEqual({ ok: true, value: null });
    expect(parsePrice("0.15")).toEqual({ ok: true, value: 0.15 });
    expect(parsePrice(" $2.5 ")).toEqual({ ok: true, value: 2.5 });
    expect(parsePrice(".5")).toEqual({ ok: true, value: 0.5 });
    expect(parsePrice("0")).toEqual({ ok: true, value: 0 });
    expect(parsePrice("10000")).toEqual({ ok: true, value: 10_000 });
    expect(parsePrice("0.000125")).toEqual({ ok: true, value: 0.000125 });
  });

  it("refuses what the server refuses, with the server's message", () => {
    for (const text of ["-1", "10000.01", "abc", "1e3", "0x10", "1,5", "Infinity"]) {
      expect(parsePrice(text), text).toEqual({ ok: false, error: PRICE_MESSAGE });
    }
    expect(parsePrice("0.0000001")).toEqual({ ok: false, error: expect.stringMatching(/6 decimals/) });
  });

  it("round-trips with priceText", () => {
    expect(priceText(null)).toBe("");
    expect(parsePrice(priceText(0.6))).toEqual({ ok: true, value: 0.6 });
  });
});

describe("describePrices", () => {
  it("shows both prices, or says that no cost is recorded", () => {
    expect(describePrices({ inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 })).toBe("$0.15 / $0.60 per 1M tokens (input / output)");
    expect(describePrices({ inputPricePerMTok: null, outputPricePerMTok: null })).toBe("Not set — cost is not recorded");
    expect(describePrices({ inputPricePerMTok: 3, outputPricePerMTok: null })).toBe(
      "$3.00 / not set per 1M tokens (input / output) — cost is recorded only when both are set",
    );
  });

  it("keeps small prices exact", () => {
    expect(formatPrice(0.000125)).toBe("$0.000125");
    expect(formatPrice(10_000)).toBe("$10,000.00");
  });
});

import { describe, expect, it } from "vitest";
import { formatCount, formatInstant, formatMs, formatRatio, formatUsd, formatValue } from "./format";

describe("formatting", () => {
  it("formats counts, compact on request", () => {
    expect(formatCount(1234)).toBe("1,234");
    expect(formatCount(1234, true)).toBe("1,234");
    expect(formatCount(123_456, true)).toBe("123.5K");
  });

  it("formats milliseconds", () => {
    expect(formatMs(42.4)).toBe("42 ms");
    expect(formatMs(1340)).toBe("1.3 s");
    expect(formatMs(12_400)).toBe("12 s");
  });

  it("formats shares", () => {
    expect(formatRatio(0)).toBe("0%");
    expect(formatRatio(1)).toBe("100%");
    expect(formatRatio(0.0004)).toBe("<0.1%");
    expect(formatRatio(0.0525)).toBe("5.25%");
    expect(formatRatio(0.05)).toBe("5%");
    expect(formatRatio(0.123)).toBe("12.3%");
  });

  it("formats dollars without hiding small costs", () => {
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(12.345)).toBe("$12.35");
    expect(formatUsd(0.12)).toBe("$0.12");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0.00001)).toBe("<$0.0001");
    expect(formatUsd(1234567, true)).toBe("$1.2M");
  });

  it("shows an em dash for unknown values", () => {
    expect(formatValue("ms", null)).toBe("—");
    expect(formatValue("ratio", undefined)).toBe("—");
    expect(formatValue("count", Number.NaN)).toBe("—");
  });

  it("formats instants in UTC", () => {
    expect(formatInstant(Date.UTC(2026, 10, 5, 4, 7))).toBe("Nov 5, 04:07 UTC");
  });
});

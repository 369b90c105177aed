import { describe, expect, it } from "vitest";
import { factValue, frameworkSummary } from "./status";

describe("frameworkSummary", () => {
  it("counts the controls that could be judged and lists the rest", () => {
    expect(frameworkSummary({ PASS: 7, FAIL: 2, NOT_APPLICABLE: 1, NOT_RUN: 0, MANUAL: 0 })).toBe("7 of 9 applicable controls pass · 2 fail · 1 not applicable");
    expect(frameworkSummary({ PASS: 1, FAIL: 0, NOT_APPLICABLE: 0, NOT_RUN: 0, MANUAL: 1 })).toBe("1 of 1 applicable control pass · 1 manual");
    expect(frameworkSummary({ PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, NOT_RUN: 11, MANUAL: 0 })).toBe("No control could be judged yet · 11 not run yet");
  });
});

describe("factValue", () => {
  it("writes booleans as words, numbers with separators and null as a dash", () => {
    expect(factValue(true)).toBe("yes");
    expect(factValue(false)).toBe("no");
    expect(factValue(12345)).toBe("12,345");
    expect(factValue(null)).toBe("—");
    expect(factValue("100 %")).toBe("100 %");
  });
});

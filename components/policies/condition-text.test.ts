import { describe, expect, it } from "vitest";
import { checkCondition } from "@/server/policies/cel";
import { errorSnippet, markRange } from "./condition-text";

describe("markRange", () => {
  it("splits the text around the range", () => {
    expect(markRange("request.labls", 8, 13)).toEqual({ before: "request.", marked: "labls", after: "", caret: false });
  });
  it("marks the character at an empty range, or a caret at the end", () => {
    expect(markRange("a + b", 2, 2)).toEqual({ before: "a ", marked: "+", after: " b", caret: false });
    expect(markRange("request.hour + ", 15, 15)).toEqual({ before: "request.hour + ", marked: "", after: "", caret: true });
    expect(markRange("a\nb", 1, 1)).toMatchObject({ marked: "", caret: true });
  });
  it("clamps offsets outside the text", () => {
    expect(markRange("abc", -4, 99)).toEqual({ before: "", marked: "abc", after: "", caret: false });
    expect(markRange("abc", 2, 1)).toEqual({ before: "ab", marked: "c", after: "", caret: false });
  });
});

describe("errorSnippet", () => {
  it("points at the range on its own line", () => {
    const text = 'request.stream &&\n  reqest.hour > 3';
    const start = text.indexOf("reqest");
    expect(errorSnippet(text, start, start + 6)).toEqual({ lineNumber: 2, line: "  reqest.hour > 3", caret: "  ^^^^^^" });
  });
  it("keeps tabs so the caret lines up, and draws one caret for an empty range", () => {
    expect(errorSnippet("\tx +", 4, 4)).toEqual({ lineNumber: 1, line: "\tx +", caret: "\t   ^" });
  });
  it("stops the carets at the end of the line", () => {
    expect(errorSnippet("ab\ncd", 1, 5)).toEqual({ lineNumber: 1, line: "ab", caret: " ^" });
  });
  it("matches what the server reports for a typo", () => {
    const text = '"PHI" in request.labels && reqest.stream';
    const checked = checkCondition(text, "condition");
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(markRange(text, checked.error.start, checked.error.end).marked).toBe("reqest");
  });
});

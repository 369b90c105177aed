import { describe, expect, it } from "vitest";
import { formatTags, parseTags, tagsProblem } from "./tags";

describe("parseTags", () => {
  it("splits on commas, trims and drops empties", () => {
    expect(parseTags("a, b ,c")).toEqual(["a", "b", "c"]);
    expect(parseTags(" , ,")).toEqual([]);
    expect(parseTags("")).toEqual([]);
  });
  it("lowercases and removes repeats, keeping the first order", () => {
    expect(parseTags("Search, ml, search, ML")).toEqual(["search", "ml"]);
  });
  it("round-trips with formatTags", () => {
    expect(parseTags(formatTags(["eu", "prod"]))).toEqual(["eu", "prod"]);
    expect(formatTags(["eu", "prod"])).toBe("eu, prod");
  });
});

describe("tagsProblem", () => {
  it("accepts tags the server accepts", () => {
    expect(tagsProblem(["eu-west", "team:search", "v1.2"])).toBeNull();
    expect(tagsProblem([])).toBeNull();
  });
  it("names the tags it rejects", () => {
    expect(tagsProblem(["machine learning"])).toMatch(/^“machine learning” is not a valid tag/);
    expect(tagsProblem(["-x", "ok", "y!"])).toMatch(/^“-x”, “y!” are not valid tags/);
  });
  it("limits the count", () => {
    expect(tagsProblem(Array.from({ length: 21 }, (_, i) => `t${i}`))).toBe("At most 20 tags");
  });
});

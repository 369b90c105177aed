import { describe, expect, it } from "vitest";
import { searchWords } from "./search-words";

describe("searchWords", () => {
  it("splits on anything that is not a letter or digit, lowercases, dedupes, drops short words", () => {
    expect(searchWords("Translate text — translate-text, DE→EN; a to 42ms")).toEqual(["translate", "text", "42ms"]);
  });
  it("keeps letters of any script", () => {
    expect(searchWords("Übersetzung café 翻訳する")).toEqual(["übersetzung", "café", "翻訳する"]);
  });
});

describe("queryWords", () => {
  it("keeps only letters and digits, so nothing can break out into tsquery syntax", async () => {
    const { queryWords } = await import("./search");
    expect(queryWords("book a flight!")).toEqual(["book", "a", "flight"]);
    expect(queryWords("x' | !y & (z:*)")).toEqual(["x", "y", "z"]);
    expect(queryWords("")).toEqual([]);
    expect(queryWords("a b c d e f g h i j")).toHaveLength(8);
  });
});

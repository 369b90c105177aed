import { describe, expect, it } from "vitest";
import { demoteHeadings } from "./readme";

describe("demoteHeadings", () => {
  it("moves every heading one level down and leaves everything else alone", () => {
    expect(demoteHeadings('<h1>Title</h1><h2 id="x">Sub</h2><h6>Small</h6><p>h1 in text, <hr> and <header></p>')).toBe(
      '<h2>Title</h2><h3 id="x">Sub</h3><h6>Small</h6><p>h1 in text, <hr> and <header></p>',
    );
  });
});

import { describe, expect, it } from "vitest";
import { pageCountOf, parsePublisherParams, parseReportParams, publishersHref, reportsHref, toPublishersInput, toReportsInput } from "./params";

describe("reports queue URL", () => {
  it("defaults to the first page of open reports", () => {
    expect(parseReportParams(new URLSearchParams())).toEqual({ includeResolved: false, page: 1 });
    expect(reportsHref({ includeResolved: false, page: 1 })).toBe("/marketplace/admin");
  });

  it("round-trips resolved and page, from URLSearchParams or a Next.js searchParams object", () => {
    const state = { includeResolved: true, page: 3 };
    expect(reportsHref(state)).toBe("/marketplace/admin?resolved=1&page=3");
    expect(parseReportParams(new URLSearchParams("resolved=1&page=3"))).toEqual(state);
    expect(parseReportParams({ resolved: ["true", "0"], page: "3" })).toEqual(state);
    expect(toReportsInput(state)).toEqual({ includeResolved: true, page: 3 });
  });

  it("drops malformed values instead of sending them", () => {
    expect(parseReportParams(new URLSearchParams("resolved=maybe&page=-1"))).toEqual({ includeResolved: false, page: 1 });
    expect(parseReportParams(new URLSearchParams("page=5000")).page).toBe(1000);
    expect(parseReportParams(new URLSearchParams("page=99999")).page).toBe(1);
  });
});

describe("publisher list URL", () => {
  it("round-trips the search and page, leaving out defaults", () => {
    expect(publishersHref({ q: "", page: 1 })).toBe("/marketplace/admin/publishers");
    expect(publishersHref({ q: "helix labs", page: 2 })).toBe("/marketplace/admin/publishers?q=helix+labs&page=2");
    expect(parsePublisherParams(new URLSearchParams("q=+helix+labs+&page=2"))).toEqual({ q: "helix labs", page: 2 });
    expect(parsePublisherParams({ q: "x".repeat(300) }).q).toHaveLength(200);
  });

  it("sends no empty search", () => {
    expect(toPublishersInput({ q: "", page: 1 })).toEqual({ q: undefined, page: 1, pageSize: 20 });
    expect(toPublishersInput({ q: "helix", page: 4 })).toEqual({ q: "helix", page: 4, pageSize: 20 });
  });
});

describe("pageCountOf", () => {
  it("counts at least one page", () => {
    expect(pageCountOf(0, 50)).toBe(1);
    expect(pageCountOf(50, 50)).toBe(1);
    expect(pageCountOf(51, 50)).toBe(2);
  });
});

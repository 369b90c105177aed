import { describe, expect, it } from "vitest";
import { browseHref, browseSearch, browseTitle, effectiveSort, hasBrowseFilters, parseBrowseParams, toSearchInput, type BrowseParams } from "./browse-params";

const defaults: BrowseParams = { q: "", kind: null, category: null, verified: false, compatible: false, sort: null, page: 1 };
const categories = ["security", "content-filtering"];

describe("parseBrowseParams", () => {
  it("gives the defaults for an empty URL", () => {
    expect(parseBrowseParams(new URLSearchParams(), categories)).toEqual(defaults);
  });

  it("reads every field from URLSearchParams or a Next.js searchParams object", () => {
    const expected = { q: "blocker", kind: "gateway-plugin", category: "security", verified: true, compatible: true, sort: "rating", page: 3 };
    const query = "q=blocker&kind=gateway-plugin&category=security&verified=1&compatible=1&sort=rating&page=3";
    expect(parseBrowseParams(new URLSearchParams(query), categories)).toEqual(expected);
    expect(parseBrowseParams({ q: ["blocker", "x"], kind: "gateway-plugin", category: "security", verified: "1", compatible: "1", sort: "rating", page: "3" }, categories)).toEqual(expected);
  });

  it("drops what it does not know instead of sending it to the server", () => {
    const p = parseBrowseParams(new URLSearchParams("kind=constructor&category=nope&sort=cheapest&page=-2&verified=maybe&compatible=yes"), categories);
    expect(p).toEqual(defaults);
    expect(parseBrowseParams(new URLSearchParams("kind=toString")).kind).toBeNull();
    expect(parseBrowseParams(new URLSearchParams("page=999999")).page).toBe(1);
    expect(parseBrowseParams(new URLSearchParams("page=5000")).page).toBe(1000);
  });

  it("ignores relevance without a query", () => {
    expect(parseBrowseParams(new URLSearchParams("sort=relevance")).sort).toBeNull();
    expect(parseBrowseParams(new URLSearchParams("q=pii&sort=relevance")).sort).toBe("relevance");
  });
});

describe("browseSearch and browseHref", () => {
  it("leaves defaults out of the URL", () => {
    expect(browseSearch(defaults)).toBe("");
    expect(browseSearch({ ...defaults, sort: "popular" })).toBe("");
    expect(browseSearch({ ...defaults, q: "pii", sort: "relevance" })).toBe("?q=pii");
    expect(browseSearch({ ...defaults, q: "pii", sort: "popular", verified: true, page: 2 })).toBe("?q=pii&verified=1&sort=popular&page=2");
    expect(browseSearch({ ...defaults, compatible: true })).toBe("?compatible=1");
  });

  it("round-trips through the URL", () => {
    const state: BrowseParams = { q: "keyword blocker", kind: "policy-pack", category: "security", verified: true, compatible: true, sort: "newest", page: 4 };
    expect(parseBrowseParams(new URLSearchParams(browseSearch(state).slice(1)), categories)).toEqual(state);
  });

  it("starts again at page 1 when what is shown changes, but not when paging", () => {
    const state = { ...defaults, q: "pii", page: 3 };
    expect(browseHref(state, { kind: "policy-pack" })).toBe("/marketplace?q=pii&kind=policy-pack");
    expect(browseHref(state, { page: 4 })).toBe("/marketplace?q=pii&page=4");
    expect(browseHref({ ...state, sort: "relevance" }, { q: "" })).toBe("/marketplace");
  });
});

describe("search input, title and filters", () => {
  it("maps the URL's kind to the server's enum and defaults the sort", () => {
    const p = { ...defaults, kind: "agent-template" as const, q: "ollama" };
    expect(toSearchInput(p)).toEqual({ q: "ollama", kind: "AGENT_TEMPLATE", category: undefined, verifiedOnly: false, compatibleOnly: false, sort: undefined, page: 1, pageSize: 24 });
    expect(effectiveSort(p)).toBe("relevance");
    expect(effectiveSort(defaults)).toBe("popular");
  });

  it("names the search", () => {
    expect(browseTitle({ ...defaults, kind: "gateway-plugin", q: "keyword" }, "Security")).toBe("Gateway plugins in Security matching “keyword”");
    expect(browseTitle(defaults)).toBe("Plugins and templates");
    expect(hasBrowseFilters(defaults)).toBe(false);
    expect(hasBrowseFilters({ ...defaults, verified: true })).toBe(true);
    expect(hasBrowseFilters({ ...defaults, compatible: true })).toBe(true);
  });
});

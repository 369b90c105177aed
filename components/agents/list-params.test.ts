import { describe, expect, it } from "vitest";
import {
  agentListSearch,
  hasFilters,
  nextListParams,
  parseAgentListParams,
  toListInput,
  type AgentListParams,
} from "./list-params";

const defaults: AgentListParams = {
  q: "",
  protocol: null,
  status: null,
  region: "",
  tag: "",
  sort: "name",
  dir: "asc",
  page: 1,
  pageSize: 20,
};

describe("parseAgentListParams", () => {
  it("gives the defaults for an empty URL", () => {
    expect(parseAgentListParams(new URLSearchParams())).toEqual(defaults);
  });

  it("reads every field from URLSearchParams or a Next.js searchParams object", () => {
    const expected = { ...defaults, protocol: "MCP", status: "UNHEALTHY", region: "eu-west", tag: "search", sort: "lastCheckedAt", dir: "desc", page: 3, pageSize: 50 };
    const query = "protocol=MCP&status=UNHEALTHY&region=eu-west&tag=search&sort=lastCheckedAt&dir=desc&page=3&pageSize=50";
    expect(parseAgentListParams(new URLSearchParams(query))).toEqual(expected);
    expect(
      parseAgentListParams({ protocol: "MCP", status: ["UNHEALTHY", "ACTIVE"], region: " eu-west ", tag: "Search", sort: "lastCheckedAt", dir: "desc", page: "3", pageSize: "50" }),
    ).toEqual(expected);
  });

  it("ranks a search by relevance whatever sort the URL asks for", () => {
    expect(parseAgentListParams(new URLSearchParams("q=summarize&sort=name&dir=asc"))).toMatchObject({ q: "summarize", sort: "relevance", dir: "desc" });
    expect(parseAgentListParams(new URLSearchParams("sort=relevance"))).toMatchObject({ sort: "name", dir: "asc" });
  });

  it("drops what the server would reject", () => {
    expect(
      parseAgentListParams(new URLSearchParams("protocol=GRPC&status=on&tag=not%20a%20tag&sort=owner&dir=up&page=0&pageSize=7")),
    ).toEqual(defaults);
    expect(parseAgentListParams(new URLSearchParams("page=-2")).page).toBe(1);
    expect(parseAgentListParams(new URLSearchParams("page=1.5")).page).toBe(1);
    expect(parseAgentListParams(new URLSearchParams("page=10001")).page).toBe(1);
    expect(parseAgentListParams(new URLSearchParams(`q=${"x".repeat(300)}`)).q).toHaveLength(200);
  });
});

describe("agentListSearch", () => {
  it("leaves out defaults", () => {
    expect(agentListSearch(defaults)).toBe("");
    expect(agentListSearch({ ...defaults, page: 2 })).toBe("?page=2");
  });

  it("round-trips through parseAgentListParams", () => {
    const states: AgentListParams[] = [
      { ...defaults, protocol: "A2A", region: "us east", tag: "team:ml", sort: "createdAt", dir: "desc", page: 4, pageSize: 100 },
      { ...defaults, q: "translate & summarize", status: "ACTIVE", sort: "relevance", dir: "desc" },
    ];
    for (const state of states) expect(parseAgentListParams(new URLSearchParams(agentListSearch(state)))).toEqual(state);
  });

  it("does not write a sort for a search", () => {
    expect(agentListSearch({ ...defaults, q: "pdf", sort: "relevance", dir: "desc" })).toBe("?q=pdf");
  });
});

describe("nextListParams", () => {
  it("goes back to page 1 when what is shown changes", () => {
    const current = { ...defaults, page: 5 };
    expect(nextListParams(current, { status: "ACTIVE" }).page).toBe(1);
    expect(nextListParams(current, { pageSize: 50 }).page).toBe(1);
    expect(nextListParams(current, { page: 6 }).page).toBe(6);
  });

  it("switches to relevance when a query is typed and back to name when it is cleared", () => {
    const sorted = { ...defaults, sort: "status" as const, dir: "desc" as const };
    const searching = nextListParams(sorted, { q: "ocr" });
    expect(searching).toMatchObject({ sort: "relevance", dir: "desc" });
    expect(nextListParams(searching, { q: "" })).toMatchObject({ sort: "name", dir: "asc" });
  });
});

describe("inputs", () => {
  it("builds the list input without empty filters", () => {
    expect(toListInput("acme", defaults)).toEqual({ orgSlug: "acme", sort: "name", dir: "asc", page: 1, pageSize: 20 });
    expect(toListInput("acme", { ...defaults, q: "ocr", tag: "eu", sort: "relevance", dir: "desc" })).toEqual({
      orgSlug: "acme",
      q: "ocr",
      tag: "eu",
      sort: "relevance",
      dir: "desc",
      page: 1,
      pageSize: 20,
    });
  });

  it("knows when the list is narrowed", () => {
    expect(hasFilters(defaults)).toBe(false);
    expect(hasFilters({ ...defaults, region: "eu" })).toBe(true);
    expect(hasFilters({ ...defaults, page: 3, sort: "status" })).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { dashboardQueries, scopedInput } from "./dashboard";

const base = { orgSlug: "acme", from: new Date(0), to: new Date(3_600_000), keyId: "k1" };

describe("dashboardQueries", () => {
  it("splits requests by route on the overview and shows top agents and routes", () => {
    const q = dashboardQueries(base, { kind: "org" });
    expect(q.charts.map((c) => c.id)).toEqual(["requests", "error-rate", "latency", "ttft", "cost"]);
    expect(q.charts[0]!.parts[0]!.input).toMatchObject({ metric: "requests", groupBy: "route", keyId: "k1" });
    expect(q.charts[2]!.parts.map((p) => p.input.metric)).toEqual(["p95", "p99"]);
    expect(q.breakdowns.map((b) => b.by)).toEqual(["agent", "route"]);
    // The key filter's options are every key's traffic, not only the selected key's.
    expect(q.keyOptions).not.toHaveProperty("keyId");
  });

  it("fixes the agent or route of a drill-down page and breaks down by the other", () => {
    const agentInput = scopedInput({ ...base, agentId: "from-url" }, { kind: "agent", agentId: "a1" });
    expect(agentInput.agentId).toBe("a1");
    const agent = dashboardQueries(agentInput, { kind: "agent", agentId: "a1" });
    expect(agent.breakdowns.map((b) => [b.by, b.input.agentId])).toEqual([["route", "a1"]]);
    expect(agent.charts[0]!.parts[0]!.input.groupBy).toBe("route");
    const route = dashboardQueries(scopedInput(base, { kind: "route", routeId: "r1" }), { kind: "route", routeId: "r1" });
    expect(route.breakdowns.map((b) => [b.by, b.input.routeId])).toEqual([["agent", "r1"]]);
    expect(route.charts[0]!.parts[0]!.input.groupBy).toBe("agent");
  });
});

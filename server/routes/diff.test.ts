import { describe, expect, it } from "vitest";
import { diffRouteConfigs } from "./diff";
import { routeConfigInput } from "./schema";

const base = routeConfigInput.parse({
  name: "Support",
  slug: "support",
  alias: "support-bot",
  targets: [
    { agentId: "cagentaaaaaaaaaaaaaaaaaaaa", weight: 100 },
    { agentId: "cagentbbbbbbbbbbbbbbbbbbbb", weight: 50 },
  ],
});

describe("diffRouteConfigs", () => {
  it("is empty for the same configuration", () => {
    expect(diffRouteConfigs(base, base)).toEqual([]);
  });

  it("names each changed field and each added, removed or changed target", () => {
    const after = routeConfigInput.parse({
      ...base,
      strategy: "LATENCY",
      matchTags: ["eu"],
      labels: ["PHI", "EU"],
      targets: [
        { agentId: "cagentaaaaaaaaaaaaaaaaaaaa", weight: 80 },
        { agentId: "cagentcccccccccccccccccccc", weight: 10, priority: 1 },
      ],
    });
    const names: Record<string, string> = { cagentaaaaaaaaaaaaaaaaaaaa: "A", cagentbbbbbbbbbbbbbbbbbbbb: "B", cagentcccccccccccccccccccc: "C" };
    expect(diffRouteConfigs(base, after, (id) => names[id] ?? id)).toEqual([
      { field: "strategy", before: "WEIGHTED", after: "LATENCY" },
      { field: "matchTags", before: "—", after: "eu" },
      { field: "labels", before: "—", after: "PHI, EU" },
      { field: "target A", before: "weight 100, priority 0", after: "weight 80, priority 0" },
      { field: "target B", before: "weight 50, priority 0", after: "removed" },
      { field: "target C", before: "—", after: "added: weight 10, priority 1" },
    ]);
  });
});

describe("route configuration rules", () => {
  it("upper-cases data labels and refuses malformed ones", () => {
    expect(routeConfigInput.parse({ ...base, labels: ["phi", " eu "] }).labels).toEqual(["PHI", "EU"]);
    expect(routeConfigInput.parse({ ...base, labels: undefined }).labels).toEqual([]);
    expect(routeConfigInput.safeParse({ ...base, labels: ["top secret"] }).error?.issues[0]?.message).toMatch(/^A data label is 1–40/);
  });

  it("explains what is wrong", () => {
    const result = routeConfigInput.safeParse({ ...base, timeoutMs: 5000, deadlineMs: 1000, targets: [] });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(messages).toContain("deadlineMs: The deadline must be at least the per-attempt timeout");
    expect(messages).toContain("targets: Add at least one agent as a target");
  });

  it("a capability route needs a skill but no targets", () => {
    expect(routeConfigInput.safeParse({ ...base, strategy: "CAPABILITY", targets: [] }).error?.issues[0]?.message).toBe(
      "A capability-based route needs the skill to look for",
    );
    expect(routeConfigInput.safeParse({ ...base, strategy: "CAPABILITY", requiredSkill: "translate", targets: [] }).success).toBe(true);
  });

  it("refuses the same agent twice and an all-zero weighted route", () => {
    const twice = routeConfigInput.safeParse({ ...base, targets: [base.targets[0], base.targets[0]] });
    expect(twice.error?.issues[0]?.message).toBe("This agent is already a target");
    const zero = routeConfigInput.safeParse({ ...base, targets: [{ agentId: "cagentaaaaaaaaaaaaaaaaaaaa", weight: 0 }] });
    expect(zero.error?.issues[0]?.message).toBe("At least one target needs a weight above 0");
  });
});

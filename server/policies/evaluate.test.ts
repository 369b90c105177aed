import { describe, expect, it } from "vitest";
import { checkCondition } from "./cel";
import { agentVerdict, compilePolicies, decide, noteMonitoredExclusions, type PolicyDefinition } from "./evaluate";

const facts = {
  routeId: "r1",
  routeAlias: "chat",
  routeLabels: ["PHI"],
  labels: ["PHI", "EU"],
  model: "chat",
  stream: false,
  subject: "user-1",
  keyId: "k1",
  keyName: "backend",
  protocol: "openai",
  headers: { "x-team": "care" },
  at: new Date(Date.UTC(2026, 10, 25, 14, 30)), // a Wednesday, 14:30 UTC
};

let n = 0;
const policy = (p: Partial<PolicyDefinition> & Pick<PolicyDefinition, "effect" | "condition">): PolicyDefinition => ({
  id: `p${++n}`,
  orgId: "o1",
  name: p.name ?? `policy ${n}`,
  enabled: true,
  scope: "ORGANIZATION",
  scopeId: null,
  mode: "ENFORCE",
  params: {},
  ...p,
});

const eu = { id: "a-eu", name: "Atlas EU", slug: "atlas-eu", region: "eu-west-1", provider: "acme", tags: ["gpu"], protocol: "OPENAI" };
const us = { id: "a-us", name: "Atlas US", slug: "atlas-us", region: "us-east-1", provider: "acme", tags: [], protocol: "OPENAI" };

function run(defs: PolicyDefinition[], extra: Partial<typeof facts> = {}, pii: string[] = []) {
  const { policies, errors } = compilePolicies(defs);
  expect(errors).toEqual([]);
  let detected = 0;
  const outcome = decide(policies, { facts: { ...facts, ...extra }, detectPii: () => (detected++, pii), candidateAgentIds: [eu.id, us.id] });
  return { outcome, detected };
}

describe("conditions", () => {
  it("type-check against the request schema with positions", () => {
    expect(checkCondition(`"EU" in request.labels && request.hour >= 9`, "condition")).toEqual({ ok: true });
    expect(checkCondition(`request.weekday == 3 && request.headers["x-team"] == "care"`, "condition")).toEqual({ ok: true });
    const typo = checkCondition(`"EU" in request.lables`, "condition");
    expect(typo.ok).toBe(false);
    if (!typo.ok) expect(typo.error).toMatchObject({ start: 16, end: 22, message: expect.stringContaining("line 1, column 17") });
    const multiline = checkCondition(`"EU" in request.labels &&\n  request.nope`, "condition");
    if (!multiline.ok) expect(multiline.error.message).toContain("line 2");
    expect(checkCondition(`agent.region == "eu"`, "agentCondition")).toEqual({ ok: true });
    expect(checkCondition(`1 + 1`, "condition").ok).toBe(false);
    expect(checkCondition(``, "condition").ok).toBe(false);
  });
});

describe("decide", () => {
  it("deny wins and says which policy matched; other effects are recorded, not applied", () => {
    const { outcome } = run([
      policy({ name: "mask", effect: "REDACT", condition: "true", params: { kinds: ["EMAIL"], direction: "BOTH" } }),
      policy({ name: "no EU at night", effect: "DENY", condition: `"EU" in request.labels && request.hour >= 14`, params: { message: "Not now" } }),
      policy({ name: "second deny", effect: "DENY", condition: "true" }),
    ]);
    expect(outcome.denied).toMatchObject({ name: "no EU at night", message: "Not now" });
    expect(outcome.decisions.map((d) => [d.name, d.applied])).toEqual([
      ["mask", false],
      ["no EU at night", true],
      ["second deny", true],
    ]);
  });

  it("monitor mode records without applying", () => {
    const { outcome } = run([
      policy({ name: "watch", mode: "MONITOR", effect: "DENY", condition: "true" }),
      policy({ name: "watch redact", mode: "MONITOR", effect: "REDACT", condition: "true", params: { kinds: ["ALL"] } }),
      policy({ name: "watch region", mode: "MONITOR", effect: "RESTRICT_ROUTING", condition: "true", params: { agentCondition: `agent.region.startsWith("eu")` } }),
    ]);
    expect(outcome.denied).toBeNull();
    expect(outcome.redactRequest).toBeNull();
    expect(outcome.agentRules).toEqual([]);
    noteMonitoredExclusions(outcome, [eu, us]);
    expect(outcome.decisions.find((d) => d.name === "watch region")?.detail).toBe("would exclude Atlas US");
    expect(outcome.decisions.every((d) => !d.applied)).toBe(true);
  });

  it("scopes: route, key and agent policies apply only where they point", () => {
    const { outcome } = run([
      policy({ name: "other route", scope: "ROUTE", scopeId: "r2", effect: "DENY", condition: "true" }),
      policy({ name: "this key", scope: "API_KEY", scopeId: "k1", effect: "CAP_TOKENS", condition: "true", params: { maxTokens: 100 } }),
      policy({ name: "tighter", effect: "CAP_TOKENS", condition: "true", params: { maxTokens: 50 } }),
      policy({ name: "not the US agent", scope: "AGENT", scopeId: us.id, effect: "DENY", condition: "true" }),
      policy({ name: "agent not on route", scope: "AGENT", scopeId: "a-other", effect: "DENY", condition: "true" }),
    ]);
    expect(outcome.denied).toBeNull();
    expect(outcome.maxTokens).toBe(50);
    expect(agentVerdict(outcome, eu)).toEqual({ allowed: true });
    expect(agentVerdict(outcome, us)).toMatchObject({ allowed: false, blockedBy: "not the US agent" });
    expect(outcome.decisions.map((d) => d.name)).toEqual(["this key", "tighter", "not the US agent"]);
  });

  it("residency: agent conditions read the agent and the request", () => {
    const { outcome } = run([
      policy({ name: "EU in EU", effect: "RESTRICT_ROUTING", condition: `"EU" in request.labels`, params: { agentCondition: `agent.region.startsWith("eu") && request.routeAlias == "chat"` } }),
    ]);
    expect(agentVerdict(outcome, eu).allowed).toBe(true);
    expect(agentVerdict(outcome, us)).toMatchObject({ allowed: false, blockedBy: "EU in EU" });
    const unlabelled = run([policy({ effect: "RESTRICT_ROUTING", condition: `"EU" in request.labels`, params: { agentCondition: "false" } })], { labels: [] });
    expect(agentVerdict(unlabelled.outcome, us).allowed).toBe(true);
  });

  it("redaction kinds merge per direction", () => {
    const { outcome } = run([
      policy({ effect: "REDACT", condition: "true", params: { kinds: ["EMAIL"], direction: "REQUEST" } }),
      policy({ effect: "REDACT", condition: "true", params: { kinds: ["CARD"], direction: "BOTH" } }),
      policy({ effect: "REDACT", condition: "false", params: { kinds: ["SSN"], direction: "BOTH" } }),
    ]);
    expect([...outcome.redactRequest!].sort()).toEqual(["CARD", "EMAIL"]);
    expect([...outcome.redactResponse!]).toEqual(["CARD"]);
  });

  it("require-label denies only when the label is missing", () => {
    const def = policy({ effect: "REQUIRE_LABEL", condition: "true", params: { label: "PHI" } });
    expect(run([def]).outcome.denied).toBeNull();
    expect(run([def], { labels: [] }).outcome.denied?.message).toContain("x-helix-data-labels: PHI");
  });

  it("detects PII only when a policy reads it, once", () => {
    const reads = [policy({ effect: "DENY", condition: `"CARD" in request.pii` }), policy({ effect: "DENY", condition: `"SSN" in request.pii` })];
    const withPii = run(reads, {}, ["CARD"]);
    expect(withPii.detected).toBe(1);
    expect(withPii.outcome.denied).not.toBeNull();
    expect(run([policy({ effect: "DENY", condition: `"X" in request.labels` })]).detected).toBe(0);
  });

  it("an evaluation error counts as false and is recorded", () => {
    const { outcome } = run([policy({ name: "absent header", effect: "DENY", condition: `request.headers["x-missing"] == "1"` })]);
    expect(outcome.denied).toBeNull();
    expect(outcome.decisions[0]).toMatchObject({ name: "absent header", applied: false, error: expect.stringMatching(/x-missing/) });
  });

  it("skips policies that no longer compile and reports them", () => {
    const { policies, errors } = compilePolicies([policy({ name: "broken", effect: "DENY", condition: "request.gone == 1" }), policy({ effect: "DENY", condition: "false" })]);
    expect(policies).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ name: "broken" })]);
  });
});

import { describe, expect, it } from "vitest";
import { policyConfigInput, type PolicyView } from "@/server/policies/schema";
import {
  effectSummary,
  emptyPolicyForm,
  formFromPolicy,
  placePolicyErrors,
  policyFormSignature,
  readPolicyForm,
  toggleKind,
  withScope,
  type PolicyForm,
} from "./policy-form";

const ROUTE = "crouteaaaaaaaaaaaaaaaaaaaa";
const form = (patch: Partial<PolicyForm> = {}): PolicyForm => ({ ...emptyPolicyForm(), name: " No SSNs ", condition: '"SSN" in request.pii', ...patch });

const saved: PolicyView = {
  id: "cpolicy",
  name: "EU residency",
  description: "Keep EU data in the EU",
  enabled: true,
  scope: "ROUTE",
  scopeId: ROUTE,
  scopeName: "Support",
  mode: "MONITOR",
  condition: '"EU" in request.labels',
  effect: "RESTRICT_ROUTING",
  params: { agentCondition: 'agent.region.startsWith("eu")' },
  version: 4,
  createdAt: new Date("2026-11-01T00:00:00Z"),
  updatedAt: new Date("2026-11-02T00:00:00Z"),
};

/** A tRPC error as the client receives it. */
const trpcError = (code: string, message: string, fieldErrors?: Record<string, string[]>) => ({ message, data: { code, ...(fieldErrors ? { fieldErrors } : {}) } });

describe("readPolicyForm", () => {
  it("sends only the chosen effect's parameters, and what the server accepts", () => {
    const read = readPolicyForm(form({ message: " Not here ", kinds: ["EMAIL"], label: "PHI", maxTokens: "5" }));
    expect(read.errors).toBeNull();
    expect(read.config).toEqual({
      name: "No SSNs",
      description: null,
      enabled: true,
      scope: "ORGANIZATION",
      scopeId: null,
      mode: "ENFORCE",
      condition: '"SSN" in request.pii',
      effect: "DENY",
      params: { message: "Not here" },
    });
    expect(policyConfigInput.safeParse(read.config).success).toBe(true);
  });

  it("reads each effect's fields", () => {
    expect(readPolicyForm(form({ effect: "REDACT", kinds: ["EMAIL", "PHONE"], direction: "REQUEST" })).config?.params).toEqual({ kinds: ["EMAIL", "PHONE"], direction: "REQUEST" });
    expect(readPolicyForm(form({ effect: "REDACT", kinds: ["EMAIL", "ALL"] })).config?.params).toEqual({ kinds: ["ALL"], direction: "BOTH" });
    expect(readPolicyForm(form({ effect: "REQUIRE_LABEL", label: " phi " })).config?.params).toEqual({ label: "PHI" });
    expect(readPolicyForm(form({ effect: "CAP_TOKENS", maxTokens: "1,000" })).config?.params).toEqual({ maxTokens: 1000 });
    const restrict = readPolicyForm(form({ effect: "RESTRICT_ROUTING", agentCondition: 'agent.region == "eu"', scope: "ROUTE", scopeId: ROUTE }));
    expect(restrict.config).toMatchObject({ scope: "ROUTE", scopeId: ROUTE, params: { agentCondition: 'agent.region == "eu"' } });
    for (const read of [restrict, readPolicyForm(form({ effect: "CAP_TOKENS", maxTokens: "1000" }))]) expect(policyConfigInput.safeParse(read.config).success).toBe(true);
  });

  it("keys problems by the server's field paths", () => {
    expect(readPolicyForm(form({ name: " ", condition: " ", scope: "API_KEY" })).errors).toEqual({
      name: "Give the policy a name",
      condition: expect.stringMatching(/^Write a condition/),
      scopeId: "Choose the API key this policy applies to",
    });
    expect(readPolicyForm(form({ effect: "REDACT", kinds: [] })).errors).toEqual({ "params.kinds": "Choose the PII kinds to mask" });
    expect(readPolicyForm(form({ effect: "RESTRICT_ROUTING" })).errors).toEqual({ "params.agentCondition": expect.stringMatching(/^Write which agents/) });
    expect(readPolicyForm(form({ effect: "REQUIRE_LABEL", label: "top secret" })).errors).toEqual({ "params.label": expect.stringMatching(/^A data label/) });
    expect(readPolicyForm(form({ effect: "CAP_TOKENS", maxTokens: "0" })).errors).toEqual({ "params.maxTokens": expect.stringMatching(/1–1,000,000/) });
    expect(readPolicyForm(form({ effect: "CAP_TOKENS", maxTokens: "1.5" })).errors).toEqual({ "params.maxTokens": expect.stringMatching(/whole number/) });
    expect(readPolicyForm(form({ scope: "AGENT", scopeId: "cagent", effect: "CAP_TOKENS", maxTokens: "10" })).errors).toEqual({ effect: expect.stringMatching(/^An agent-scoped policy/) });
  });
});

describe("saved policies", () => {
  it("round-trips a policy through the form", () => {
    const f = formFromPolicy(saved);
    expect(f).toMatchObject({ scope: "ROUTE", scopeId: ROUTE, mode: "MONITOR", agentCondition: 'agent.region.startsWith("eu")', description: "Keep EU data in the EU" });
    expect(readPolicyForm(f).config).toEqual({
      name: saved.name,
      description: saved.description,
      enabled: true,
      scope: "ROUTE",
      scopeId: ROUTE,
      mode: "MONITOR",
      condition: saved.condition,
      effect: "RESTRICT_ROUTING",
      params: saved.params,
    });
  });

  it("notices edits but not reordered kinds", () => {
    const f = formFromPolicy({ ...saved, effect: "REDACT", params: { kinds: ["EMAIL", "PHONE"], direction: "BOTH" } });
    expect(policyFormSignature({ ...f, kinds: ["PHONE", "EMAIL"] })).toBe(policyFormSignature(f));
    expect(policyFormSignature({ ...f, condition: "true" })).not.toBe(policyFormSignature(f));
  });
});

describe("form helpers", () => {
  it("forgets the scoped item when the scope changes", () => {
    expect(withScope(form({ scope: "ROUTE", scopeId: ROUTE }), "AGENT")).toMatchObject({ scope: "AGENT", scopeId: "" });
    expect(withScope(form({ scope: "ROUTE", scopeId: ROUTE }), "ROUTE").scopeId).toBe(ROUTE);
  });

  it("treats ALL as covering every other kind", () => {
    expect(toggleKind(["EMAIL"], "PHONE", true)).toEqual(["EMAIL", "PHONE"]);
    expect(toggleKind(["EMAIL", "PHONE"], "ALL", true)).toEqual(["ALL"]);
    expect(toggleKind(["ALL"], "EMAIL", true)).toEqual(["EMAIL"]);
    expect(toggleKind(["EMAIL", "PHONE"], "EMAIL", false)).toEqual(["PHONE"]);
  });

  it("summarizes what a policy does", () => {
    expect(effectSummary({ effect: "REDACT", params: { kinds: ["EMAIL"], direction: "BOTH" } })).toBe("mask EMAIL in request and answer");
    expect(effectSummary({ effect: "CAP_TOKENS", params: { maxTokens: 2000 } })).toBe("max_tokens ≤ 2,000");
    expect(effectSummary({ effect: "DENY", params: {} })).toBe("deny");
    expect(effectSummary({ effect: "REQUIRE_LABEL", params: { label: "PHI" } })).toBe("requires label PHI");
  });
});

describe("placePolicyErrors", () => {
  it("puts validation and domain errors next to their fields, with or without config.", () => {
    const placed = placePolicyErrors(
      trpcError("BAD_REQUEST", "config.name: A name has at least 2 characters; config.params.kinds.0: bad", {
        "config.name": ["A name has at least 2 characters"],
        "config.params.kinds.0": ["A PII kind is EMAIL…"],
      }),
    );
    expect(placed).toEqual({ fields: { name: "A name has at least 2 characters", "params.kinds": "A PII kind is EMAIL…" }, confirm: null, conflict: null, form: null });
    expect(placePolicyErrors(trpcError("BAD_REQUEST", "Condition: Unknown variable", { condition: ["Condition: Unknown variable"] })).fields).toEqual({ condition: "Condition: Unknown variable" });
  });

  it("separates the deny-everything confirmation and the stale-version conflict", () => {
    expect(placePolicyErrors(trpcError("BAD_REQUEST", "This policy would deny every request", { confirm: ["This policy would deny every request"] }))).toMatchObject({
      confirm: "This policy would deny every request",
      form: null,
    });
    expect(placePolicyErrors(trpcError("CONFLICT", "changed by someone else", { version: ["changed by someone else"] }))).toMatchObject({ conflict: "changed by someone else", form: null });
  });

  it("puts what belongs to no field at the top", () => {
    expect(placePolicyErrors(trpcError("NOT_FOUND", "Route not found")).form).toBe("Route not found");
    expect(placePolicyErrors(trpcError("BAD_REQUEST", "x", { orgSlug: ["Bad slug"] })).form).toBe("Bad slug");
    expect(placePolicyErrors(null)).toEqual({ fields: {}, confirm: null, conflict: null, form: null });
  });
});

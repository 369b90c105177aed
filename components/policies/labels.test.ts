import { describe, expect, it } from "vitest";
import { AGENT_FIELDS, checkCondition, REQUEST_FIELDS } from "@/server/policies/cel";
import { BUILT_IN_PII_KIND_NAMES } from "@/server/policies/schema";
import { AGENT_CONDITION_EXAMPLES, agentFieldHelp, CONDITION_EXAMPLES, decisionState, piiKindDescription, requestFieldHelp } from "./labels";

describe("the condition editor's reference", () => {
  it("has examples that the server accepts", () => {
    for (const e of CONDITION_EXAMPLES) expect(checkCondition(e.condition, "condition"), e.condition).toEqual({ ok: true });
    for (const e of AGENT_CONDITION_EXAMPLES) expect(checkCondition(e.condition, "agentCondition"), e.condition).toEqual({ ok: true });
  });

  it("describes every variable and every built-in PII kind", () => {
    expect(Object.keys(requestFieldHelp).sort()).toEqual(Object.keys(REQUEST_FIELDS).sort());
    expect(Object.keys(agentFieldHelp).sort()).toEqual(Object.keys(AGENT_FIELDS).sort());
    expect(Object.keys(piiKindDescription).sort()).toEqual([...BUILT_IN_PII_KIND_NAMES].sort());
  });
});

describe("decisionState", () => {
  it("tells applied, monitored and overruled decisions apart", () => {
    expect(decisionState({ mode: "MONITOR", applied: false, error: null })).toBe("monitor only");
    expect(decisionState({ mode: "ENFORCE", applied: true, error: null })).toBe("applied");
    expect(decisionState({ mode: "ENFORCE", applied: false, error: null })).toBe("not applied");
  });
});

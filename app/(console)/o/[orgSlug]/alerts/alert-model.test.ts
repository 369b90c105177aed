import { describe, expect, it } from "vitest";
import { alertTimeline, draftOf, emptyRuleDraft, evidenceChart, ruleInputOf } from "./alert-model";

const T = Date.UTC(2026, 0, 5, 8, 0);
const point = (i: number, value: number, anomaly = false) => ({ t: T + i * 60_000, value, expected: 100, lower: 80, upper: 120, anomaly, requests: 20 });

describe("evidenceChart", () => {
  it("draws the observed line, the expected band and marks the anomalous minutes", () => {
    const model = evidenceChart({
      metric: "p95",
      evidence: { metric: "p95", unit: "ms", points: [point(0, 100), point(1, 110), point(2, 1500, true)], threshold: null, forecast: null, statusChanges: null, requestsAffected: 20 },
    })!;
    expect(model.hasBand).toBe(true);
    expect(model.hasMarks).toBe(true);
    expect(model.rows.map((r) => r.mark ?? null)).toEqual([null, null, 1500]);
    expect(model.rows[0]!.band).toEqual([80, 120]);
    expect(model.unit).toBe("ms");
  });

  it("has nothing to draw for agent-health alerts", () => {
    expect(evidenceChart({ metric: null, evidence: { metric: null, unit: "", points: [], threshold: null, forecast: null, statusChanges: [], requestsAffected: 0 } })).toBeNull();
  });
});

describe("alertTimeline", () => {
  it("lists fired, acknowledged and resolved in order, naming who", () => {
    const entries = alertTimeline({
      startedAt: new Date(T),
      lastSeenAt: new Date(T + 120_000),
      occurrences: 3,
      ackedAt: new Date(T + 60_000),
      ackedByEmail: "sre@acme.test",
      resolvedAt: new Date(T + 600_000),
      resolvedBy: "auto",
    });
    expect(entries.map((e) => e.label)).toEqual(["Fired", "Acknowledged by sre@acme.test", "Last seen (3 anomalous minutes)", "Resolved by itself (back to normal)"]);
  });
});

describe("rule drafts", () => {
  it("send thresholds only for threshold and forecast rules", () => {
    expect(ruleInputOf({ ...emptyRuleDraft, name: "x", thresholdValue: "5" })).toMatchObject({ thresholdOp: null, thresholdValue: null, horizonMinutes: null, routeId: null });
    expect(ruleInputOf({ ...emptyRuleDraft, kind: "FORECAST", thresholdValue: "0.2", horizonMinutes: "30" })).toMatchObject({ thresholdOp: "gt", thresholdValue: 0.2, horizonMinutes: 30 });
  });

  it("round-trip a saved rule", () => {
    const draft = draftOf({
      id: "r",
      name: "Errors",
      kind: "THRESHOLD",
      metric: "errorRate",
      routeId: null,
      routeName: null,
      agentId: null,
      agentName: null,
      sensitivity: 0.5,
      thresholdOp: "gte",
      thresholdValue: 0.05,
      horizonMinutes: null,
      forMinutes: 3,
      minRequests: 10,
      severity: "HIGH",
      enabled: true,
      webhookIds: [],
      emailRecipients: ["oncall@acme.test", "sre@acme.test"],
      lastEvaluatedBucket: null,
      openAlerts: 0,
      createdAt: new Date(T),
      updatedAt: new Date(T),
    });
    expect(draft.emailRecipients).toBe("oncall@acme.test, sre@acme.test");
    expect(ruleInputOf(draft)).toMatchObject({ kind: "THRESHOLD", thresholdOp: "gte", thresholdValue: 0.05, forMinutes: 3, minRequests: 10, emailRecipients: ["oncall@acme.test", "sre@acme.test"] });
  });

  it("split email recipients on commas, semicolons and spaces", () => {
    expect(ruleInputOf({ ...emptyRuleDraft, emailRecipients: " a@x.test,b@x.test ;  c@x.test\n" }).emailRecipients).toEqual(["a@x.test", "b@x.test", "c@x.test"]);
    expect(ruleInputOf(emptyRuleDraft).emailRecipients).toEqual([]);
  });
});

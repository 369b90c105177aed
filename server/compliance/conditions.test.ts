import { describe, expect, it } from "vitest";
import { conditionCovers } from "./conditions";

const covers = (condition: string, routeLabels: string[], piiDetectionSuffices = false) => conditionCovers(condition, { routeLabels, piiDetectionSuffices }).covers;

describe("conditionCovers", () => {
  it("recognizes always-true conditions and labels the route carries", () => {
    expect(covers("true", [])).toBe(true);
    expect(covers('"EU" in request.labels', ["EU"])).toBe(true);
    expect(covers("'EU' in request.routeLabels", ["PHI", "EU"])).toBe(true);
    expect(covers('request.labels.exists(l, l == "EU")', ["EU"])).toBe(true);
    expect(covers('request.labels.exists(l, "EU" == l)', ["EU"])).toBe(true);
  });

  it("does not count a label the route does not carry", () => {
    expect(covers('"EU" in request.labels', ["PHI"])).toBe(false);
    expect(covers('"eu" in request.labels', ["EU"])).toBe(false);
    expect(covers('"EU" in request.pii', ["EU"])).toBe(false);
  });

  it("reads || and && soundly: || needs one certain part, && needs all", () => {
    expect(covers('"EU" in request.labels || request.model == "x"', ["EU"])).toBe(true);
    expect(covers('request.model == "x" || ("PHI" in request.labels)', ["PHI"])).toBe(true);
    expect(covers('"EU" in request.labels && request.model == "x"', ["EU"])).toBe(false);
    expect(covers('"EU" in request.labels && "PHI" in request.routeLabels', ["EU", "PHI"])).toBe(true);
    expect(covers('!("EU" in request.labels)', ["EU"])).toBe(false);
    expect(covers("false", ["EU"])).toBe(false);
    expect(covers("request.hour < 12", ["EU"])).toBe(false);
  });

  it("counts 'some PII detected' only where it is asked to (redaction)", () => {
    expect(covers("size(request.pii) > 0", ["PHI"], true)).toBe(true);
    expect(covers("request.pii.size() > 0", ["PHI"], true)).toBe(true);
    expect(covers("size(request.pii) > 0", ["PHI"], false)).toBe(false);
    expect(covers("size(request.pii) > 1", ["PHI"], true)).toBe(false);
  });

  it("says why a condition does not count, including one that does not compile", () => {
    const bad = conditionCovers("request.nope ==", { routeLabels: ["EU"] });
    expect(bad.covers).toBe(false);
    expect(!bad.covers && bad.reason).toMatch(/does not compile/);
    const partial = conditionCovers('request.model == "x"', { routeLabels: ["EU"] });
    expect(!partial.covers && partial.reason).toContain("not shown to be true");
  });
});

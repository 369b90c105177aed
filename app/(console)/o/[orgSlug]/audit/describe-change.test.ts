import { describe, expect, it } from "vitest";
import { describeChange } from "./describe-change";

describe("describeChange", () => {
  it("shows what changed between before and after", () => {
    expect(
      describeChange({ targetType: "member", before: { email: "a@x.test", role: "ADMIN" }, after: { email: "a@x.test", role: "VIEWER" } }),
    ).toBe("email: a@x.test, role: ADMIN → VIEWER");
  });
  it("lists the fields of a creation or removal", () => {
    expect(describeChange({ targetType: "organization", before: null, after: { name: "Acme", slug: "acme" } })).toBe("name: Acme, slug: acme");
    expect(describeChange({ targetType: "member", before: { email: "b@x.test" }, after: null })).toBe("email: b@x.test");
  });
  it("falls back to the target type when nothing was recorded", () => {
    expect(describeChange({ targetType: "invitation", before: null, after: null })).toBe("invitation");
  });
});

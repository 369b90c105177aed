import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect";

describe("safeRedirect", () => {
  it("keeps same-site paths", () => {
    expect(safeRedirect("/o/acme/members?x=1")).toBe("/o/acme/members?x=1");
  });
  it.each(["https://evil.test/", "//evil.test", "/\\evil.test", "javascript:alert(1)", "", null, 42, "/" + "a".repeat(3000)])(
    "refuses %s",
    (target) => {
      expect(safeRedirect(target)).toBe("/");
    },
  );
});

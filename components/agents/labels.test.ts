import { describe, expect, it } from "vitest";
import { capabilityTitle } from "./labels";

describe("capabilityTitle", () => {
  it("names the kinds an agent has, in a fixed order", () => {
    expect(capabilityTitle(["TOOL", "TOOL"])).toBe("Tools");
    expect(capabilityTitle(["MODEL"])).toBe("Models");
    expect(capabilityTitle(["TOOL", "SKILL"])).toBe("Skills and tools");
    expect(capabilityTitle(["MODEL", "TOOL", "SKILL"])).toBe("Skills, tools and models");
  });
  it("says Skills when there are none", () => {
    expect(capabilityTitle([])).toBe("Skills");
  });
});

import { describe, expect, it } from "vitest";
import { hasUpdate, installActionLabel, isInstallable, isTemplate, manifestFailMode, routeScopeText, upgradeTargets } from "./install-model";

const versions = [
  { version: "2.0.0", changelog: "", yanked: false },
  { version: "1.2.0", changelog: "", yanked: true },
  { version: "1.1.0", changelog: "", yanked: false },
  { version: "1.0.0", changelog: "", yanked: false },
];

describe("install model", () => {
  it("offers the newer versions that are not yanked", () => {
    expect(upgradeTargets(versions, "1.1.0").map((v) => v.version)).toEqual(["2.0.0"]);
    expect(upgradeTargets(versions, "1.0.0").map((v) => v.version)).toEqual(["2.0.0", "1.1.0"]);
    expect(upgradeTargets(versions, "2.0.0")).toEqual([]);
  });

  it("says when an update is available", () => {
    expect(hasUpdate({ version: "1.0.0", latestVersion: "1.1.0" })).toBe(true);
    expect(hasUpdate({ version: "1.1.0", latestVersion: "1.1.0" })).toBe(false);
    expect(hasUpdate({ version: "1.1.0", latestVersion: null })).toBe(false);
  });

  it("describes where an install runs", () => {
    const routes = [{ id: "r1", name: "Helix chat" }, { id: "r2", name: "Travel" }];
    expect(routeScopeText([], routes)).toBe("Every route");
    expect(routeScopeText(["r2"], routes)).toBe("1 route: Travel");
    expect(routeScopeText(["r1", "gone"], routes)).toBe("2 routes: Helix chat, a deleted route");
    expect(routeScopeText(["r1"], undefined)).toBe("1 route");
  });

  it("knows what is installed and the default fail mode", () => {
    expect(isInstallable("GATEWAY_PLUGIN")).toBe(true);
    expect(isInstallable("ROUTE_TEMPLATE")).toBe(false);
    expect(isTemplate("ROUTE_TEMPLATE") && isTemplate("AGENT_TEMPLATE")).toBe(true);
    expect(isTemplate("POLICY_PACK")).toBe(false);
    expect([installActionLabel("GATEWAY_PLUGIN"), installActionLabel("ROUTE_TEMPLATE"), installActionLabel("AGENT_TEMPLATE")]).toEqual(["Install", "Create route", "Register agent"]);
    expect(manifestFailMode({ failMode: "closed" })).toBe("closed");
    expect(manifestFailMode(undefined)).toBe("open");
  });
});

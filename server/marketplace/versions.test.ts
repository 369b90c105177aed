import { describe, expect, it } from "vitest";
import { checkNextVersion, latestAvailable, parseVersion, sortVersionsDesc } from "./versions";

describe("parseVersion", () => {
  it("parses MAJOR.MINOR.PATCH with an optional prerelease", () => {
    expect(parseVersion("1.2.3")).toEqual({ version: "1.2.3", major: 1, minor: 2, patch: 3, prerelease: null });
    expect(parseVersion(" 2.0.0-beta.1 ")).toEqual({ version: "2.0.0-beta.1", major: 2, minor: 0, patch: 0, prerelease: "beta.1" });
  });

  it("refuses what is not a plain semantic version", () => {
    for (const bad of ["1.0", "v1.0.0", "=1.0.0", "1.0.0+build.5", "01.0.0", "1.0.0.0", "latest", "", "1.0.0-", "x".repeat(70)]) {
      expect(parseVersion(bad), bad).toBeNull();
    }
  });
});

describe("version order", () => {
  it("orders by semver precedence, not as text", () => {
    const sorted = sortVersionsDesc(["1.9.0", "1.10.0", "1.10.0-rc.1", "0.9.9", "2.0.0-alpha", "1.2.10", "1.2.9"].map((version) => ({ version })));
    expect(sorted.map((v) => v.version)).toEqual(["2.0.0-alpha", "1.10.0", "1.10.0-rc.1", "1.9.0", "1.2.10", "1.2.9", "0.9.9"]);
  });

  it("accepts only a version greater than every published one, yanked included", () => {
    expect(checkNextVersion("1.0.0", [])).toMatchObject({ ok: true });
    expect(checkNextVersion("1.10.0", ["1.9.0", "1.2.0"])).toMatchObject({ ok: true });
    expect(checkNextVersion("2.0.0", ["2.0.0-rc.2"])).toMatchObject({ ok: true });
    expect(checkNextVersion("1.9.5", ["1.10.0"])).toEqual({ ok: false, message: "Version 1.9.5 is not greater than 1.10.0, the highest version published so far; use e.g. 1.10.1" });
    expect(checkNextVersion("1.0.0", ["1.0.0"])).toEqual({ ok: false, message: "Version 1.0.0 is already published; publish a higher version than 1.0.0" });
    expect(checkNextVersion("2.0.0-rc.1", ["2.0.0-rc.2"])).toMatchObject({ ok: false });
    expect(checkNextVersion("v2", ["1.0.0"])).toMatchObject({ ok: false, message: expect.stringContaining('"v2" is not a semantic version') });
  });

  it("finds the latest version that is not yanked", () => {
    const at = new Date();
    expect(latestAvailable([{ version: "1.0.0", yankedAt: null }, { version: "1.1.0", yankedAt: at }, { version: "1.0.1", yankedAt: null }])).toBe("1.0.1");
    expect(latestAvailable([{ version: "1.0.0", yankedAt: at }])).toBeNull();
  });
});

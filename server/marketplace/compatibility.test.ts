import { describe, expect, it } from "vitest";
import { encodeVersion, helixRangeSchema, intervals, multirangeLiteral, worksWith } from "./compatibility";
import { HELIX_VERSION } from "@/server/version";
import semver from "semver";

const enc = (v: string) => encodeVersion(semver.parse(v)!);

describe("HelixAgent version ranges", () => {
  it("encodes versions in order", () => {
    expect(enc("0.1.0") < enc("0.1.1")).toBe(true);
    expect(enc("0.9.9") < enc("0.10.0")).toBe(true);
    expect(enc("1.999.999") < enc("2.0.0")).toBe(true);
    expect(enc("2.0.0-rc.1")).toBe(enc("2.0.0"));
  });

  it("turns ranges into intervals the way semver reads them", () => {
    expect(intervals("^1.2.0")).toEqual([[enc("1.2.0"), enc("2.0.0")]]);
    expect(intervals("~0.4")).toEqual([[enc("0.4.0"), enc("0.5.0")]]);
    expect(intervals(">=0.1.0")).toEqual([[enc("0.1.0"), null]]);
    expect(intervals(">1.0.0 <=1.5.0")).toEqual([[enc("1.0.0") + 1n, enc("1.5.0") + 1n]]);
    expect(intervals("1.x || 3.x")).toEqual([
      [enc("1.0.0"), enc("2.0.0")],
      [enc("3.0.0"), enc("4.0.0")],
    ]);
    expect(intervals("*")).toEqual([[0n, null]]);
    expect(intervals("=1.2.3")).toEqual([[enc("1.2.3"), enc("1.2.3") + 1n]]);
    expect(multirangeLiteral("^0.1.0 || >=3")).toBe(`{[${enc("0.1.0")},${enc("0.2.0")}),[${enc("3.0.0")},)}`);
  });

  it("agrees with semver on which versions are in", () => {
    const ranges = ["^1.2.0", "~0.4.1", ">=0.1.0 <2", "1.x || 3.x", "<0.2.0", ">0.1.0", "0.1.0 - 0.3.0", "*", "^0.0.3"];
    const versions = ["0.0.3", "0.0.4", "0.1.0", "0.1.1", "0.2.0", "0.3.0", "0.4.1", "0.4.9", "0.5.0", "1.1.9", "1.2.0", "1.9.9", "2.0.0", "3.1.0", "4.0.0"];
    for (const r of ranges) for (const v of versions) expect(worksWith(r, v), `${v} in ${r}`).toBe(semver.satisfies(v, r));
  });

  it("accepts ranges and refuses what is not one, or matches nothing", () => {
    expect(helixRangeSchema.safeParse("^0.1.0").success).toBe(true);
    expect(helixRangeSchema.safeParse("banana").error?.issues[0]?.message).toMatch(/is not a semver range/);
    expect(helixRangeSchema.safeParse(">2 <1").error?.issues[0]?.message).toMatch(/matches no version/);
    expect(helixRangeSchema.safeParse("").success).toBe(false);
  });

  it("knows this HelixAgent's version", () => {
    expect(semver.valid(HELIX_VERSION)).toBe(HELIX_VERSION);
    expect(worksWith(null, HELIX_VERSION)).toBe(true);
    expect(worksWith(`^${HELIX_VERSION}`, HELIX_VERSION)).toBe(true);
    expect(worksWith(`>${HELIX_VERSION}`, HELIX_VERSION)).toBe(false);
  });
});

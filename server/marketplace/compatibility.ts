import semver from "semver";
import { z } from "zod";

/*
 * Which HelixAgent versions a listing version works with: its manifest's optional `helixVersion`,
 * an npm-style semver range ("^1.2.0", ">=0.1 <2", "1.x || 2.x"). Search filters on it in SQL, so
 * a range is also stored as a Postgres int8multirange over encoded versions (major·10¹² +
 * minor·10⁶ + patch; prerelease tags are ignored: "<2.0.0-0" reads as "<2.0.0").
 */

const MAX_PART = 999_999;

export const helixRangeSchema = z
  .string({ message: 'helixVersion is a semver range of HelixAgent versions, e.g. "^1.2.0" or ">=0.1.0 <2"' })
  .trim()
  .min(1, 'helixVersion is a semver range of HelixAgent versions, e.g. "^1.2.0" or ">=0.1.0 <2"')
  .max(200, "helixVersion has at most 200 characters")
  .superRefine((range, ctx) => {
    if (semver.validRange(range) === null) return void ctx.addIssue({ code: "custom", message: `"${range}" is not a semver range; write e.g. "^1.2.0", "~0.4", ">=0.1.0 <2" or "1.x || 2.x"` });
    if (intervals(range).length === 0) ctx.addIssue({ code: "custom", message: `"${range}" matches no version at all` });
  });

/** A version as a sortable integer (prerelease ignored); parts above 999,999 are capped. */
export function encodeVersion(v: semver.SemVer): bigint {
  const part = (n: number) => BigInt(Math.min(n, MAX_PART));
  return part(v.major) * 1_000_000_000_000n + part(v.minor) * 1_000_000n + part(v.patch);
}

/** The range as half-open intervals [lo, hi) of encoded versions; hi null = no upper bound. */
export function intervals(range: string): [bigint, bigint | null][] {
  const out: [bigint, bigint | null][] = [];
  for (const set of new semver.Range(range).set) {
    let lo = 0n;
    let hi: bigint | null = null;
    const below = (v: bigint) => (hi = hi === null || v < hi ? v : hi);
    for (const c of set) {
      if (c.value === "") continue; // "*": any version
      const v = encodeVersion(c.semver);
      switch (c.operator) {
        case ">=":
          if (v > lo) lo = v;
          break;
        case ">":
          if (v + 1n > lo) lo = v + 1n;
          break;
        case "<":
          below(v);
          break;
        case "<=":
          below(v + 1n);
          break;
        default:
          if (v > lo) lo = v;
          below(v + 1n);
      }
    }
    if (hi === null || lo < hi) out.push([lo, hi]);
  }
  return out;
}

/** The range as a Postgres int8multirange literal, e.g. "{[1000000000000,2000000000000)}". */
export function multirangeLiteral(range: string): string {
  return `{${intervals(range)
    .map(([lo, hi]) => `[${lo},${hi ?? ""})`)
    .join(",")}}`;
}

/** Whether `version` (this HelixAgent's, server/version.ts, on the server) is in the range; no range = every version. */
export function worksWith(range: string | null | undefined, version: string): boolean {
  if (!range) return true;
  const v = semver.parse(version);
  if (!v) return false;
  const at = encodeVersion(v);
  return intervals(range).some(([lo, hi]) => at >= lo && (hi === null || at < hi));
}

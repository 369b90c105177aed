import semver from "semver";

/** Semantic versions of listings, with the `semver` package npm itself uses. */

export interface ParsedVersion {
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string | null;
}

/** The version in canonical form ("v1.2.3" and "=1.2.3" are not accepted: write 1.2.3), or null. */
export function parseVersion(text: string): ParsedVersion | null {
  const trimmed = text.trim();
  if (trimmed.length > 64) return null;
  const parsed = semver.parse(trimmed);
  if (!parsed || parsed.version !== trimmed.replace(/\+.*$/, "") || trimmed.includes("+")) return null;
  return {
    version: parsed.version,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.length ? parsed.prerelease.join(".") : null,
  };
}

/** Newest first, by semver precedence. */
export function sortVersionsDesc<T extends { version: string }>(versions: readonly T[]): T[] {
  return [...versions].sort((a, b) => semver.rcompare(a.version, b.version));
}

export type NextVersionCheck = { ok: true; version: ParsedVersion } | { ok: false; message: string };

/**
 * Whether `candidate` may be published after `published` (every version ever published, yanked ones
 * included: a yanked number is never reused, so what a signature and an install named stays unique).
 */
export function checkNextVersion(candidate: string, published: readonly string[]): NextVersionCheck {
  const parsed = parseVersion(candidate);
  if (!parsed) {
    return { ok: false, message: `"${candidate.slice(0, 64)}" is not a semantic version: write MAJOR.MINOR.PATCH, e.g. 1.4.0 or 2.0.0-beta.1 (no "v", no build metadata)` };
  }
  const highest = sortVersionsDesc(published.map((version) => ({ version })))[0]?.version;
  if (highest && !semver.gt(parsed.version, highest)) {
    return {
      ok: false,
      message:
        parsed.version === highest || published.includes(parsed.version)
          ? `Version ${parsed.version} is already published; publish a higher version than ${highest}`
          : `Version ${parsed.version} is not greater than ${highest}, the highest version published so far; use e.g. ${semver.inc(highest, "patch")}`,
    };
  }
  return { ok: true, version: parsed };
}

/** The highest version that is not yanked, or null. */
export function latestAvailable(versions: readonly { version: string; yankedAt: Date | null }[]): string | null {
  return sortVersionsDesc(versions.filter((v) => !v.yankedAt))[0]?.version ?? null;
}

/**
 * Who is calling: an API key of an organization (looked up by its SHA-256 in the snapshot, so a
 * revocation takes effect as soon as the snapshot reloads — well within a second), or a console
 * token for one route (the console's "try it"). Plus the per-key rate limit.
 */
import { apiKeyPrefix, hashApiKey } from "@/server/api-keys/secret";
import { isConsoleToken, verifyConsoleToken } from "./console-token";
import { HttpError } from "./http";
import type { Snapshot, SnapshotKey, SnapshotRoute } from "./types";

export interface Principal {
  orgId: string;
  key: SnapshotKey | null;
  /** Console token: the one route it may use. */
  consoleRouteId: string | null;
}

const unauthorized = (message: string, code: string) =>
  new HttpError(401, message, "authentication_error", code, null, { "www-authenticate": 'Bearer realm="helixagent"' });

export function authenticate(token: string | undefined, snapshot: Snapshot, opts: { authSecret: string | undefined; now: number }): Principal {
  if (!token) {
    throw unauthorized("You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer hx_…'. Create one under API keys in the console.", "missing_api_key");
  }
  if (isConsoleToken(token)) {
    const claims = opts.authSecret ? verifyConsoleToken(token, opts.authSecret, opts.now) : null;
    if (!claims) throw unauthorized("The console token is invalid or has expired. Send the request again from the console.", "invalid_console_token");
    return { orgId: claims.orgId, key: null, consoleRouteId: claims.routeId };
  }
  if (!apiKeyPrefix(token)) {
    throw unauthorized("Incorrect API key provided. HelixAgent keys look like hx_0123abcd_…; create one under API keys in the console.", "invalid_api_key");
  }
  const key = snapshot.keysByHash.get(hashApiKey(token));
  if (!key) throw unauthorized("Incorrect API key provided: no such key. Create one under API keys in the console.", "invalid_api_key");
  if (key.revoked) throw unauthorized(`The API key ${key.prefix}… was revoked. Create a new one under API keys in the console.`, "revoked_api_key");
  if (key.expiresAt !== null && key.expiresAt <= opts.now) {
    throw unauthorized(`The API key ${key.prefix}… expired on ${new Date(key.expiresAt).toISOString()}. Create a new one under API keys in the console.`, "expired_api_key");
  }
  return { orgId: key.orgId, key, consoleRouteId: null };
}

/** Whether the principal may use the route. */
export function mayUse(principal: Principal, route: SnapshotRoute): boolean {
  if (route.orgId !== principal.orgId) return false;
  if (principal.consoleRouteId !== null) return route.id === principal.consoleRouteId;
  const ids = principal.key?.routeIds ?? [];
  return ids.length === 0 || ids.includes(route.id);
}

/** The routes (by alias) a principal may use. */
export function usableRoutes(principal: Principal, snapshot: Snapshot): SnapshotRoute[] {
  const byAlias = snapshot.routesByAlias.get(principal.orgId);
  if (!byAlias) return [];
  return [...byAlias.values()].filter((r) => mayUse(principal, r)).sort((a, b) => a.alias.localeCompare(b.alias));
}

/**
 * Per-key requests per minute, a sliding window estimated from the current and previous fixed
 * minute (as nginx and Cloudflare do): O(1) memory per key, smooth at minute boundaries. Counted
 * per gateway process; with several replicas each enforces the limit on its own share.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { minute: number; current: number; previous: number }>();

  /** Counts the request; returns the seconds to wait when it is over the limit, else 0. */
  take(keyId: string, limitPerMinute: number, now: number): number {
    const minute = Math.floor(now / 60_000);
    let w = this.windows.get(keyId);
    if (!w) this.windows.set(keyId, (w = { minute, current: 0, previous: 0 }));
    if (w.minute !== minute) {
      w.previous = w.minute === minute - 1 ? w.current : 0;
      w.current = 0;
      w.minute = minute;
    }
    const elapsed = (now % 60_000) / 60_000;
    const estimate = w.previous * (1 - elapsed) + w.current;
    if (estimate + 1 > limitPerMinute) return Math.max(1, Math.ceil((1 - elapsed) * 60));
    w.current++;
    return 0;
  }
}

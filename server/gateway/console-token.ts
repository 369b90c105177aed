import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Short-lived tokens the console uses to send a "try it" request through the gateway on behalf of a
 * signed-in member, without an API key: `hxc_<payload>.<signature>` where the payload (base64url
 * JSON) names the organization, the route and the user, and the signature is HMAC-SHA256 under a key
 * derived from AUTH_SECRET (which the console and the gateway share). Valid for one minute.
 */
export interface ConsoleTokenClaims {
  orgId: string;
  routeId: string;
  userId: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

const PREFIX = "hxc_";
const TTL_MS = 60_000;

function signingKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("helix-gateway-console-token").digest();
}

function sign(payload: string, secret: string): string {
  return createHmac("sha256", signingKey(secret)).update(payload).digest("base64url");
}

export function signConsoleToken(claims: Omit<ConsoleTokenClaims, "exp">, secret: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, exp: now + TTL_MS })).toString("base64url");
  return `${PREFIX}${payload}.${sign(payload, secret)}`;
}

export function isConsoleToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

/** The claims of a valid, unexpired token; null otherwise. */
export function verifyConsoleToken(token: string, secret: string, now = Date.now()): ConsoleTokenClaims | null {
  if (!token.startsWith(PREFIX) || token.length > 2048) return null;
  const [payload, signature] = token.slice(PREFIX.length).split(".");
  if (!payload || !signature) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<ConsoleTokenClaims>;
    if (typeof claims.orgId !== "string" || typeof claims.routeId !== "string" || typeof claims.userId !== "string") return null;
    if (typeof claims.exp !== "number" || claims.exp < now) return null;
    return { orgId: claims.orgId, routeId: claims.routeId, userId: claims.userId, exp: claims.exp };
  } catch {
    return null;
  }
}

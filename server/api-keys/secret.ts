import { createHash, randomBytes } from "node:crypto";

/**
 * Gateway API keys look like `hx_3f9a1c07_<43 random base64url characters>`. The first part is
 * the visible prefix (lists, logs); the key is stored only as its SHA-256 — the 256 random bits
 * make a slow hash unnecessary and keep the per-request lookup one index probe.
 */
export function newApiKey(): { secret: string; prefix: string; hash: string } {
  const prefix = `hx_${randomBytes(4).toString("hex")}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { secret, prefix, hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The prefix of a presented key, or null when it is not shaped like one of ours. */
export function apiKeyPrefix(secret: string): string | null {
  const match = /^(hx_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/.exec(secret);
  return match ? match[1]! : null;
}

import type { ApiKeyView } from "@/server/api-keys/schema";

export type ApiKeyStatus = ApiKeyView["status"];

export const apiKeyStatusLabel: Record<ApiKeyStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };
export const apiKeyStatusDescription: Record<ApiKeyStatus, string> = {
  active: "The gateway accepts this key",
  expired: "Past its expiry date; the gateway refuses it",
  revoked: "Revoked by a person; the gateway refuses it",
};

/** "hx_3f9a1c07" → "hx_3f9a1c07…": the visible start of a key whose rest is never shown again. */
export function keyPrefixLabel(prefix: string): string {
  return `${prefix}…`;
}

/** Which routes a key may call, in words: no routes listed means every route of the organization. */
export function routeScopeLabel(key: Pick<ApiKeyView, "routeIds" | "routes">): string {
  if (key.routeIds.length === 0) return "All routes";
  const names = key.routes.map((r) => r.name);
  const missing = key.routeIds.length - names.length;
  return [...names, ...(missing > 0 ? [`${missing} deleted ${missing === 1 ? "route" : "routes"}`] : [])].join(", ");
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today as a date input's value (UTC), the earliest expiry the form offers. */
export function todayInputValue(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/**
 * The expiry date from a date input ("2026-12-31"): the key works through the end of that day,
 * UTC. Empty means the key never expires.
 */
export function parseExpiry(text: string, now: number): { value: Date | null } | { error: string } {
  const t = text.trim();
  if (!t) return { value: null };
  const m = DAY.exec(t);
  if (!m) return { error: "Give the date as YYYY-MM-DD" };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day, 23, 59, 59, 999));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { error: `${t} is not a date` };
  if (date.getTime() <= now) return { error: "The expiry date must be in the future" };
  return { value: date };
}

export const RATE_LIMIT_MAX = 1_000_000;

/** Requests a minute, or null (no limit) when empty. */
export function parseRateLimit(text: string): { value: number | null } | { error: string } {
  const t = text.trim().replace(/[,_\s]/g, "");
  if (!t) return { value: null };
  if (!/^\d+$/.test(t)) return { error: `“${text.trim()}” is not a whole number` };
  const value = Number(t);
  if (value < 1 || value > RATE_LIMIT_MAX) return { error: "A rate limit is 1–1,000,000 requests a minute" };
  return { value };
}

export interface ApiKeyDraft {
  name: string;
  routeIds: string[];
  expiresAt: string;
  rateLimitPerMinute: string;
}

export const emptyApiKeyDraft: ApiKeyDraft = { name: "", routeIds: [], expiresAt: "", rateLimitPerMinute: "" };

/** The draft as `apiKey.create`'s input, or the problems to show next to the fields. */
export function readApiKeyDraft(
  draft: ApiKeyDraft,
  now: number,
): { input: { name: string; routeIds: string[]; expiresAt: Date | null; rateLimitPerMinute: number | null }; errors: null } | { input: null; errors: Partial<Record<keyof ApiKeyDraft, string>> } {
  const errors: Partial<Record<keyof ApiKeyDraft, string>> = {};
  const name = draft.name.trim();
  if (name.length < 2) errors.name = "A name has at least 2 characters";
  const expiry = parseExpiry(draft.expiresAt, now);
  if ("error" in expiry) errors.expiresAt = expiry.error;
  const limit = parseRateLimit(draft.rateLimitPerMinute);
  if ("error" in limit) errors.rateLimitPerMinute = limit.error;
  if ("error" in expiry || "error" in limit || errors.name) return { input: null, errors };
  return { input: { name, routeIds: [...new Set(draft.routeIds)], expiresAt: expiry.value, rateLimitPerMinute: limit.value }, errors: null };
}

/** Checks or unchecks one route in the list of routes a key may use. */
export function toggleRoute(routeIds: readonly string[], routeId: string, checked: boolean): string[] {
  const rest = routeIds.filter((id) => id !== routeId);
  return checked ? [...rest, routeId] : rest;
}

import { AGENT_PROTOCOLS, AGENT_STATUSES, type AgentProtocol, type AgentStatus } from "./labels";
import { TAG_PATTERN } from "./tags";

/*
 * The agents list keeps its whole state in the URL (?q=…&protocol=…&page=2), so a view can be
 * bookmarked, shared and reloaded. These functions are the one translation between the URL, the
 * form and the `agent.list` input; the server page and the client view use the
 * same ones, so the prefetched query is exactly the one the browser asks for.
 */

export const SORT_KEYS = ["name", "createdAt", "status", "lastCheckedAt", "relevance"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export const sortLabel: Record<SortKey, string> = {
  name: "Name",
  createdAt: "Date added",
  status: "Status",
  lastCheckedAt: "Last check",
  relevance: "Relevance",
};

export interface AgentListParams {
  q: string;
  protocol: AgentProtocol | null;
  status: AgentStatus | null;
  region: string;
  tag: string;
  sort: SortKey;
  dir: SortDir;
  page: number;
  pageSize: number;
}

/** URLSearchParams (or Next.js' read-only kind) in the browser, the page's `searchParams` on the server. */
export type ParamSource = Pick<URLSearchParams, "get"> | Record<string, string | string[] | undefined>;

const isSearchParams = (source: ParamSource): source is Pick<URLSearchParams, "get"> => typeof source.get === "function";

function read(source: ParamSource, key: string): string {
  const value = isSearchParams(source) ? source.get(key) : source[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

const member = <T extends string>(list: readonly T[], value: string): T | null => (list.includes(value as T) ? (value as T) : null);

function positiveInt(value: string, max: number): number | null {
  if (!/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 && n <= max ? n : null;
}

/** A search is ranked by relevance; otherwise the list is in name order unless the URL says otherwise. */
export const defaultSort = (q: string): SortKey => (q ? "relevance" : "name");

/** Reads the list's state from a URL; anything missing or malformed falls back to the default. */
export function parseAgentListParams(source: ParamSource): AgentListParams {
  const q = read(source, "q").slice(0, 200);
  const tag = read(source, "tag").toLowerCase();
  const requestedSort = member(SORT_KEYS, read(source, "sort"));
  // With a query the server always ranks by relevance; without one relevance means nothing.
  const sort = q ? "relevance" : requestedSort && requestedSort !== "relevance" ? requestedSort : "name";
  const pageSize = Number(read(source, "pageSize"));
  return {
    q,
    protocol: member(AGENT_PROTOCOLS, read(source, "protocol")),
    status: member(AGENT_STATUSES, read(source, "status")),
    region: read(source, "region").slice(0, 40),
    tag: TAG_PATTERN.test(tag) ? tag : "",
    sort,
    dir: sort === "relevance" ? "desc" : read(source, "dir") === "desc" ? "desc" : "asc",
    page: positiveInt(read(source, "page"), 10_000) ?? 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The query string for a state ("" or "?…"), leaving out whatever is the default. */
export function agentListSearch(p: AgentListParams): string {
  const out = new URLSearchParams();
  if (p.q) out.set("q", p.q);
  if (p.protocol) out.set("protocol", p.protocol);
  if (p.status) out.set("status", p.status);
  if (p.region) out.set("region", p.region);
  if (p.tag) out.set("tag", p.tag);
  if (!p.q && p.sort !== "name") out.set("sort", p.sort);
  if (!p.q && p.dir !== "asc") out.set("dir", p.dir);
  if (p.page !== 1) out.set("page", String(p.page));
  if (p.pageSize !== DEFAULT_PAGE_SIZE) out.set("pageSize", String(p.pageSize));
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** Whether anything narrows the list (so "no rows" means "no matches", not "no agents yet"). */
export function hasFilters(p: AgentListParams): boolean {
  return Boolean(p.q || p.protocol || p.status || p.region || p.tag);
}

/**
 * A new state from the current one and some changes. Changing what is shown (query, filters, sort,
 * page size) starts again at page 1.
 */
export function nextListParams(current: AgentListParams, changes: Partial<AgentListParams>): AgentListParams {
  const merged = { ...current, ...changes };
  if (!("page" in changes)) merged.page = 1;
  if (!merged.q && merged.sort === "relevance") Object.assign(merged, { sort: "name", dir: "asc" });
  // Through the URL and back, so the result obeys the same rules as a state read from a link.
  return parseAgentListParams(new URLSearchParams(agentListSearch(merged)));
}

const filtersOf = (p: AgentListParams) => ({
  protocol: p.protocol ?? undefined,
  status: p.status ?? undefined,
  region: p.region || undefined,
  tag: p.tag || undefined,
});

/** `agent.list` input for a state. */
export function toListInput(orgSlug: string, p: AgentListParams) {
  return { orgSlug, q: p.q || undefined, ...filtersOf(p), sort: p.sort, dir: p.dir, page: p.page, pageSize: p.pageSize };
}

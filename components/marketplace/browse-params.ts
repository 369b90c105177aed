import type { ListingKind } from "@/server/marketplace/manifest";
import type { Category } from "@/server/marketplace/schema";

/*
 * The marketplace browse page keeps its whole state in the URL (?q=…&kind=gateway-plugin&page=2),
 * so a search can be bookmarked, shared and reloaded, and the page renders on the server from the
 * URL alone. These functions are the one translation between the URL and `marketplace.search`.
 * Type-only imports from the server: this file is used by client components too.
 */

/** Kinds as they read in a URL. */
export const KIND_PARAMS = {
  "gateway-plugin": "GATEWAY_PLUGIN",
  "policy-pack": "POLICY_PACK",
  "route-template": "ROUTE_TEMPLATE",
  "agent-template": "AGENT_TEMPLATE",
} as const satisfies Record<string, ListingKind>;
export type KindParam = keyof typeof KIND_PARAMS;
export const KIND_PARAM_KEYS = Object.keys(KIND_PARAMS) as KindParam[];

/** The same labels as the server's listingKindLabel (kept here so client bundles skip the manifest code). */
export const kindLabel: Record<ListingKind, string> = {
  GATEWAY_PLUGIN: "Gateway plugin",
  POLICY_PACK: "Policy pack",
  ROUTE_TEMPLATE: "Route template",
  AGENT_TEMPLATE: "Agent template",
};

export const BROWSE_SORTS = ["relevance", "popular", "rating", "newest"] as const;
export type BrowseSort = (typeof BROWSE_SORTS)[number];
export const sortLabel: Record<BrowseSort, string> = {
  relevance: "Best match",
  popular: "Most popular",
  rating: "Top rated",
  newest: "Newest",
};

export const BROWSE_PAGE_SIZE = 24;
const MAX_PAGE = 1000;
/** Category slugs are checked by the server's enum; here only their shape, so a bad one is dropped, not sent. */
const CATEGORY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface BrowseParams {
  q: string;
  kind: KindParam | null;
  category: string | null;
  verified: boolean;
  /** Only listings that work with this HelixAgent version. */
  compatible: boolean;
  /** null = the default: relevance with a query, popular without. */
  sort: BrowseSort | null;
  page: number;
}

export type ParamSource = Pick<URLSearchParams, "get"> | Record<string, string | string[] | undefined>;
const isSearchParams = (source: ParamSource): source is Pick<URLSearchParams, "get"> => typeof source.get === "function";

function read(source: ParamSource, key: string): string {
  const value = isSearchParams(source) ? source.get(key) : source[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

/** Reads the state from a URL; anything missing or malformed falls back to the default. */
export function parseBrowseParams(source: ParamSource, categories?: readonly string[]): BrowseParams {
  const q = read(source, "q").slice(0, 200);
  const kind = read(source, "kind");
  const category = read(source, "category");
  const sort = read(source, "sort");
  const page = read(source, "page");
  const verified = read(source, "verified");
  const compatible = read(source, "compatible");
  const validSort = (BROWSE_SORTS as readonly string[]).includes(sort) ? (sort as BrowseSort) : null;
  return {
    q,
    kind: Object.hasOwn(KIND_PARAMS, kind) ? (kind as KindParam) : null,
    category: CATEGORY_PATTERN.test(category) && (!categories || categories.includes(category)) ? category : null,
    verified: verified === "1" || verified === "true" || verified === "on",
    compatible: compatible === "1" || compatible === "true" || compatible === "on",
    // Relevance means nothing without a query.
    sort: validSort === "relevance" && !q ? null : validSort,
    page: /^\d{1,4}$/.test(page) && Number(page) >= 1 ? Math.min(Number(page), MAX_PAGE) : 1,
  };
}

/** The sort the server applies for a state. */
export const effectiveSort = (p: BrowseParams): BrowseSort => p.sort ?? (p.q ? "relevance" : "popular");

/** The query string for a state ("" or "?…"), leaving out defaults. */
export function browseSearch(p: BrowseParams): string {
  const out = new URLSearchParams();
  if (p.q) out.set("q", p.q);
  if (p.kind) out.set("kind", p.kind);
  if (p.category) out.set("category", p.category);
  if (p.verified) out.set("verified", "1");
  if (p.compatible) out.set("compatible", "1");
  if (p.sort && p.sort !== (p.q ? "relevance" : "popular")) out.set("sort", p.sort);
  if (p.page !== 1) out.set("page", String(p.page));
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** A link to the browse page with some changes; changing what is shown starts again at page 1. */
export function browseHref(current: BrowseParams, changes: Partial<BrowseParams>): string {
  const next = { ...current, ...changes };
  if (!("page" in changes)) next.page = 1;
  if (!next.q && next.sort === "relevance") next.sort = null;
  return `/marketplace${browseSearch(next)}`;
}

/** Whether anything narrows the results (so "nothing found" means "no matches", not "empty catalog"). */
export function hasBrowseFilters(p: BrowseParams): boolean {
  return Boolean(p.q || p.kind || p.category || p.verified || p.compatible);
}

/** `marketplace.search` input for a state. */
export function toSearchInput(p: BrowseParams) {
  return {
    q: p.q || undefined,
    kind: p.kind ? KIND_PARAMS[p.kind] : undefined,
    // Checked against the category list by parseBrowseParams on the page.
    category: (p.category ?? undefined) as Category | undefined,
    verifiedOnly: p.verified,
    compatibleOnly: p.compatible,
    sort: p.sort ?? undefined,
    page: p.page,
    pageSize: BROWSE_PAGE_SIZE,
  };
}

/** The page title for a state: "Gateway plugins matching “keyword”", for titles and headings. */
export function browseTitle(p: BrowseParams, categoryLabel?: string | null): string {
  const what = p.kind ? `${kindLabel[KIND_PARAMS[p.kind]]}s` : "Plugins and templates";
  const parts = [what];
  if (categoryLabel) parts.push(`in ${categoryLabel}`);
  if (p.q) parts.push(`matching “${p.q}”`);
  return parts.join(" ");
}

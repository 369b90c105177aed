/*
 * The moderation pages keep their state in the URL (/marketplace/admin?resolved=1&page=2,
 * /marketplace/admin/publishers?q=helix), so the server renders them from the URL alone and a view
 * can be reloaded or shared. These functions are the one translation between the URL and the
 * `marketplace.admin.*` inputs. No server imports: client components use them too.
 */

export const MODERATION_PATH = "/marketplace/admin";
export const PUBLISHERS_PATH = "/marketplace/admin/publishers";
export const PUBLISHER_PAGE_SIZE = 20;
const MAX_PAGE = 1000;

export type ParamSource = Pick<URLSearchParams, "get"> | Record<string, string | string[] | undefined>;
const isSearchParams = (source: ParamSource): source is Pick<URLSearchParams, "get"> => typeof source.get === "function";

function read(source: ParamSource, key: string): string {
  const value = isSearchParams(source) ? source.get(key) : source[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

const readPage = (source: ParamSource) => {
  const page = read(source, "page");
  return /^\d{1,4}$/.test(page) && Number(page) >= 1 ? Math.min(Number(page), MAX_PAGE) : 1;
};

const withQuery = (path: string, params: URLSearchParams) => {
  const text = params.toString();
  return text ? `${path}?${text}` : path;
};

export interface ReportParams {
  /** Resolved reports too, not only the open ones. */
  includeResolved: boolean;
  page: number;
}

export function parseReportParams(source: ParamSource): ReportParams {
  const resolved = read(source, "resolved");
  return { includeResolved: resolved === "1" || resolved === "true" || resolved === "on", page: readPage(source) };
}

/** The reports queue's URL for a state, leaving out defaults. */
export function reportsHref(p: ReportParams): string {
  const out = new URLSearchParams();
  if (p.includeResolved) out.set("resolved", "1");
  if (p.page !== 1) out.set("page", String(p.page));
  return withQuery(MODERATION_PATH, out);
}

export interface PublisherParams {
  q: string;
  page: number;
}

export function parsePublisherParams(source: ParamSource): PublisherParams {
  return { q: read(source, "q").slice(0, 200), page: readPage(source) };
}

/** The publisher list's URL for a state, leaving out defaults. */
export function publishersHref(p: PublisherParams): string {
  const out = new URLSearchParams();
  if (p.q) out.set("q", p.q);
  if (p.page !== 1) out.set("page", String(p.page));
  return withQuery(PUBLISHERS_PATH, out);
}

/** `marketplace.admin.publishers` input for a state. */
export const toPublishersInput = (p: PublisherParams) => ({ q: p.q || undefined, page: p.page, pageSize: PUBLISHER_PAGE_SIZE });

/** `marketplace.admin.reports` input for a state. */
export const toReportsInput = (p: ReportParams) => ({ page: p.page, includeResolved: p.includeResolved });

/** How many pages `total` items make at `pageSize` (at least one, so "page 1 of 1" reads right). */
export const pageCountOf = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

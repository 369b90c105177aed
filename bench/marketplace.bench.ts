/**
 * Marketplace search and browse at catalog size: 10,000 listings (four kinds, nine categories, tags,
 * 200 publishers of which ~15 % verified, 1–3 signed versions each) and 100,000 reviews by 2,000
 * users, written in bulk (bench/marketplace/seed.ts). Then:
 * - `marketplace.search` (server/marketplace/search.ts) for the queries the browse page sends — a
 *   word, a typo, filters, each sort without a query, a deep page — as the service function and
 *   through the tRPC caller (procedure ladder + output validation), against the baseline of a plain
 *   page of listings by install count (what browsing without search would cost);
 * - `marketplace.listing.get` (the listing page's data: README HTML, versions, rating distribution,
 *   the first page of reviews) for the most reviewed listing and a typical one, against a lookup of
 *   the listing row by slug;
 * - the server response time of /marketplace, a search and a listing page from the production build
 *   (bench/marketplace/pages.ts), against /api/health on the same server.
 */
import os from "node:os";
import type { z } from "zod";
import { db } from "@/server/db";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { searchListings } from "@/server/marketplace/search";
import { getListingDetail } from "@/server/marketplace/listings";
import { summarySelect } from "@/server/marketplace/common";
import { searchInput } from "@/server/marketplace/schema";
import { BROWSE_PAGE_SIZE } from "@/components/marketplace/browse-params";
import type { Latency } from "./analytics.bench";
import { percentile } from "./gateway/load";
import { MARKETPLACE_DATA, seedMarketplace, type SeededMarketplace } from "./marketplace/seed";
import { measurePages, runNextBuild, type PagesReport } from "./marketplace/pages";

export const MARKETPLACE_PLAN = {
  data: MARKETPLACE_DATA,
  pageSize: BROWSE_PAGE_SIZE,
  warmup: 5,
  samples: 60,
  pages: { warmup: 3, requests: 40 },
};

type SearchArgs = z.input<typeof searchInput>;

/** What the browse page asks for (the query words exist in the catalog's word lists; the typo is one letter off in each word). */
export const SEARCH_CASES: { name: string; args: SearchArgs }[] = [
  { name: 'word "redactor"', args: { q: "redactor" } },
  { name: 'two words "keyword blocker"', args: { q: "keyword blocker" } },
  { name: 'typo "keywrd blockr"', args: { q: "keywrd blockr" } },
  { name: "filtered: gateway plugins, security, verified publishers", args: { kind: "GATEWAY_PLUGIN", category: "security", verifiedOnly: true } },
  { name: 'filtered with a word: "guard", gateway plugins, security, verified', args: { q: "guard", kind: "GATEWAY_PLUGIN", category: "security", verifiedOnly: true } },
  { name: "sort popular, no query (the browse page's default)", args: { sort: "popular" } },
  { name: "sort top rated, no query", args: { sort: "rating" } },
  { name: "sort newest, no query", args: { sort: "newest" } },
  { name: "deep page: popular, page 400", args: { sort: "popular", page: 400 } },
];

export interface MeasuredCase {
  name: string;
  args: SearchArgs;
  /** matches for the query (the page count's numerator) */
  total: number;
  service: Latency;
  trpc: Latency;
  /** service p50 / baseline p50 */
  ratio: number;
}

export interface MarketplaceReport {
  ranAt: string;
  plan: typeof MARKETPLACE_PLAN;
  notes: string[];
  loadAverage: { start: number; end: number; cores: number };
  data: Omit<SeededMarketplace, "catalog"> & { versionsSigned: string };
  search: { baseline: { task: string; latency: Latency }; cases: MeasuredCase[] };
  listing: {
    baseline: { task: string; latency: Latency };
    cases: { name: string; slug: string; reviews: number; versions: number; readmeBytes: number; service: Latency; trpc: Latency; ratio: number }[];
  };
  pages: PagesReport;
}

const NOTES = [
  "Latency is wall time in the benchmark process, after warm-up, one call at a time; the service side calls the function the router calls with the same Prisma client, the tRPC side goes through `createCaller` with no session (the public procedure ladder, input parsing and output validation).",
  "The baseline for search is `SELECT` of the listing card's columns `JOIN \"Publisher\" … ORDER BY \"installCount\" DESC LIMIT 24` through the same client: what a browse page without search costs. Search runs two statements (the page and the count) in parallel and then loads the cards with Prisma, so three round trips against the baseline's one.",
  "The baseline for the listing page is `findFirst` of the listing's summary columns by slug: one row by a unique index.",
];

function log(message: string) {
  console.error(`marketplace bench: ${message}`);
}

async function latency(fn: () => Promise<unknown>, samples: number, warmup: number): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  const sorted = Float64Array.from(times).sort();
  return { p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), samples: sorted.length };
}

const fmt = (l: Latency) => `p50 ${l.p50Ms.toFixed(2)} / p95 ${l.p95Ms.toFixed(2)} ms`;

export async function runMarketplaceBenchmarks(opts: { build?: boolean } = {}): Promise<MarketplaceReport> {
  const ranAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const databaseUrl = process.env.DATABASE_URL!;
  const p = MARKETPLACE_PLAN;
  const seeded = await seedMarketplace(databaseUrl, log);
  log(`seeded ${seeded.listings} listings, ${seeded.versions} versions, ${seeded.reviews} reviews in ${seeded.seconds.total.toFixed(1)} s`);
  const caller = createCaller(createContext({ db: db(), session: null }));

  // Search.
  const browse = () => db().$queryRaw`
    SELECT l.id, l.slug, l.kind, l.name, l.summary, l.icon, l.categories, l.tags, l."installCount", l."ratingAvg", l."ratingCount",
           l."latestVersion", l."publishedAt", p.slug AS "publisherSlug", p."displayName", p.verified
    FROM "Listing" l JOIN "Publisher" p ON p.id = l."publisherId"
    WHERE l."latestVersion" IS NOT NULL
    ORDER BY l."installCount" DESC LIMIT ${p.pageSize}`;
  const searchBaseline = await latency(browse, p.samples, p.warmup);
  log(`baseline, a page by install count: ${fmt(searchBaseline)}`);
  const cases: MeasuredCase[] = [];
  for (const c of SEARCH_CASES) {
    const args = { ...c.args, pageSize: p.pageSize };
    const input = searchInput.parse(args);
    const first = await searchListings({ db: db(), input });
    if (first.items.length === 0) log(`search "${c.name}" found nothing`);
    const service = await latency(() => searchListings({ db: db(), input }), p.samples, p.warmup);
    const trpc = await latency(() => caller.marketplace.search(args), p.samples, p.warmup);
    cases.push({ name: c.name, args: c.args, total: first.total, service, trpc, ratio: service.p50Ms / searchBaseline.p50Ms });
    log(`${c.name}: ${first.total} matches; service ${fmt(service)}; tRPC ${fmt(trpc)}`);
  }

  // The listing page's data.
  const lookup = (slug: string) => db().listing.findFirst({ where: { slug, publishedAt: { not: null } }, select: summarySelect });
  const listingBaseline = await latency(() => lookup(seeded.hot.slug), p.samples, p.warmup);
  const listingCases: MarketplaceReport["listing"]["cases"] = [];
  for (const [name, target] of [
    ["the most reviewed listing", seeded.hot],
    ["a typical listing", seeded.typical],
  ] as const) {
    const detail = await getListingDetail({ db: db(), listingSlug: target.slug, viewerId: null });
    if (detail.rating.count !== target.reviews) throw new Error(`${target.slug}: ${detail.rating.count} reviews counted, ${target.reviews} written`);
    const service = await latency(() => getListingDetail({ db: db(), listingSlug: target.slug, viewerId: null }), p.samples, p.warmup);
    const trpc = await latency(() => caller.marketplace.listing.get({ listingSlug: target.slug }), p.samples, p.warmup);
    listingCases.push({
      name,
      slug: target.slug,
      reviews: target.reviews,
      versions: detail.versions.length,
      readmeBytes: Buffer.byteLength(detail.readmeHtml),
      service,
      trpc,
      ratio: service.p50Ms / listingBaseline.p50Ms,
    });
    log(`listing.get, ${name} (${target.reviews} reviews): service ${fmt(service)}; tRPC ${fmt(trpc)}`);
  }

  // Pages from the production build.
  if (opts.build) runNextBuild(log);
  let pages: PagesReport;
  try {
    pages = await measurePages({
      databaseUrl,
      requests: p.pages.requests,
      warmup: p.pages.warmup,
      log,
      pages: [
        { path: "/marketplace", what: "browse: /marketplace (popular, page 1)", expect: "Marketplace" },
        { path: "/marketplace?q=keyword+blocker", what: "search: /marketplace?q=keyword+blocker", expect: "Blocker" },
        { path: "/marketplace?q=keywrd+blockr", what: "typo search: /marketplace?q=keywrd+blockr", expect: "Marketplace" },
        { path: `/marketplace/${seeded.hot.slug}`, what: `listing page, ${seeded.hot.reviews.toLocaleString("en-US")} reviews: /marketplace/${seeded.hot.slug}`, expect: seeded.hot.name },
      ],
    });
  } catch (error) {
    pages = { measured: false, reason: `the production server failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!pages.measured) log(`pages not measured: ${pages.reason}`);

  const { catalog: _catalog, ...data } = seeded;
  return {
    ranAt,
    plan: p,
    notes: NOTES,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0]!, cores: os.cpus().length },
    data: { ...data, versionsSigned: `all ${seeded.versions.toLocaleString("en-US")}, each with its publisher's ed25519 key (${seeded.seconds.signing.toFixed(1)} s)` },
    search: { baseline: { task: `page of ${p.pageSize} by install count (plain SELECT)`, latency: searchBaseline }, cases },
    listing: { baseline: { task: "the listing row by slug (findFirst)", latency: listingBaseline }, cases: listingCases },
    pages,
  };
}

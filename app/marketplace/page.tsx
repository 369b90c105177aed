import { PackageSearch } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { BrowseFilters } from "@/components/marketplace/browse-filters";
import { HELIX_VERSION } from "@/server/version";
import { browseHref, browseTitle, hasBrowseFilters, parseBrowseParams, toSearchInput, type BrowseParams } from "@/components/marketplace/browse-params";
import { ListingCard } from "@/components/marketplace/listing-card";
import { Pagination } from "@/components/marketplace/pagination";
import { serverCaller } from "@/components/trpc/server";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { CATEGORIES, CATEGORY_SLUGS, type Category } from "@/server/marketplace/schema";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const DESCRIPTION =
  "Extend HelixAgent: gateway plugins that check or rewrite traffic, policy packs, and templates for routes and agents. Browse, compare ratings and reviews, and install into your organization.";

function stateOf(params: Record<string, string | string[] | undefined>): BrowseParams {
  return parseBrowseParams(params, CATEGORY_SLUGS);
}

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const state = stateOf(await searchParams);
  const filtered = hasBrowseFilters(state);
  const title = filtered ? `${browseTitle(state, state.category ? CATEGORIES[state.category as Category] : null)} · Marketplace` : "Marketplace";
  return {
    title,
    description: DESCRIPTION,
    // Result pages beyond the first are not worth indexing separately.
    robots: state.page > 1 ? { index: false, follow: true } : undefined,
    openGraph: { title: `${title} · HelixAgent`, description: DESCRIPTION, type: "website" },
  };
}

/**
 * Server-rendered search: the results come in the page's HTML (no client fetch for the first
 * view), straight from `marketplace.search` through the procedure ladder.
 */
export default async function MarketplacePage({ searchParams }: { searchParams: SearchParams }) {
  const state = stateOf(await searchParams);
  const caller = await serverCaller();
  const [result, categories] = await Promise.all([caller.marketplace.search(toSearchInput(state)), caller.marketplace.categories()]);
  const filtered = hasBrowseFilters(state);
  const categoryLabel = state.category ? (categories.find((c) => c.slug === state.category)?.label ?? null) : null;
  const first = (result.page - 1) * result.pageSize + 1;

  return (
    <div className="grid gap-6">
      <div className="grid gap-1.5">
        <h1 className="text-2xl font-semibold tracking-tight text-balance sm:text-3xl">Marketplace</h1>
        <p className="max-w-prose text-sm text-muted-foreground">
          Gateway plugins that check or rewrite traffic, policy packs, and templates for routes and agents. Signed by their publishers; installed into an organization by its admins.
        </p>
      </div>

      <BrowseFilters state={state} categories={categories} helixVersion={HELIX_VERSION} />

      <section aria-labelledby="marketplace-results" className="grid gap-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="marketplace-results" className="text-base font-semibold">
            {filtered ? browseTitle(state, categoryLabel) : "All listings"}
          </h2>
          <p className="text-sm text-muted-foreground tabular-nums" role="status">
            {result.total === 0
              ? "No results"
              : result.total <= result.pageSize
                ? `${result.total} ${result.total === 1 ? "result" : "results"}`
                : `${first}–${first + result.items.length - 1} of ${result.total}`}
          </p>
        </div>

        {result.items.length === 0 && result.total > 0 ? (
          <EmptyState
            icon={PackageSearch}
            title="No results on this page"
            description={`There are ${result.total} results, on ${result.pageCount} ${result.pageCount === 1 ? "page" : "pages"}.`}
            action={
              <Button asChild variant="outline">
                <Link href={browseHref(state, { page: 1 })}>Go to the first page</Link>
              </Button>
            }
          />
        ) : result.items.length === 0 ? (
          filtered ? (
            <EmptyState
              icon={PackageSearch}
              title="Nothing matches"
              description={
                state.q
                  ? `No listing matches “${state.q}”${state.kind || state.category || state.verified || state.compatible ? " with these filters" : ""}. Check the spelling, use fewer words, or clear the filters.`
                  : "No listing has all of these filters. Try fewer."
              }
              action={
                <Button asChild variant="outline">
                  <Link href="/marketplace">Clear search and filters</Link>
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={PackageSearch}
              title="The marketplace is empty"
              description="No publisher has released a listing yet. Organizations become publishers in their console, sign their versions and publish them here."
            />
          )
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {result.items.map((listing) => (
              <li key={listing.id}>
                <ListingCard listing={listing} />
              </li>
            ))}
          </ul>
        )}

        <Pagination label="Result pages" page={result.page} pageCount={result.pageCount} href={(page) => browseHref(state, { page })} />
      </section>
    </div>
  );
}

import { ArrowLeft, Download, ExternalLink } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Fact } from "@/components/agents/facts";
import { Section } from "@/components/agents/section";
import { formatDay } from "@/components/marketplace/format";
import { InstallButton } from "@/components/marketplace/install-button";
import { KindBadge } from "@/components/marketplace/kind-badge";
import { ListingIcon } from "@/components/marketplace/listing-icon";
import { ManifestFacts } from "@/components/marketplace/manifest-facts";
import { HELIX_VERSION } from "@/server/version";
import { Pagination } from "@/components/marketplace/pagination";
import { formatCount, RatingSummaryInline } from "@/components/marketplace/rating-stars";
import { ListingReadme } from "@/components/marketplace/readme";
import { ReviewForm } from "@/components/marketplace/review-form";
import { RatingBreakdown, ReviewList } from "@/components/marketplace/review-list";
import { SignInLink } from "@/components/marketplace/sign-in-link";
import { PublisherName } from "@/components/marketplace/verified-badge";
import { getInstallTargets } from "@/components/marketplace/viewer";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CATEGORIES, type Category } from "@/server/marketplace/schema";
import { loadListing, loadReviewPage } from "@/components/marketplace/load-listing";
import { getReplyAs } from "@/components/marketplace/listings-admin/reply-as";

type Params = Promise<{ listingSlug: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { listingSlug } = await params;
  const listing = await loadListing(listingSlug);
  const title = `${listing.name} · Marketplace`;
  return {
    title,
    description: listing.summary,
    openGraph: { title: `${listing.name} · HelixAgent Marketplace`, description: listing.summary, type: "website" },
  };
}

function reviewsPageOf(params: Record<string, string | string[] | undefined>): number {
  const raw = params.reviews;
  const text = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  return /^\d{1,4}$/.test(text) && Number(text) >= 1 ? Number(text) : 1;
}

export default async function ListingPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { listingSlug } = await params;
  const reviewsPage = reviewsPageOf(await searchParams);
  // replyAs: the visitor administers the publishing organization, so replies to reviews (and does not review).
  const [listing, targets, replyAs] = await Promise.all([loadListing(listingSlug), getInstallTargets(), getReplyAs(listingSlug)]);
  const reviews = reviewsPage === 1 ? listing.reviews : await loadReviewPage(listing.slug, reviewsPage);
  const signedIn = targets !== null;
  const latestVersion = listing.latest?.version ?? null;
  const reviewPageCount = Math.ceil(reviews.total / reviews.pageSize);

  return (
    <div className="grid gap-6">
      <Link href="/marketplace" className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden="true" className="size-4" />
        Marketplace
      </Link>

      <div className="flex flex-col gap-4 border-b pb-6 sm:flex-row sm:items-start">
        <ListingIcon icon={listing.icon} name={listing.name} className="size-16" />
        <div className="grid min-w-0 flex-1 gap-2">
          <h1 className="text-2xl font-semibold tracking-tight text-balance">{listing.name}</h1>
          <p className="text-sm text-muted-foreground">
            by <PublisherName name={listing.publisher.displayName} verified={listing.publisher.verified} className="font-medium text-foreground" />
          </p>
          <p className="max-w-prose">{listing.summary}</p>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
            <KindBadge kind={listing.kind} />
            <RatingSummaryInline average={listing.rating.average} count={listing.rating.count} />
            <span className="inline-flex items-center gap-1 text-xs text-muted-foreground" data-testid="install-count">
              <Download aria-hidden="true" className="size-3.5" />
              {formatCount(listing.installCount)} {listing.installCount === 1 ? "install" : "installs"}
            </span>
          </div>
        </div>
        <div className="shrink-0">
          <InstallButton
            listingSlug={listing.slug}
            kind={listing.kind}
            installable={latestVersion !== null}
            incompatible={listing.compatible ? null : `Its latest version works with HelixAgent ${listing.helixRange}; this is HelixAgent ${HELIX_VERSION}.`}
            targets={targets ? targets.installable.map((o) => ({ slug: o.slug, name: o.name })) : null}
          />
        </div>
      </div>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="grid min-w-0 content-start gap-6">
          <section aria-label="README" className="rounded-xl border bg-card p-4 sm:p-6">
            <ListingReadme html={listing.readmeHtml} />
          </section>

          <Section id="listing-versions" title="Versions" description="Newest first. A yanked version was withdrawn by its publisher and cannot be installed.">
            <Table>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Version</TableHead>
                  <TableHead>Published</TableHead>
                  <TableHead>Changes</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {listing.versions.map((v) => (
                  <TableRow key={v.id} data-testid={`version-${v.version}`} className={v.yanked ? "text-muted-foreground" : undefined}>
                    <TableCell className="align-top">
                      <span className="flex flex-wrap items-center gap-1.5 font-mono text-sm">
                        {v.version}
                        {v.version === latestVersion && <Badge variant="success">Latest</Badge>}
                        {v.yanked && <Badge variant="destructive">Yanked</Badge>}
                      </span>
                    </TableCell>
                    <TableCell className="align-top text-xs whitespace-nowrap">
                      <time dateTime={v.publishedAt.toISOString()}>{formatDay(v.publishedAt)}</time>
                    </TableCell>
                    <TableCell className="align-top whitespace-normal">
                      <p className="max-w-prose text-sm whitespace-pre-wrap">{v.changelog || "No changelog."}</p>
                      {v.yanked && v.yankReason && <p className="mt-1 text-xs">Yanked: {v.yankReason}</p>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Section>

          <section aria-labelledby="listing-reviews" id="reviews" className="grid scroll-mt-20 gap-4 rounded-xl border bg-card p-4 sm:p-6">
            <h2 id="listing-reviews" className="text-base font-semibold">
              Ratings and reviews
            </h2>
            <RatingBreakdown average={listing.rating.average} count={listing.rating.count} distribution={listing.rating.distribution} />
            {replyAs ? (
              <div className="flex flex-wrap items-center gap-3 border-t pt-4 text-sm text-muted-foreground" data-testid="publisher-note">
                <span>You publish this listing as {replyAs.orgName}: reply to its reviews below.</span>
                <Link href={`/o/${replyAs.orgSlug}/publisher/listings/${listing.slug}`} className="text-primary underline-offset-4 hover:underline">
                  Manage the listing
                </Link>
              </div>
            ) : signedIn ? (
              <div className="grid gap-3 border-t pt-4">
                <h3 className="text-sm font-semibold">{listing.myReview ? "Your review" : "Write a review"}</h3>
                <ReviewForm listingId={listing.id} listingName={listing.name} mine={listing.myReview} />
              </div>
            ) : (
              <div className="flex flex-wrap items-center gap-3 border-t pt-4 text-sm text-muted-foreground">
                <span>Used it? Sign in to rate and review it.</span>
                <SignInLink label="Sign in to review" />
              </div>
            )}
            {reviews.items.length > 0 ? (
              <ReviewList reviews={reviews.items} publisherName={listing.publisher.displayName} canReport={signedIn} replyAs={replyAs} />
            ) : (
              <p className="text-sm text-muted-foreground">{reviews.total > 0 ? "No reviews on this page." : "No reviews yet."}</p>
            )}
            <Pagination
              label="Review pages"
              page={reviews.page}
              pageCount={reviewPageCount}
              href={(page) => `/marketplace/${listing.slug}${page > 1 ? `?reviews=${page}` : ""}#reviews`}
            />
          </section>
        </div>

        <aside className="grid content-start gap-6" aria-label="About this listing">
          <section aria-labelledby="listing-about" className="grid gap-3 rounded-xl border bg-card p-4">
            <h2 id="listing-about" className="text-sm font-semibold">
              About
            </h2>
            <dl className="grid gap-3 text-sm">
              <Fact term="Latest version">{latestVersion ? <span className="font-mono">{latestVersion}</span> : "None installable"}</Fact>
              <Fact term="Works with">
                {listing.helixRange ? <span className="font-mono">HelixAgent {listing.helixRange}</span> : "Any HelixAgent version"}
                {!listing.compatible && <span className="mt-0.5 block text-xs text-amber-800 dark:text-amber-300">Not this one ({HELIX_VERSION}): it cannot be installed here</span>}
              </Fact>
              <Fact term="Installs">{formatCount(listing.installCount)}</Fact>
              <Fact term="Publisher">
                <PublisherName name={listing.publisher.displayName} verified={listing.publisher.verified} />
                {listing.publisher.website && (
                  <a href={listing.publisher.website} rel="nofollow noopener noreferrer" target="_blank" className="mt-0.5 flex items-center gap-1 text-xs text-primary underline-offset-4 hover:underline">
                    Website <ExternalLink aria-hidden="true" className="size-3" />
                  </a>
                )}
              </Fact>
              {listing.license && <Fact term="Licence">{listing.license}</Fact>}
              {listing.sourceUrl && (
                <Fact term="Source">
                  <a href={listing.sourceUrl} rel="nofollow noopener noreferrer" target="_blank" className="inline-flex items-center gap-1 break-all text-primary underline-offset-4 hover:underline">
                    {listing.sourceUrl.replace(/^https?:\/\//, "")} <ExternalLink aria-hidden="true" className="size-3 shrink-0" />
                  </a>
                </Fact>
              )}
              <Fact term="Updated">
                <time dateTime={listing.updatedAt.toISOString()}>{formatDay(listing.updatedAt)}</time>
              </Fact>
              {listing.categories.length > 0 && (
                <Fact term="Categories">
                  <span className="flex flex-wrap gap-1.5">
                    {listing.categories.map((c) => (
                      <Badge key={c} variant="outline" asChild>
                        <Link href={`/marketplace?category=${encodeURIComponent(c)}`}>{CATEGORIES[c as Category] ?? c}</Link>
                      </Badge>
                    ))}
                  </span>
                </Fact>
              )}
              {listing.tags.length > 0 && (
                <Fact term="Tags">
                  <span className="flex flex-wrap gap-1.5">
                    {listing.tags.map((t) => (
                      <Badge key={t} variant="secondary" asChild>
                        <Link href={`/marketplace?q=${encodeURIComponent(t)}`}>{t}</Link>
                      </Badge>
                    ))}
                  </span>
                </Fact>
              )}
            </dl>
          </section>
          {listing.latest && (
            <section aria-labelledby="listing-installs" className="grid gap-3 rounded-xl border bg-card p-4">
              <h2 id="listing-installs" className="text-sm font-semibold">
                What version {listing.latest.version} installs
              </h2>
              <ManifestFacts kind={listing.kind} manifest={listing.latest.manifest} />
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}

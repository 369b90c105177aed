import { Download } from "lucide-react";
import Link from "next/link";
import type { ListingSummary } from "@/server/marketplace/schema";
import { KindBadge } from "./kind-badge";
import { ListingIcon } from "./listing-icon";
import { formatCount, RatingSummaryInline } from "./rating-stars";
import { PublisherName } from "./verified-badge";

/** One search result: the whole card is the link to the listing's page (its name is the link text). */
export function ListingCard({ listing }: { listing: ListingSummary }) {
  return (
    <article
      data-testid={`listing-${listing.slug}`}
      className="group relative flex h-full flex-col gap-3 rounded-xl border bg-card p-4 text-card-foreground shadow-xs transition-colors focus-within:ring-2 focus-within:ring-ring hover:border-primary/40"
    >
      <div className="flex items-start gap-3">
        <ListingIcon icon={listing.icon} name={listing.name} />
        <div className="grid min-w-0 gap-0.5">
          <h3 className="truncate text-base leading-tight font-semibold">
            <Link href={`/marketplace/${listing.slug}`} className="outline-hidden after:absolute after:inset-0 after:rounded-xl after:content-['']">
              {listing.name}
            </Link>
          </h3>
          <p className="text-sm text-muted-foreground">
            <span className="sr-only">Publisher: </span>
            <PublisherName name={listing.publisher.displayName} verified={listing.publisher.verified} />
          </p>
        </div>
      </div>
      <p className="line-clamp-3 flex-1 text-sm">{listing.summary}</p>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <KindBadge kind={listing.kind} />
        {!listing.compatible && (
          <span className="rounded-md border border-amber-500/40 bg-amber-500/10 px-1.5 py-0.5 text-xs text-amber-800 dark:text-amber-300" title={`Its latest version works with HelixAgent ${listing.helixRange}`}>
            Needs HelixAgent {listing.helixRange}
          </span>
        )}
        <RatingSummaryInline average={listing.ratingAvg} count={listing.ratingCount} />
        <span className="ml-auto inline-flex items-center gap-1 text-xs text-muted-foreground" title="Installs">
          <Download aria-hidden="true" className="size-3.5" />
          <span className="tabular-nums">{formatCount(listing.installCount)}</span>
          <span className="sr-only">{listing.installCount === 1 ? "install" : "installs"}</span>
        </span>
      </div>
    </article>
  );
}

import { MessageSquareReply } from "lucide-react";
import type { ReviewView } from "@/server/marketplace/schema";
import { formatDay } from "./format";
import { ReviewReply } from "./listings-admin/review-reply";
import { formatCount, formatRating, RatingStars } from "./rating-stars";
import { ReportReviewButton } from "./report-review-button";

/** The average, the stars, and how many reviews gave each number of stars. */
export function RatingBreakdown({ average, count, distribution }: { average: number; count: number; distribution: number[] }) {
  const max = Math.max(1, ...distribution);
  return (
    <div className="flex flex-wrap items-center gap-6" data-testid="rating-summary">
      <div className="grid justify-items-start gap-1">
        <span className="text-3xl font-semibold tabular-nums">{count ? formatRating(average) : "–"}</span>
        <RatingStars rating={average} size="md" />
        <span className="text-sm text-muted-foreground">
          {count === 0 ? "No ratings yet" : `${formatCount(count)} ${count === 1 ? "rating" : "ratings"}`}
        </span>
      </div>
      <table className="min-w-48 flex-1 text-xs">
        <caption className="sr-only">Ratings by stars</caption>
        <tbody>
          {[5, 4, 3, 2, 1].map((stars) => {
            const n = distribution[stars - 1] ?? 0;
            return (
              <tr key={stars}>
                <th scope="row" className="w-14 py-0.5 pr-2 text-left font-normal text-muted-foreground">
                  {stars} {stars === 1 ? "star" : "stars"}
                </th>
                <td className="py-0.5">
                  <div aria-hidden="true" className="h-2 rounded-full bg-muted">
                    <div className="h-2 rounded-full bg-amber-400" style={{ width: `${(n / max) * 100}%` }} />
                  </div>
                </td>
                <td className="w-10 py-0.5 pl-2 text-right tabular-nums">{formatCount(n)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Reviews, newest first, each with the publisher's reply; signed-in visitors may report others'
 * reviews, and admins of the publishing organization (`replyAs`) reply to them.
 */
export function ReviewList({
  reviews,
  publisherName,
  canReport,
  replyAs = null,
}: {
  reviews: ReviewView[];
  publisherName: string;
  canReport: boolean;
  replyAs?: { orgSlug: string; orgName: string } | null;
}) {
  return (
    <ol className="grid gap-4" aria-label="Reviews">
      {reviews.map((r) => (
        <li key={r.id}>
          <article className="grid gap-2 rounded-lg border p-4" data-testid="review" aria-label={`Review by ${r.author}`}>
            <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <RatingStars rating={r.rating} />
              <span className="text-sm font-medium">{r.author}</span>
              {r.mine && <span className="rounded bg-muted px-1.5 py-0.5 text-xs text-muted-foreground">Your review</span>}
              <time dateTime={r.createdAt.toISOString()} className="text-xs text-muted-foreground">
                {formatDay(r.createdAt)}
                {r.updatedAt.getTime() - r.createdAt.getTime() > 60_000 && " (edited)"}
              </time>
              {canReport && !r.mine && (
                <span className="ml-auto">
                  <ReportReviewButton reviewId={r.id} author={r.author} />
                </span>
              )}
            </header>
            {r.body ? <p className="text-sm whitespace-pre-wrap break-words">{r.body}</p> : <p className="text-sm text-muted-foreground">No text, only a rating.</p>}
            {r.reply && (
              <div className="mt-1 grid gap-1 rounded-md border-l-4 border-primary/40 bg-muted/40 p-3" data-testid="review-reply">
                <p className="flex items-center gap-1.5 text-xs font-medium">
                  <MessageSquareReply aria-hidden="true" className="size-3.5" />
                  Reply from {publisherName}
                  {r.repliedAt && <span className="font-normal text-muted-foreground">· {formatDay(r.repliedAt)}</span>}
                </p>
                <p className="text-sm whitespace-pre-wrap break-words">{r.reply}</p>
              </div>
            )}
            {replyAs && <ReviewReply orgSlug={replyAs.orgSlug} orgName={replyAs.orgName} reviewId={r.id} author={r.author} reply={r.reply} />}
          </article>
        </li>
      ))}
    </ol>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, EyeOff, Flag, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useOptimistic, useTransition } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { formatDay } from "../format";
import { Pagination } from "../pagination";
import { RatingStars } from "../rating-stars";
import { pageCountOf, reportsHref, toReportsInput, type ReportParams } from "./params";

type Report = inferRouterOutputs<AppRouter>["marketplace"]["admin"]["reports"]["items"][number];

/** The reports queue: oldest open report first; each shows the review and what can be done about it. */
export function ReportsView({ state }: { state: ReportParams }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [navigating, startTransition] = useTransition();
  const reports = useQuery(trpc.marketplace.admin.reports.queryOptions(toReportsInput(state)));
  // The checkbox shows the click at once; the URL (and so the server's state) follows.
  const [includeResolved, setIncludeResolved] = useOptimistic(state.includeResolved);
  const go = (next: ReportParams) =>
    startTransition(() => {
      setIncludeResolved(next.includeResolved);
      router.push(reportsHref(next));
    });

  const summary = reports.data
    ? reports.data.total === 0
      ? "No reports"
      : `${reports.data.total} ${state.includeResolved ? "" : "open "}${reports.data.total === 1 ? "report" : "reports"}`
    : "";

  return (
    <section aria-labelledby="reports-heading" aria-busy={reports.isFetching || navigating || undefined} className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="grid gap-0.5">
          <h2 id="reports-heading" className="text-base font-semibold">
            Reported reviews
          </h2>
          <p className="text-sm text-muted-foreground">Hiding a review or keeping it resolves every report of that review. A hidden review leaves the listing page and its rating until it is restored.</p>
        </div>
        <div className="flex items-center gap-4">
          <label className="flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={includeResolved} onChange={(e) => go({ includeResolved: e.target.checked, page: 1 })} className="size-4 accent-primary" />
            Show resolved reports
          </label>
          <p className="text-sm text-muted-foreground tabular-nums" role="status">
            {summary}
          </p>
        </div>
      </div>

      {reports.isPending ? (
        <div className="grid gap-3" role="status" aria-label="Loading reports">
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-32 w-full" />
          ))}
        </div>
      ) : reports.isError ? (
        <Alert variant="destructive">
          <AlertTitle>The reports could not be loaded</AlertTitle>
          <AlertDescription>
            <p>{reports.error.message}</p>
            <Button variant="outline" size="sm" onClick={() => void reports.refetch()}>
              Try again
            </Button>
          </AlertDescription>
        </Alert>
      ) : reports.data.items.length === 0 ? (
        <EmptyState
          icon={Flag}
          title={reports.data.total > 0 ? "No reports on this page" : state.includeResolved ? "No reports yet" : "No open reports"}
          description={
            reports.data.total > 0
              ? `There are ${reports.data.total} reports, on ${pageCountOf(reports.data.total, reports.data.pageSize)} pages.`
              : state.includeResolved
                ? "Nobody has reported a review."
                : "Every report has been dealt with. Reports people make from listing pages appear here."
          }
          action={
            reports.data.total > 0 ? (
              <Button asChild variant="outline">
                <Link href={reportsHref({ ...state, page: 1 })}>Go to the first page</Link>
              </Button>
            ) : undefined
          }
        />
      ) : (
        <ol className="grid gap-3" aria-label="Reports">
          {reports.data.items.map((report) => (
            <li key={report.id}>
              <ReportCard report={report} />
            </li>
          ))}
        </ol>
      )}

      {reports.data && (
        <Pagination page={state.page} pageCount={pageCountOf(reports.data.total, reports.data.pageSize)} href={(page) => reportsHref({ ...state, page })} label="Report pages" />
      )}
    </section>
  );
}

function ReportCard({ report }: { report: Report }) {
  const { review } = report;
  const { resolvedAt } = report;
  return (
    <article
      className="grid gap-3 rounded-lg border bg-card p-4"
      aria-label={`Report on the review by ${review.author} of ${review.listingName}`}
      data-testid="report"
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Link href={`/marketplace/${review.listingSlug}#reviews`} className="font-medium underline-offset-4 hover:underline">
          {review.listingName}
        </Link>
        {resolvedAt ? (
          <Badge variant="outline">
            Resolved <time dateTime={resolvedAt.toISOString()}>{formatDay(resolvedAt)}</time>
          </Badge>
        ) : (
          <Badge variant="warning">Open</Badge>
        )}
        {review.hidden && <Badge variant="destructive">Review hidden</Badge>}
      </header>

      <blockquote className="grid gap-1 rounded-md border-l-4 border-muted-foreground/30 bg-muted/40 p-3">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <RatingStars rating={review.rating} />
          <span className="font-medium">{review.author}</span>
        </p>
        {review.body ? <p className="text-sm whitespace-pre-wrap break-words">{review.body}</p> : <p className="text-sm text-muted-foreground">No text, only a rating.</p>}
      </blockquote>

      <div className="grid gap-1 text-sm">
        <p className="text-muted-foreground">
          Reported by <span className="font-medium text-foreground">{report.reporter}</span> on <time dateTime={report.createdAt.toISOString()}>{formatDay(report.createdAt)}</time>:
        </p>
        <p className="whitespace-pre-wrap break-words" data-testid="report-reason">
          {report.reason}
        </p>
      </div>

      <ReportActions report={report} />
    </article>
  );
}

/** Hide or keep a visible review (both resolve its reports); restore a hidden one. */
function ReportActions({ report }: { report: Report }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { review } = report;
  const moderate = useMutation(
    trpc.marketplace.admin.hideReview.mutationOptions({
      onSuccess: async (result) => {
        toast.success(result.hidden ? `Review by ${review.author} hidden` : review.hidden ? `Review by ${review.author} restored` : `Review by ${review.author} kept`, {
          description: result.hidden
            ? `It no longer shows on ${review.listingName} or counts in its rating.`
            : review.hidden
              ? `It shows on ${review.listingName} and counts in its rating again.`
              : "Its reports are resolved; the review stays as it is.",
        });
        // Every page of the queue: one decision resolves all reports of the review, wherever they are.
        await queryClient.invalidateQueries({ queryKey: trpc.marketplace.admin.reports.queryKey() });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  const busy = moderate.isPending;
  const about = <span className="sr-only"> the review by {review.author}</span>;
  return (
    <div className="flex flex-wrap justify-end gap-2">
      {review.hidden ? (
        <Button variant="outline" size="sm" disabled={busy} onClick={() => moderate.mutate({ reviewId: review.id, hidden: false })}>
          <RotateCcw aria-hidden="true" />
          Restore{about}
        </Button>
      ) : (
        <>
          {report.resolvedAt === null && (
            <Button variant="outline" size="sm" disabled={busy} onClick={() => moderate.mutate({ reviewId: review.id, hidden: false })}>
              <CheckCircle2 aria-hidden="true" />
              Keep{about}
            </Button>
          )}
          <Button variant="destructive" size="sm" disabled={busy} onClick={() => moderate.mutate({ reviewId: review.id, hidden: true })}>
            <EyeOff aria-hidden="true" />
            Hide{about}
          </Button>
        </>
      )}
    </div>
  );
}

// In its own route group so the loading skeleton covers the overview only: a drill-down page that
// is not found must answer 404 before anything streams.
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export default function AnalyticsLoading() {
  return (
    <div className="grid gap-6" role="status" aria-label="Loading analytics">
      <div className="grid gap-2 border-b pb-6">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="flex flex-wrap gap-3">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-9 w-44" />
        ))}
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, i) => (
          <Card key={i} className="gap-2 px-4 py-4">
            <Skeleton className="h-4 w-20" />
            <Skeleton className="h-7 w-24" />
          </Card>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, i) => (
          <Card key={i} className="gap-3 px-4 py-4">
            <Skeleton className="h-5 w-32" />
            <Skeleton className="h-[220px] w-full" />
          </Card>
        ))}
      </div>
      <span className="sr-only">Loading analytics…</span>
    </div>
  );
}

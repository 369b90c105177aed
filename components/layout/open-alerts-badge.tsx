"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { cn } from "@/components/ui/utils";

/** The number of open alerts, next to "Alerts" in the navigation; red while any is firing. */
export function OpenAlertsBadge({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const count = useQuery({ ...trpc.alert.openCount.queryOptions({ orgSlug }), refetchInterval: 30_000, refetchIntervalInBackground: false });
  if (!count.data || count.data.open === 0) return null;
  const { open, firing } = count.data;
  return (
    <span
      data-testid="open-alerts-badge"
      className={cn(
        "ml-auto min-w-5 rounded-full px-1.5 py-0.5 text-center text-[11px] font-semibold tabular-nums",
        firing > 0 ? "bg-destructive text-destructive-foreground" : "bg-muted text-muted-foreground",
      )}
    >
      {open}
      <span className="sr-only"> open {open === 1 ? "alert" : "alerts"}{firing > 0 ? `, ${firing} firing` : ""}</span>
    </span>
  );
}

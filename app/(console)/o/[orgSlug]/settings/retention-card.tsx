"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "@/components/trpc/client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** How long the gateway's raw request events are kept; charts read rollups, which stay. */
export function RetentionCard({ orgSlug, canEdit }: { orgSlug: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.analytics.retention.queryOptions({ orgSlug }));
  const [days, setDays] = useState<string | null>(null);
  const value = days ?? (current.data ? String(current.data.days) : "");
  const save = useMutation(
    trpc.analytics.setRetention.mutationOptions({
      onSuccess: async (saved) => {
        toast.success(`Raw events are kept for ${saved.days} day${saved.days === 1 ? "" : "s"}`);
        setDays(null);
        await queryClient.invalidateQueries({ queryKey: trpc.analytics.retention.queryKey({ orgSlug }) });
      },
      onError: (error) => toast.error(error.message),
    }),
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Raw telemetry retention</CardTitle>
        <CardDescription>
          Every request through the gateway is recorded. Raw events older than this are deleted every hour; the per-minute and per-hour
          rollups that analytics and alerts read are kept.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ orgSlug, days: Number(value) });
          }}
        >
          <div className="grid gap-1.5">
            <Label htmlFor="retention-days">Days</Label>
            <Input
              id="retention-days"
              type="number"
              min={1}
              max={3650}
              className="w-32"
              value={value}
              disabled={!canEdit || current.isPending || save.isPending}
              onChange={(e) => setDays(e.target.value)}
            />
          </div>
          <Button type="submit" disabled={!canEdit || save.isPending || days === null}>
            Save
          </Button>
          {current.data?.isDefault && <span className="text-sm text-muted-foreground">The default (30 days) applies.</span>}
          {!canEdit && <span className="text-sm text-muted-foreground">Changing this needs the Admin role.</span>}
        </form>
      </CardContent>
    </Card>
  );
}

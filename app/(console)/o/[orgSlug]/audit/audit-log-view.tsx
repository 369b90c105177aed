"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AUDIT_ACTIONS, auditActionNames, type AuditAction } from "@/server/audit/actions";
import { describeChange } from "./describe-change";

const timeFmt = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

const isAction = (v: string | null): v is AuditAction => v !== null && v in AUDIT_ACTIONS;
/** `<input type="date">` gives yyyy-mm-dd; the end date includes its whole day. */
const dayStart = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined);
const dayEnd = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T23:59:59.999Z`) : undefined);

export function AuditLogView({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const action = params.get("action");
  const actor = params.get("actor") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  // An event to point at, e.g. the first broken one from "Verify integrity".
  const highlighted = params.get("event");
  const highlightedRow = useRef<HTMLTableRowElement>(null);

  const filter = {
    orgSlug,
    action: isAction(action) ? action : undefined,
    actor: actor || undefined,
    from: dayStart(from),
    to: dayEnd(to),
    limit: 50,
  };
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(filter, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );

  function applyFilters(form: FormData) {
    const next = new URLSearchParams();
    for (const key of ["action", "actor", "from", "to"]) {
      const value = String(form.get(key) ?? "").trim();
      if (value) next.set(key, value);
    }
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`);
  }

  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  const highlightShown = highlighted !== null && rows.some((e) => e.id === highlighted);
  useEffect(() => {
    if (highlightShown) highlightedRow.current?.scrollIntoView({ block: "center" });
  }, [highlightShown]);

  return (
    <div className="grid gap-4">
      <form
        // Remounted when the URL changes, so a link that sets filters shows them in the fields.
        key={params.toString()}
        aria-label="Filter the audit log"
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[12rem_1fr_10rem_10rem_auto] lg:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          applyFilters(new FormData(e.currentTarget));
        }}
      >
        <div className="grid gap-2">
          <Label htmlFor="audit-action">Action</Label>
          <NativeSelect id="audit-action" name="action" defaultValue={isAction(action) ? action : ""}>
            <option value="">All actions</option>
            {auditActionNames.map((a) => (
              <option key={a} value={a}>
                {AUDIT_ACTIONS[a]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="audit-actor">Actor email contains</Label>
          <Input id="audit-actor" name="actor" defaultValue={actor} maxLength={254} />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" name="from" type="date" defaultValue={from} />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="audit-to">To</Label>
          <Input id="audit-to" name="to" type="date" defaultValue={to} />
        </div>
        <div className="flex gap-2">
          <Button type="submit">Filter</Button>
          <Button type="button" variant="ghost" onClick={() => router.replace(pathname)}>
            Clear
          </Button>
        </div>
      </form>

      <Card>
        <CardContent>
          {events.isPending ? (
            <p className="text-sm text-muted-foreground">Loading events…</p>
          ) : events.isError ? (
            <p role="alert" className="text-sm text-destructive">
              {events.error.message}
            </p>
          ) : rows.length === 0 ? (
            <p className="text-sm text-muted-foreground">No events match these filters.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Actor</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Change</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((e) => (
                  <TableRow
                    key={e.id}
                    ref={e.id === highlighted ? highlightedRow : undefined}
                    aria-current={e.id === highlighted ? "true" : undefined}
                    className={e.id === highlighted ? "bg-destructive/10 outline-2 -outline-offset-2 outline-destructive" : undefined}
                  >
                    <TableCell className="whitespace-nowrap text-xs text-muted-foreground">
                      <time dateTime={e.at.toISOString()}>{timeFmt.format(e.at)}</time>
                    </TableCell>
                    <TableCell className="text-sm">{e.actorEmail ?? "system"}</TableCell>
                    <TableCell>
                      <Badge variant="secondary">{AUDIT_ACTIONS[e.action as AuditAction] ?? e.action}</Badge>
                    </TableCell>
                    <TableCell className="max-w-md text-sm">{describeChange(e)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {highlighted && !highlightShown && !events.isPending && !events.isError && (
            <p className="mt-4 text-sm text-muted-foreground">
              Event <code>{highlighted}</code> is not among the events shown{events.hasNextPage ? ": load older events" : " with these filters"}.
            </p>
          )}
          {events.hasNextPage && (
            <div className="mt-4 flex justify-center">
              <Button variant="outline" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? "Loading…" : "Load older events"}
              </Button>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Loader2, Undo2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { placeErrors } from "@/components/agents/form-errors";
import { formatDay } from "@/components/marketplace/format";
import { useTRPC } from "@/components/trpc/client";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import type { OwnListingDetail, PublisherView } from "@/server/marketplace/schema";

type Version = OwnListingDetail["versions"][number];

/** A listing's versions, newest first: changelog, signing key, date, yanked or not; admins may yank. */
export function VersionTable({ orgSlug, listing, keys, canYank }: { orgSlug: string; listing: OwnListingDetail; keys: PublisherView["keys"]; canYank: boolean }) {
  if (listing.versions.length === 0) {
    return <p className="text-sm text-muted-foreground">No version yet: the listing is a draft, shown to no one. Publish its first version below.</p>;
  }
  const keyLabel = (keyId: string) => keys.find((k) => k.keyId === keyId)?.label;
  return (
    <Table>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Version</TableHead>
          <TableHead>Published</TableHead>
          <TableHead>Changes</TableHead>
          <TableHead>Signed with</TableHead>
          {canYank && (
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {listing.versions.map((v) => (
          <TableRow key={v.id} data-testid={`version-${v.version}`} className={v.yanked ? "text-muted-foreground" : undefined}>
            <TableCell className="align-top">
              <span className="flex flex-wrap items-center gap-1.5 font-mono text-sm">
                {v.version}
                {v.version === listing.latestVersion && <Badge variant="success">Latest</Badge>}
                {v.yanked && <Badge variant="destructive">Yanked</Badge>}
              </span>
            </TableCell>
            <TableCell className="align-top text-xs whitespace-nowrap">
              <time dateTime={v.publishedAt.toISOString()}>{formatDay(v.publishedAt)}</time>
            </TableCell>
            <TableCell className="align-top whitespace-normal">
              <p className="max-w-prose text-sm whitespace-pre-wrap">{v.changelog || "No changelog."}</p>
              {v.yanked && (
                <p className="mt-1 text-xs">
                  Yanked{v.yankedAt && <> on {formatDay(v.yankedAt)}</>}
                  {v.yankReason ? `: ${v.yankReason}` : "."}
                </p>
              )}
            </TableCell>
            <TableCell className="align-top">
              <span className="font-mono text-xs break-all">{v.keyId}</span>
              {keyLabel(v.keyId) && <span className="block text-xs text-muted-foreground">{keyLabel(v.keyId)}</span>}
            </TableCell>
            {canYank && <TableCell className="text-right align-top">{!v.yanked && <YankVersionButton orgSlug={orgSlug} listing={listing} version={v} />}</TableCell>}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Withdraws a version after a confirmation, with an optional reason shown on the listing page. */
function YankVersionButton({ orgSlug, listing, version }: { orgSlug: string; listing: OwnListingDetail; version: Version }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const yank = useMutation(
    trpc.marketplace.version.yank.mutationOptions({
      onSuccess: async (yanked) => {
        toast.success(`${listing.name} ${yanked.version} yanked`, { description: "It can no longer be installed; existing installs keep running it." });
        setOpen(false);
        setReason("");
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.marketplace.listing.own.queryKey({ orgSlug, listingSlug: listing.slug }) }),
          queryClient.invalidateQueries(trpc.marketplace.listing.mine.pathFilter()),
        ]);
      },
    }),
  );
  const errors = placeErrors(yank.error, ["reason"] as const, "reason");
  const remaining = listing.versions.filter((v) => !v.yanked && v.id !== version.id);
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) yank.reset();
      }}
    >
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Undo2 aria-hidden="true" />
          Yank<span className="sr-only"> version {version.version}</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            yank.mutate({ orgSlug, versionId: version.id, reason: reason.trim() || null });
          }}
        >
          <AlertDialogHeader>
            <AlertDialogTitle>
              Yank {listing.name} {version.version}?
            </AlertDialogTitle>
            <AlertDialogDescription>
              It stays listed, marked as yanked, but no organization can install it any more, and the number can never be published again.{" "}
              {remaining.length > 0
                ? `New installs get ${remaining[0]!.version} instead.`
                : "It is the last installable version: nothing of this listing can be installed until you publish a new one."}{" "}
              This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <FormField label="Reason" error={errors.reason} description="Optional; shown next to the version on the listing page, e.g. “Leaks the API key in logs: upgrade to 1.2.1”.">
            <Textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} disabled={yank.isPending} />
          </FormField>
          {errors.form && (
            <Alert variant="destructive">
              <AlertDescription>{errors.form}</AlertDescription>
            </Alert>
          )}
          <AlertDialogFooter>
            <AlertDialogCancel type="button">Keep it</AlertDialogCancel>
            <Button type="submit" variant="destructive" disabled={yank.isPending}>
              {yank.isPending && <Loader2 aria-hidden="true" className="animate-spin motion-reduce:animate-none" />}
              Yank {version.version}
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}

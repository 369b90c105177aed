"use client";

import { useQuery } from "@tanstack/react-query";
import { CircleAlert, CircleCheck, Download, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { auditExportHref, brokenEventHref, verificationHeadline } from "./integrity";

const timeFmt = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

/** "Verify integrity" (recomputes the organization's hash chain on demand) and the JSON Lines export. For admins. */
export function AuditIntegrity({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  // Runs only when asked: a long log takes seconds to recompute.
  const verification = useQuery({ ...trpc.audit.verify.queryOptions({ orgSlug }), enabled: false, staleTime: Infinity, retry: false });
  const result = verification.data;
  const broken = result?.firstBroken;

  return (
    <section aria-label="Audit log integrity" className="grid gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" onClick={() => void verification.refetch()} disabled={verification.isFetching}>
          <ShieldCheck aria-hidden />
          {verification.isFetching ? "Verifying…" : "Verify integrity"}
        </Button>
        <Button variant="ghost" asChild>
          <a href={auditExportHref(orgSlug)} download>
            <Download aria-hidden />
            Export (JSON Lines)
          </a>
        </Button>
        <p className="text-xs text-muted-foreground">
          Each event carries a SHA-256 hash of its content and of the event before it; the export can be checked offline with{" "}
          <code>scripts/verify-audit-export.mjs</code>.
        </p>
      </div>

      {verification.isError && !verification.isFetching ? (
        <Alert variant="destructive">
          <CircleAlert aria-hidden />
          <AlertTitle>The audit log could not be verified</AlertTitle>
          <AlertDescription>{verification.error.message}</AlertDescription>
        </Alert>
      ) : result && !verification.isFetching ? (
        result.ok ? (
          <Alert data-testid="audit-verification">
            <CircleCheck aria-hidden className="text-emerald-600" />
            <AlertTitle>✓ {verificationHeadline(result)}</AlertTitle>
            <AlertDescription>Every event&apos;s hash matches its content and links to the event before it, with no gaps.</AlertDescription>
          </Alert>
        ) : (
          <Alert variant="destructive" data-testid="audit-verification">
            <CircleAlert aria-hidden />
            <AlertTitle>{verificationHeadline(result)}</AlertTitle>
            <AlertDescription>
              {broken ? (
                <>
                  <p>{broken.reason}.</p>
                  <p>
                    Event <code>{broken.id}</code>, recorded <time dateTime={broken.at.toISOString()}>{timeFmt.format(broken.at)}</time>.{" "}
                    {result.checked.toLocaleString("en")} event{result.checked === 1 ? "" : "s"} before it are intact.
                  </p>
                  <Link className="underline underline-offset-4" href={brokenEventHref(orgSlug, broken)}>
                    Show this event in the log
                  </Link>
                </>
              ) : null}
            </AlertDescription>
          </Alert>
        )
      ) : null}
    </section>
  );
}

import { BadgeCheck } from "lucide-react";
import { cn } from "@/components/ui/utils";

/** The check after a verified publisher's name (verified by a platform administrator). */
export function VerifiedMark({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center text-primary", className)} title="Verified publisher">
      <BadgeCheck aria-hidden="true" className="size-4" />
      <span className="sr-only">(verified publisher)</span>
    </span>
  );
}

/** "by HelixAgent Labs ✓" */
export function PublisherName({ name, verified, className }: { name: string; verified: boolean; className?: string }) {
  return (
    <span className={cn("inline-flex min-w-0 items-center gap-1", className)}>
      <span className="truncate">{name}</span>
      {verified && <VerifiedMark />}
    </span>
  );
}

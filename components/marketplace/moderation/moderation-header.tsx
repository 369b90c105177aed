import { Flag, Store } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { cn } from "@/components/ui/utils";
import { MODERATION_PATH, PUBLISHERS_PATH } from "./params";

const SECTIONS = [
  { id: "reports", label: "Reported reviews", href: MODERATION_PATH, icon: Flag },
  { id: "publishers", label: "Publishers", href: PUBLISHERS_PATH, icon: Store },
] as const;

/** The moderation pages' title and their two sections, as links (each section is its own URL). */
export function ModerationHeader({ current }: { current: (typeof SECTIONS)[number]["id"] }) {
  return (
    <div className="grid gap-4">
      <PageHeader
        title="Moderation"
        description="For platform administrators: reviews people reported, and which publishers carry the verified mark. Every decision is recorded in the audit log of the publisher's organization."
        className="pb-4"
      />
      <nav aria-label="Moderation sections" className="flex flex-wrap gap-1 border-b">
        {SECTIONS.map(({ id, label, href, icon: Icon }) => (
          <Link
            key={id}
            href={href}
            aria-current={id === current ? "page" : undefined}
            className={cn(
              "-mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium outline-hidden transition-colors focus-visible:ring-2 focus-visible:ring-ring",
              id === current ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            <Icon aria-hidden="true" className="size-4" />
            {label}
          </Link>
        ))}
      </nav>
    </div>
  );
}

import type { ReactNode } from "react";
import { cn } from "@/components/ui/utils";

/** One term and its value in a <dl> of facts about an agent. */
export function Fact({ term, children, className }: { term: string; children: ReactNode; className?: string }) {
  return (
    <div className={cn("grid min-w-0 content-start gap-1", className)}>
      <dt className="text-muted-foreground">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export function Missing({ children = "Not stated" }: { children?: ReactNode }) {
  return <span className="text-muted-foreground">{children}</span>;
}

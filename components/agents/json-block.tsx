import { cn } from "@/components/ui/utils";

/**
 * Pretty-printed JSON in a scrollable box, focusable so it scrolls from the keyboard. It takes its
 * meaning from the <details> summary or heading around it (no aria-label: a label like "Input
 * schema of Slugify" would also match form fields named "Slug" for anyone finding controls by label).
 */
export function JsonBlock({ value, className }: { value: unknown; className?: string }) {
  return (
    <pre tabIndex={0} className={cn("max-h-96 overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs leading-relaxed", className)}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

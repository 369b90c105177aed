import type { ConfigChange } from "@/server/routes/diff";
import { changeLabel } from "./labels";

/** Changes between two route configurations, one row per field: before → after. */
export function ConfigDiff({ changes, emptyText = "No differences." }: { changes: readonly ConfigChange[]; emptyText?: string }) {
  if (changes.length === 0) return <p className="text-sm text-muted-foreground">{emptyText}</p>;
  return (
    <dl className="grid gap-3 text-sm" aria-label="Changes">
      {changes.map((c) => (
        <div key={c.field} className="grid min-w-0 gap-1 rounded-md border p-3">
          <dt className="font-medium">{changeLabel(c.field)}</dt>
          <dd className="grid min-w-0 gap-1 font-mono text-xs sm:grid-cols-[auto_1fr] sm:gap-x-2">
            <span className="text-muted-foreground">Before</span>
            <span className="break-words text-destructive">{c.before}</span>
            <span className="text-muted-foreground">After</span>
            <span className="break-words text-success">{c.after}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}

import { describeHour, type HeatmapModel } from "@/components/analytics/heatmap";
import { cn } from "@/components/ui/utils";

// Level 0 is the muted background; 1–4 the first chart color at rising strength (both themes).
const LEVEL_STYLE = ["var(--muted)", ...[25, 50, 75, 100].map((pct) => `color-mix(in oklch, var(--chart-1) ${pct}%, var(--muted))`)];
const HOURS_SHOWN = new Set([0, 6, 12, 18]);

/** Requests by hour of the week (UTC) from a prepared model (components/analytics/heatmap.ts). */
export function HeatmapChart({ model, className }: { model: HeatmapModel; className?: string }) {
  const summary = model.busiest
    ? `Requests by hour of the week, UTC. Busiest: ${describeHour(model.busiest)} with ${model.busiest.requests.toLocaleString("en-US")} requests.`
    : "Requests by hour of the week, UTC: none in this range.";
  return (
    <div className={cn("grid gap-3", className)}>
      <div className="overflow-x-auto">
        <div role="img" aria-label={summary} className="grid min-w-[24rem] grid-cols-[2.5rem_repeat(24,minmax(0,1fr))] gap-0.5 text-[10px] text-muted-foreground">
          <span />
          {Array.from({ length: 24 }, (_, hour) => (
            <span key={hour} className="text-center tabular-nums">
              {HOURS_SHOWN.has(hour) ? String(hour).padStart(2, "0") : ""}
            </span>
          ))}
          {model.rows.map((row) => [
            <span key={`${row.weekday}-label`} className="self-center pr-1 text-xs">
              {row.label}
            </span>,
            ...row.cells.map((cell) => (
              <span key={`${cell.weekday}-${cell.hour}`} title={cell.label} data-level={cell.level} className="h-5 rounded-[3px]" style={{ background: LEVEL_STYLE[cell.level] }} />
            )),
          ])}
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground" aria-hidden="true">
        <span>Fewer</span>
        {model.legend.map((entry) => (
          <span key={entry.level} className="flex items-center gap-1">
            <span className="inline-block size-3 rounded-[3px]" style={{ background: LEVEL_STYLE[entry.level] }} />
            <span className="tabular-nums">{entry.label}</span>
          </span>
        ))}
        <span>More</span>
      </div>
    </div>
  );
}

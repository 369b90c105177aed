"use client";

import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue } from "@/components/analytics/format";
import { describeChart, formatBucket, formatXTick, isIsolatedPoint, type ChartRow, type TimeSeriesModel } from "@/components/analytics/timeseries";

interface Props {
  title: string;
  model: TimeSeriesModel;
  height?: number;
  /** Legend text of the expected band, when the model has one. */
  bandLabel?: string;
  /** Legend text of the marked points, when the model has them. */
  markLabel?: string;
}

const AXIS_TICK = { fill: "var(--muted-foreground)", fontSize: 11 };
const BAND_COLOR = "var(--chart-1)";
const MARK_COLOR = "var(--destructive)";

/**
 * Lines over time from a prepared model (components/analytics/timeseries.ts), with room for an
 * expected band behind them and marked points on top. Renders only; all decisions are the model's.
 */
export function TimeSeriesChart({ title, model, height = 220, bandLabel = "Expected range", markLabel = "Anomaly" }: Props) {
  const format = (value: number | null | undefined, compact = false) => formatValue(model.unit, value, compact);
  const showLegend = model.series.length > 1 || model.hasBand || model.hasMarks;
  return (
    <figure className="grid gap-2" data-testid="time-series-chart">
      <figcaption className="sr-only">{describeChart(title, model, (v) => format(v))}</figcaption>
      <div aria-hidden="true" style={{ height }} className="w-full text-xs">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height }}>
          <ComposedChart data={model.rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={model.xDomain}
              ticks={model.xTicks}
              tickFormatter={(t: number) => formatXTick(model.xTickFormat, t)}
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={{ stroke: "var(--border)" }}
              minTickGap={16}
            />
            <YAxis domain={model.yDomain} tickFormatter={(v: number) => format(v, true)} tick={AXIS_TICK} tickLine={false} axisLine={false} width={60} allowDecimals={model.unit !== "count"} />
            <Tooltip
              cursor={{ stroke: "var(--muted-foreground)", strokeDasharray: "3 3" }}
              isAnimationActive={false}
              content={({ active, label, payload }) =>
                active && payload?.length ? <ChartTooltip t={Number(label)} row={payload[0]?.payload as ChartRow | undefined} model={model} format={format} bandLabel={bandLabel} markLabel={markLabel} /> : null
              }
            />
            {model.hasBand && <Area dataKey="band" stroke="none" fill={BAND_COLOR} fillOpacity={0.15} isAnimationActive={false} connectNulls={false} activeDot={false} />}
            {model.series.map((s) => (
              <Line
                key={s.key}
                dataKey={s.dataKey}
                name={s.label}
                stroke={s.color}
                strokeWidth={2}
                strokeDasharray={s.dashed ? "5 4" : undefined}
                type="monotone"
                connectNulls={false}
                isAnimationActive={false}
                dot={(props: { cx?: number; cy?: number; index?: number }) => {
                  const key = `${s.dataKey}-${props.index}`;
                  return props.index !== undefined && props.cx !== undefined && props.cy !== undefined && isIsolatedPoint(model.rows, props.index, s.dataKey) ? (
                    <circle key={key} cx={props.cx} cy={props.cy} r={3} fill={s.color} />
                  ) : (
                    <g key={key} />
                  );
                }}
                activeDot={{ r: 4 }}
              />
            ))}
            {model.hasMarks && <Scatter dataKey="mark" fill={MARK_COLOR} isAnimationActive={false} shape="circle" />}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {showLegend && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-label={`${title} legend`}>
          {model.series.map((s) => (
            <li key={s.key} className="flex min-w-0 items-center gap-1.5">
              <span aria-hidden="true" className="inline-block h-0.5 w-3 shrink-0 rounded" style={{ background: s.color }} />
              <span className="truncate">{s.label}</span>
            </li>
          ))}
          {model.hasBand && (
            <li className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block size-3 rounded-sm" style={{ background: BAND_COLOR, opacity: 0.25 }} />
              {bandLabel}
            </li>
          )}
          {model.hasMarks && (
            <li className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block size-2 rounded-full" style={{ background: MARK_COLOR }} />
              {markLabel}
            </li>
          )}
        </ul>
      )}
    </figure>
  );
}

function ChartTooltip({
  t,
  row,
  model,
  format,
  bandLabel,
  markLabel,
}: {
  t: number;
  row: ChartRow | undefined;
  model: TimeSeriesModel;
  format: (value: number | null | undefined) => string;
  bandLabel: string;
  markLabel: string;
}) {
  if (!row) return null;
  return (
    <div className="grid min-w-40 gap-1 rounded-md border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <div className="font-medium">{formatBucket(t, model.resolution)}</div>
      {model.series.map((s) => (
        <div key={s.key} className="flex items-center justify-between gap-4">
          <span className="flex min-w-0 items-center gap-1.5">
            <span aria-hidden="true" className="inline-block size-2 shrink-0 rounded-full" style={{ background: s.color }} />
            <span className="max-w-48 truncate">{s.label}</span>
          </span>
          <span className="tabular-nums">{format(row[s.dataKey])}</span>
        </div>
      ))}
      {row.band && (
        <div className="flex justify-between gap-4 text-muted-foreground">
          <span>{bandLabel}</span>
          <span className="tabular-nums">
            {format(row.band[0])} – {format(row.band[1])}
          </span>
        </div>
      )}
      {row.mark !== undefined && row.mark !== null && (
        <div className="flex justify-between gap-4 font-medium text-destructive">
          <span>{markLabel}</span>
          <span className="tabular-nums">{format(row.mark)}</span>
        </div>
      )}
    </div>
  );
}

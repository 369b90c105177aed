"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { DEFAULT_FORECAST_HORIZON, FORECAST_HORIZONS, forecastQueryInput, parseForecastHorizon, prepareForecast, type ForecastHorizon } from "@/components/analytics/forecast";
import { formatCount } from "@/components/analytics/format";
import { formatBucket } from "@/components/analytics/timeseries";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { useTRPC } from "@/components/trpc/client";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";

interface Props {
  orgSlug: string;
  scope: { kind: "org" } | { kind: "route"; routeId: string };
}

/** Expected requests per hour ahead, for capacity planning; learnt from the last two weeks, whatever range the page shows. */
export function LoadForecastCard({ orgSlug, scope }: Props) {
  const trpc = useTRPC();
  const [horizon, setHorizon] = useState<ForecastHorizon>(DEFAULT_FORECAST_HORIZON);
  const forecast = useQuery(trpc.analytics.forecast.queryOptions(forecastQueryInput(orgSlug, scope, horizon)));
  const model = useMemo(() => (forecast.data ? prepareForecast(forecast.data) : null), [forecast.data]);
  const titleId = useId();
  const selectId = useId();

  return (
    <Card className="gap-3 py-4" role="region" aria-labelledby={titleId} data-testid="load-forecast">
      <CardHeader className="px-4">
        <CardTitle id={titleId} role="heading" aria-level={2}>
          Load forecast
        </CardTitle>
        <CardDescription>Requests per hour: the last two days, then what the last two weeks suggest, with a likely range.</CardDescription>
        <CardAction>
          <label htmlFor={selectId} className="sr-only">
            Forecast horizon
          </label>
          <NativeSelect id={selectId} value={String(horizon)} onChange={(e) => setHorizon(parseForecastHorizon(e.target.value))} className="w-auto">
            {FORECAST_HORIZONS.map((h) => (
              <option key={h.hours} value={h.hours}>
                {h.label}
              </option>
            ))}
          </NativeSelect>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-2 px-4">
        {forecast.isPending ? (
          <Skeleton className="h-[220px] w-full" />
        ) : forecast.isError ? (
          <Alert variant="destructive">
            <AlertTitle>The load forecast could not be loaded</AlertTitle>
            <AlertDescription>
              <p>{forecast.error.message}</p>
              <Button variant="outline" size="sm" onClick={() => void forecast.refetch()}>
                Try again
              </Button>
            </AlertDescription>
          </Alert>
        ) : !model || model.empty ? (
          <p className="flex h-[220px] items-center justify-center rounded-md border border-dashed text-sm text-muted-foreground">{model?.reason ?? "No forecast."}</p>
        ) : (
          <>
            <TimeSeriesChart title="Load forecast" model={model.chart} bandLabel="Likely range" />
            {model.peak && (
              <p className="text-xs text-muted-foreground">
                Busiest hour ahead: {formatBucket(model.peak.t)}, about {formatCount(Math.round(model.peak.expected))} requests, up to {formatCount(Math.round(model.peak.upper))}.
              </p>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}

"use client";

import Link from "next/link";
import { cn } from "@/components/ui/utils";
import { failModeDescription, failModeLabel, type FailMode } from "./install-model";

interface RouteOption {
  id: string;
  name: string;
  alias: string;
  enabled: boolean;
}

function FieldError({ id, children }: { id: string; children?: string }) {
  if (!children) return null;
  return (
    <p id={id} role="alert" className="text-sm font-medium text-destructive">
      {children}
    </p>
  );
}

/** Which routes a gateway plugin runs on: every route (also routes made later) or a chosen few. */
export function RouteScopeField({
  orgSlug,
  routes,
  allRoutes,
  selected,
  onAllRoutes,
  onToggle,
  error,
  disabled,
}: {
  orgSlug: string;
  routes: RouteOption[] | undefined;
  allRoutes: boolean;
  selected: ReadonlySet<string>;
  onAllRoutes: (all: boolean) => void;
  onToggle: (routeId: string, checked: boolean) => void;
  error?: string;
  disabled?: boolean;
}) {
  return (
    <fieldset className="grid gap-2" aria-describedby={error ? "install-routes-error" : undefined} aria-invalid={error ? true : undefined}>
      <legend className="mb-1 text-sm font-medium">Routes it applies to</legend>
      <label className="flex items-start gap-2 text-sm">
        <input type="radio" name="route-scope" checked={allRoutes} disabled={disabled} onChange={() => onAllRoutes(true)} className="mt-0.5 size-4 accent-primary" />
        <span>
          Every route
          <span className="block text-muted-foreground">Including routes created later.</span>
        </span>
      </label>
      <label className="flex items-start gap-2 text-sm">
        <input type="radio" name="route-scope" checked={!allRoutes} disabled={disabled} onChange={() => onAllRoutes(false)} className="mt-0.5 size-4 accent-primary" />
        <span>Only the routes chosen below</span>
      </label>
      {!allRoutes && (
        <div className="ml-6 grid gap-1.5 rounded-md border p-3">
          {routes === undefined ? (
            <p className="text-sm text-muted-foreground">Loading routes…</p>
          ) : routes.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              This organization has no routes yet. <Link href={`/o/${orgSlug}/routes/new`} className="text-primary underline-offset-4 hover:underline">Create one</Link>, or apply it to every route.
            </p>
          ) : (
            routes.map((r) => (
              <label key={r.id} className={cn("flex items-center gap-2 text-sm", !r.enabled && "text-muted-foreground")}>
                <input type="checkbox" checked={selected.has(r.id)} disabled={disabled} onChange={(e) => onToggle(r.id, e.target.checked)} className="size-4 accent-primary" />
                {r.name} <span className="font-mono text-xs text-muted-foreground">({r.alias})</span>
                {!r.enabled && <span className="text-xs">disabled</span>}
              </label>
            ))
          )}
        </div>
      )}
      <FieldError id="install-routes-error">{error}</FieldError>
    </fieldset>
  );
}

/** Fail open or closed when the plugin service fails or runs out of time. */
export function FailModeField({ value, onChange, manifestDefault, error, disabled }: { value: FailMode; onChange: (v: FailMode) => void; manifestDefault?: FailMode; error?: string; disabled?: boolean }) {
  return (
    <fieldset className="grid gap-2" aria-describedby={error ? "install-fail-mode-error" : undefined} aria-invalid={error ? true : undefined}>
      <legend className="mb-1 text-sm font-medium">When the plugin fails</legend>
      {(["open", "closed"] as const).map((mode) => (
        <label key={mode} className="flex items-start gap-2 text-sm">
          <input type="radio" name="fail-mode" value={mode} checked={value === mode} disabled={disabled} onChange={() => onChange(mode)} className="mt-0.5 size-4 accent-primary" />
          <span>
            {failModeLabel[mode]}
            {mode === manifestDefault && <span className="text-muted-foreground"> (the publisher&apos;s default)</span>}
            <span className="block text-muted-foreground">{failModeDescription[mode]}</span>
          </span>
        </label>
      ))}
      <FieldError id="install-fail-mode-error">{error}</FieldError>
    </fieldset>
  );
}

"use client";

import { X } from "lucide-react";
import { describeRange, RANGE_PRESETS, presetLabel, type AnalyticsParams } from "@/components/analytics/range";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

export interface FilterOption {
  id: string;
  name: string;
}

interface Props {
  state: AnalyticsParams;
  navigate: (changes: Partial<AnalyticsParams>) => void;
  /** Null hides the filter (the page is already about one route or agent). */
  routes: FilterOption[] | null;
  agents: FilterOption[] | null;
  keys: FilterOption[];
}

/** The window and the route/agent/key filters. Every change lands in the URL at once. */
export function AnalyticsFilters({ state, navigate, routes, agents, keys }: Props) {
  const custom = state.range.kind === "custom";
  const filtered = Boolean((routes && state.routeId) || (agents && state.agentId) || state.keyId);
  return (
    <form role="search" aria-label="Filter analytics" className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:flex lg:items-end" onSubmit={(e) => e.preventDefault()}>
      <div className="grid gap-2 lg:w-48">
        <Label htmlFor="analytics-range">Range</Label>
        <NativeSelect
          id="analytics-range"
          value={custom ? "custom" : state.range.kind === "preset" ? state.range.preset : ""}
          onChange={(e) => {
            const preset = RANGE_PRESETS.find((p) => p === e.target.value);
            if (preset) navigate({ range: { kind: "preset", preset } });
          }}
        >
          {custom && <option value="custom">{describeRange(state.range)}</option>}
          {RANGE_PRESETS.map((p) => (
            <option key={p} value={p}>
              {presetLabel[p]}
            </option>
          ))}
        </NativeSelect>
      </div>
      {routes && <FilterSelect id="analytics-route" label="Route" all="All routes" options={routes} value={state.routeId} onChange={(routeId) => navigate({ routeId })} />}
      {agents && <FilterSelect id="analytics-agent" label="Agent" all="All agents" options={agents} value={state.agentId} onChange={(agentId) => navigate({ agentId })} />}
      <FilterSelect id="analytics-key" label="API key" all="All keys" options={keys} value={state.keyId} onChange={(keyId) => navigate({ keyId })} />
      {filtered && (
        <Button
          type="button"
          variant="ghost"
          className="self-end"
          onClick={() => navigate({ ...(routes ? { routeId: null } : {}), ...(agents ? { agentId: null } : {}), keyId: null })}
        >
          <X aria-hidden="true" />
          Clear filters
        </Button>
      )}
    </form>
  );
}

function FilterSelect({
  id,
  label,
  all,
  options,
  value,
  onChange,
}: {
  id: string;
  label: string;
  all: string;
  options: FilterOption[];
  value: string | null;
  onChange: (value: string | null) => void;
}) {
  // A filter from a link may name something the list does not hold (say, a key without traffic here).
  const listed = value === null || options.some((o) => o.id === value);
  return (
    <div className="grid min-w-0 gap-2 lg:w-52">
      <Label htmlFor={id}>{label}</Label>
      <NativeSelect id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{all}</option>
        {!listed && <option value={value}>Selected {label.toLowerCase()}</option>}
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

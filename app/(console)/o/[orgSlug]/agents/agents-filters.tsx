"use client";

import { Search, X } from "lucide-react";
import { useState } from "react";
import { AGENT_PROTOCOLS, AGENT_STATUSES, protocolName, statusLabel, type AgentProtocol, type AgentStatus } from "@/components/agents/labels";
import { hasFilters, SORT_KEYS, sortLabel, type AgentListParams, type SortDir, type SortKey } from "@/components/agents/list-params";
import { TAG_PATTERN } from "@/components/agents/tags";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

interface Props {
  state: AgentListParams;
  navigate: (changes: Partial<AgentListParams>) => void;
}

type Drafts = Pick<AgentListParams, "q" | "region" | "tag">;
const draftsOf = (s: AgentListParams): Drafts => ({ q: s.q, region: s.region, tag: s.tag });
const sameDrafts = (a: Drafts, b: Drafts) => a.q === b.q && a.region === b.region && a.tag === b.tag;

/**
 * Search box and filters. Selects apply at once; the text fields apply on Enter or "Search".
 * Everything lives in the URL; the text fields follow it when it changes elsewhere (Clear, back).
 */
export function AgentsFilters({ state, navigate }: Props) {
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(state));
  const [applied, setApplied] = useState<Drafts>(() => draftsOf(state));
  const [tagError, setTagError] = useState<string | null>(null);
  if (!sameDrafts(applied, draftsOf(state))) {
    // The URL changed under us: show what it says now.
    setApplied(draftsOf(state));
    setDrafts(draftsOf(state));
    setTagError(null);
  }

  function apply() {
    const tag = drafts.tag.trim().toLowerCase();
    if (tag && !TAG_PATTERN.test(tag)) {
      setTagError("A tag is 1–40 lowercase letters, digits or . _ : - characters, e.g. team:search");
      return;
    }
    setTagError(null);
    navigate({ q: drafts.q.trim(), region: drafts.region.trim(), tag });
  }

  const sortable = SORT_KEYS.filter((k) => k !== "relevance");

  return (
    <form
      role="search"
      aria-label="Find agents"
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <div className="grid gap-2">
        <Label htmlFor="agents-q">Search</Label>
        <div className="flex gap-2">
          <div className="relative flex-1">
            <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
            <Input
              id="agents-q"
              type="search"
              className="pl-9"
              placeholder="Search by skill, tool, tag, name…"
              value={drafts.q}
              maxLength={200}
              onChange={(e) => setDrafts({ ...drafts, q: e.target.value })}
            />
          </div>
          <Button type="submit">Search</Button>
        </div>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-[repeat(4,minmax(0,1fr))_minmax(0,1.2fr)_minmax(0,1fr)_auto] lg:items-end">
        <div className="grid gap-2">
          <Label htmlFor="agents-protocol">Protocol</Label>
          <NativeSelect
            id="agents-protocol"
            value={state.protocol ?? ""}
            onChange={(e) => navigate({ protocol: (e.target.value || null) as AgentProtocol | null })}
          >
            <option value="">All protocols</option>
            {AGENT_PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {protocolName[p]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="agents-status">Status</Label>
          <NativeSelect id="agents-status" value={state.status ?? ""} onChange={(e) => navigate({ status: (e.target.value || null) as AgentStatus | null })}>
            <option value="">All statuses</option>
            {AGENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel[s]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="agents-region">Region</Label>
          <Input
            id="agents-region"
            value={drafts.region}
            maxLength={40}
            placeholder="Any"
            onChange={(e) => setDrafts({ ...drafts, region: e.target.value })}
            onBlur={() => drafts.region.trim() !== state.region && apply()}
          />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="agents-tag">Tag</Label>
          <Input
            id="agents-tag"
            value={drafts.tag}
            maxLength={40}
            placeholder="Any"
            aria-invalid={tagError ? true : undefined}
            aria-describedby={tagError ? "agents-tag-error" : undefined}
            onChange={(e) => setDrafts({ ...drafts, tag: e.target.value })}
            onBlur={() => drafts.tag.trim().toLowerCase() !== state.tag && apply()}
          />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="agents-sort">Sort by</Label>
          <NativeSelect
            id="agents-sort"
            value={state.sort}
            disabled={Boolean(state.q)}
            aria-describedby={state.q ? "agents-sort-note" : undefined}
            onChange={(e) => {
              const sort = e.target.value as SortKey;
              // Dates read best newest first; names and statuses A to Z.
              navigate({ sort, dir: sort === "createdAt" || sort === "lastCheckedAt" ? "desc" : "asc" });
            }}
          >
            {state.q && <option value="relevance">{sortLabel.relevance}</option>}
            {sortable.map((k) => (
              <option key={k} value={k}>
                {sortLabel[k]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="agents-dir">Order</Label>
          <NativeSelect id="agents-dir" value={state.dir} disabled={Boolean(state.q)} onChange={(e) => navigate({ dir: e.target.value as SortDir })}>
            <option value="asc">{state.sort === "createdAt" || state.sort === "lastCheckedAt" ? "Oldest first" : "Ascending"}</option>
            <option value="desc">{state.sort === "createdAt" || state.sort === "lastCheckedAt" ? "Newest first" : "Descending"}</option>
          </NativeSelect>
        </div>
        {hasFilters(state) && (
          <Button type="button" variant="ghost" onClick={() => navigate({ q: "", protocol: null, status: null, region: "", tag: "" })}>
            <X aria-hidden="true" />
            Clear
          </Button>
        )}
      </div>
      {tagError && (
        <p id="agents-tag-error" role="alert" className="text-sm font-medium text-destructive">
          {tagError}
        </p>
      )}
      {state.q && (
        <p id="agents-sort-note" className="text-xs text-muted-foreground">
          Search results are ranked by relevance: the best match first.
        </p>
      )}
    </form>
  );
}

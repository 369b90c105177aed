"use client";

import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition, type ChangeEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { BROWSE_SORTS, browseSearch, effectiveSort, KIND_PARAM_KEYS, KIND_PARAMS, kindLabel, parseBrowseParams, sortLabel, type BrowseParams } from "./browse-params";

/**
 * The search form: a plain GET form to /marketplace, so it works before JavaScript loads and the URL
 * is the state. With JavaScript it navigates without a full reload to the same URL minus empty and
 * default fields, and the selects and the checkbox apply as soon as they change.
 */
export function BrowseFilters({ state, categories, helixVersion }: { state: BrowseParams; categories: { slug: string; label: string; count: number }[]; helixVersion: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const submitOnChange = (e: ChangeEvent<HTMLSelectElement | HTMLInputElement>) => e.currentTarget.form?.requestSubmit();
  const sorts = BROWSE_SORTS.filter((s) => s !== "relevance" || state.q);
  return (
    // Keyed by the URL, so going back or following a link shows what the URL says.
    <form
      key={browseSearch(state)}
      action="/marketplace"
      method="get"
      role="search"
      aria-label="Search the marketplace"
      aria-busy={pending || undefined}
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const next = parseBrowseParams(new URLSearchParams([...form.entries()].map(([k, v]) => [k, String(v)])));
        // A new query with the sort left as it was shown: back to the default (best match for a query).
        if (next.q !== state.q && next.sort === effectiveSort(state)) next.sort = null;
        startTransition(() => router.push(`/marketplace${browseSearch({ ...next, page: 1 })}`));
      }}
    >
      <div className="grid gap-2">
        <Label htmlFor="marketplace-q">Search</Label>
        <div className="flex gap-2">
          <div className="relative flex-1">
            <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
            <Input id="marketplace-q" name="q" type="search" className="pl-9" placeholder="Keyword blocker, PII, Ollama…" defaultValue={state.q} maxLength={200} />
          </div>
          <Button type="submit">Search</Button>
        </div>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-[repeat(3,minmax(0,1fr))_auto] sm:items-end">
        <div className="grid gap-2">
          <Label htmlFor="marketplace-kind">Kind</Label>
          <NativeSelect id="marketplace-kind" name="kind" defaultValue={state.kind ?? ""} onChange={submitOnChange}>
            <option value="">All kinds</option>
            {KIND_PARAM_KEYS.map((k) => (
              <option key={k} value={k}>
                {kindLabel[KIND_PARAMS[k]]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="marketplace-category">Category</Label>
          <NativeSelect id="marketplace-category" name="category" defaultValue={state.category ?? ""} onChange={submitOnChange}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.label} ({c.count})
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="marketplace-sort">Sort by</Label>
          <NativeSelect id="marketplace-sort" name="sort" defaultValue={effectiveSort(state)} onChange={submitOnChange}>
            {sorts.map((s) => (
              <option key={s} value={s}>
                {sortLabel[s]}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="col-span-2 flex flex-wrap gap-x-4 sm:col-span-1 sm:flex-col">
          <label className="flex h-9 items-center gap-2 text-sm font-medium sm:h-auto">
            <input type="checkbox" name="verified" value="1" defaultChecked={state.verified} onChange={submitOnChange} className="size-4 accent-primary" />
            Verified publishers only
          </label>
          <label className="flex h-9 items-center gap-2 text-sm font-medium sm:h-auto">
            <input type="checkbox" name="compatible" value="1" defaultChecked={state.compatible} onChange={submitOnChange} className="size-4 accent-primary" />
            Works with HelixAgent {helixVersion}
          </label>
        </div>
      </div>
    </form>
  );
}
